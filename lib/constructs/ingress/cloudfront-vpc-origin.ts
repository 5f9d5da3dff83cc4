import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { PINS } from '../../pins';

/**
 * The security group CloudFront creates in a VPC with its first VPC origin and
 * puts on the network interfaces that carry origin traffic.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
 */
export const CLOUDFRONT_VPC_ORIGIN_SECURITY_GROUP = 'CloudFront-VPCOrigins-Service-SG';

/** Properties of {@link CloudFrontVpcOrigin}. */
export interface CloudFrontVpcOriginProps {
  /** The internal load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Its security group, which gets the only ingress rule. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The load balancer's VPC (where CloudFront creates its security group). */
  readonly vpc: ec2.IVpc;
  /** The listener port CloudFront connects to. */
  readonly port: number;
  /** Whether the listener terminates TLS (then CloudFront connects with HTTPS only). */
  readonly https: boolean;
  /** The VPC origin's name: letters, digits, `-` and `_`, unique in the account. */
  readonly name: string;
  /** Encrypts the log group of the security group lookup. */
  readonly logsKey: kms.IKey;
  /** Retention of the lookup's logs. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the lookup's log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The load balancer as a CloudFront VPC origin: CloudFront reaches it through
 * network interfaces it manages in the load balancer's subnets, over AWS's
 * network, and the load balancer admits nothing but those interfaces.
 *
 * The VPC origin lives next to the load balancer (in its region) and the
 * distribution refers to it by ID. Its interfaces carry the service-managed
 * security group {@link CLOUDFRONT_VPC_ORIGIN_SECURITY_GROUP}, which CloudFront
 * creates with the VPC's first VPC origin; CloudFormation cannot name it, so
 * an SDK call looks its ID up once the VPC origin is deployed and the
 * load balancer's only ingress rule references it. (The alternative, the
 * `com.amazonaws.global.cloudfront.origin-facing` prefix list, would count as
 * about 55 rules of the security group's quota.) The security group is
 * CloudFront's: it is referenced here, never changed.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
 */
export class CloudFrontVpcOrigin extends Construct {
  /** The VPC origin; its domain name is the load balancer's. */
  readonly vpcOrigin: cloudfront.IVpcOrigin;

  constructor(scope: Construct, id: string, props: CloudFrontVpcOriginProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.name)) {
      throw new Error(
        `CloudFrontVpcOrigin: name ${JSON.stringify(props.name)} is not a VPC origin name; allowed: 1-64 letters, digits, "-" and "_"`,
      );
    }
    const vpcOrigin = new cloudfront.VpcOrigin(this, 'VpcOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(props.loadBalancer),
      vpcOriginName: props.name,
      httpPort: 80,
      httpsPort: 443,
      protocolPolicy: props.https
        ? cloudfront.OriginProtocolPolicy.HTTPS_ONLY
        : cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      originSslProtocols: [PINS.cloudFrontOriginTlsProtocol.value],
    });

    const groupIdPath = 'SecurityGroups.0.GroupId';
    const handlerRole = new iam.Role(this, 'LookupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Looks up ${CLOUDFRONT_VPC_ORIGIN_SECURITY_GROUP} for the load balancer's ingress rule`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
    });
    Validations.of(handlerRole.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The AWS-managed basic execution policy of the lookup handler grants only writing its own logs; the lookup itself is one read-only EC2 call.',
    });
    const serviceSecurityGroup = new cr.AwsCustomResource(this, 'ServiceSecurityGroup', {
      resourceType: 'Custom::CloudFrontVpcOriginSecurityGroup',
      onUpdate: {
        service: 'EC2',
        action: 'describeSecurityGroups',
        parameters: {
          Filters: [
            { Name: 'vpc-id', Values: [props.vpc.vpcId] },
            { Name: 'group-name', Values: [CLOUDFRONT_VPC_ORIGIN_SECURITY_GROUP] },
          ],
        },
        physicalResourceId: cr.PhysicalResourceId.fromResponse(groupIdPath),
        outputPaths: [groupIdPath],
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE,
      }),
      role: handlerRole,
      logGroup: new logs.LogGroup(this, 'LookupLogs', {
        encryptionKey: props.logsKey,
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      }),
      installLatestAwsSdk: false,
    });
    // CloudFront creates its security group while it deploys the VPC origin.
    serviceSecurityGroup.node.addDependency(vpcOrigin);

    new ec2.CfnSecurityGroupIngress(this, 'FromCloudFront', {
      groupId: props.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      sourceSecurityGroupId: serviceSecurityGroup.getResponseField(groupIdPath),
      description: `CloudFront VPC origin (${CLOUDFRONT_VPC_ORIGIN_SECURITY_GROUP})`,
    });
    this.vpcOrigin = vpcOrigin;
  }
}
