import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { InterfaceEndpointName } from '../../../config';
import { HTTPS_PORT } from '../../defaults';
import { pascalCase } from '../../naming';

const SERVICES: Record<InterfaceEndpointName, ec2.InterfaceVpcEndpointAwsService> = {
  'ecr.api': ec2.InterfaceVpcEndpointAwsService.ECR,
  'ecr.dkr': ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  ssmmessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  xray: ec2.InterfaceVpcEndpointAwsService.XRAY,
  sts: ec2.InterfaceVpcEndpointAwsService.STS,
  kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  'guardduty-data': ec2.InterfaceVpcEndpointAwsService.GUARDDUTY_DATA,
};

/** Properties of {@link InterfaceEndpoints}. */
export interface InterfaceEndpointsProps {
  /** The VPC to create the endpoints in. */
  readonly vpc: ec2.IVpc;
  /** Where the endpoint network interfaces live: the subnets of the workloads that call AWS. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Who may call the endpoints: the VPC's CIDR, given as a literal so the rule
   * is readable in the template and checkable by cdk-nag.
   */
  readonly clientCidr: string;
  /** The services to reach privately. */
  readonly services: readonly InterfaceEndpointName[];
}

/**
 * Interface VPC endpoints with private DNS, behind one security group that
 * accepts HTTPS from inside the VPC only, so workloads in private subnets reach
 * AWS APIs without crossing the NAT gateway.
 * See https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
export class InterfaceEndpoints extends Construct {
  /** The security group shared by the endpoints. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The endpoints, by service name. */
  readonly endpoints: ReadonlyMap<InterfaceEndpointName, ec2.IInterfaceVpcEndpoint>;

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Interface VPC endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(
      ec2.Peer.ipv4(props.clientCidr),
      ec2.Port.tcp(HTTPS_PORT),
      'HTTPS from the VPC to AWS service endpoints',
    );

    const endpoints = new Map<InterfaceEndpointName, ec2.IInterfaceVpcEndpoint>();
    for (const name of props.services) {
      endpoints.set(
        name,
        new ec2.InterfaceVpcEndpoint(this, pascalCase(name), {
          vpc: props.vpc,
          service: SERVICES[name],
          subnets: props.subnets,
          securityGroups: [securityGroup],
          privateDnsEnabled: true,
          open: false,
        }),
      );
    }
    this.securityGroup = securityGroup;
    this.endpoints = endpoints;
  }
}
