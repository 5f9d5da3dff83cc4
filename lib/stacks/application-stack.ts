import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER, OriginVerifySecret } from '../constructs/edge/origin-verify-secret';
import { CLOUDFRONT_REGION, PlatformWebAcl } from '../constructs/edge/platform-web-acl';
import { PlatformLoadBalancer } from '../constructs/ingress/platform-load-balancer';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { AppMeshBackend } from '../constructs/mesh/app-mesh/app-mesh-backend';
import { ServiceConnectMesh } from '../constructs/mesh/service-connect-mesh';
import { IServiceMesh } from '../constructs/mesh/service-mesh';
import { PlatformCluster } from '../constructs/service/platform-cluster';
import { removalPolicyOf } from '../defaults';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { NetworkStack } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/**
 * AWS managed rule groups of the load balancer's web ACL: defence in depth for
 * anyone who finds the load balancer's DNS name.
 */
export const REGIONAL_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** Properties of {@link ApplicationStack}. */
export interface ApplicationStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkStack;
  /** The environment's `/<env>/` parameter registry. */
  readonly parameters: SecretParameterRegistry;
}

/**
 * What all services share: the ECS cluster, the load balancer, the mesh and
 * the key of the service log groups. The services themselves live in
 * {@link ServicesStack}s so no stack outgrows CloudFormation's limits.
 */
export class ApplicationStack extends PlatformStack {
  readonly cluster: PlatformCluster;
  readonly loadBalancer: PlatformLoadBalancer;
  readonly mesh: IServiceMesh;
  /** Carried by every task; servers accept Service Connect traffic from it. */
  readonly meshSecurityGroup: ec2.ISecurityGroup;
  /** Encrypts every service log group. */
  readonly logsKey: kms.IKey;
  /** The header value CloudFront sends and the load balancer requires. */
  readonly originVerify: OriginVerifySecret;
  /** The load balancer's REGIONAL web ACL. */
  readonly webAcl: PlatformWebAcl;

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { application } = props.config;
    const removalPolicy = removalPolicyOf(props.config.removalPolicy);
    const logRetention = application.logRetentionDays as logs.RetentionDays;

    this.logsKey = new LogsEncryptionKey(this, 'LogsKey', {
      description: `${props.config.name}: encrypts the ECS service, sidecar and exec log groups`,
      removalPolicy,
    }).key;
    this.cluster = new PlatformCluster(this, 'Cluster', {
      vpc: props.network.vpc,
      logsKey: this.logsKey,
      logRetention,
      removalPolicy,
      execLogGroupName: `/platform/${props.config.name}/ecs-exec`,
    });
    this.originVerify = new OriginVerifySecret(this, 'OriginVerify', {
      secretName: `${props.config.name}/edge/origin-verify`,
      // The distribution's stack (EdgeStack) lives in the CloudFront region.
      replicaRegion: CLOUDFRONT_REGION,
      removalPolicy,
    });
    // Published for the pipeline as /<env>/edge/origin-verify-secret-arn.
    props.parameters.addSecret('edge/origin-verify-secret-arn', {
      description: 'Value of the header CloudFront sends to the load balancer',
      source: { kind: 'secret', secret: this.originVerify.secret },
      scope: this,
    });
    this.loadBalancer = new PlatformLoadBalancer(this, 'LoadBalancer', {
      vpc: props.network.vpc,
      subnets: props.network.subnets.public,
      allowedClients: {
        peer: ec2.Peer.prefixList(props.config.edge.originFacingPrefixListId),
        requiredHeader: { name: ORIGIN_VERIFY_HEADER, value: this.originVerify.valueFor(this) },
      },
      certificateArn: application.certificateArn,
      accessLogExpirationDays: application.accessLogExpirationDays,
      deletionProtection: props.config.tier === 'production',
      removalPolicy,
    });
    this.webAcl = new PlatformWebAcl(this, 'WebAcl', {
      scope: 'REGIONAL',
      name: `${props.config.name}-regional`,
      managedRuleGroups: REGIONAL_MANAGED_RULE_GROUPS,
      logRetention: props.config.edge.wafLogRetentionDays as logs.RetentionDays,
      logsKey: this.logsKey,
      removalPolicy,
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.loadBalancer.loadBalancer.loadBalancerArn,
      webAclArn: this.webAcl.webAcl.attrArn,
    });
    this.meshSecurityGroup = new ec2.SecurityGroup(this, 'MeshSecurityGroup', {
      vpc: props.network.vpc,
      description: 'Carried by every platform task: identifies mesh clients',
      // Only a marker for servers' ingress rules: egress comes from each service's own group.
      allowAllOutbound: false,
    });
    const namespaceName = `${props.config.name}.internal`;
    if (application.mesh === 'app-mesh') {
      const appMesh = new AppMeshBackend(this, 'AppMesh', {
        namespaceName,
        vpc: props.network.vpc,
      });
      appMesh.addGateway({
        cluster: this.cluster.cluster,
        subnets: props.network.subnets.privateWithEgress,
        listener: this.loadBalancer.listener,
        loadBalancer: this.loadBalancer.loadBalancer,
        routeConditions: this.loadBalancer.routeConditions,
        routedPrefixes: application.services.flatMap((s) =>
          s.pathPrefix === undefined ? [] : [s.pathPrefix],
        ),
        // One gateway task per AZ in production, so an AZ failure leaves the others serving.
        desiredCount:
          props.config.tier === 'production' ? Math.max(2, props.config.network.azCount) : 1,
        logsKey: this.logsKey,
        logRetention,
        removalPolicy,
      });
      this.mesh = appMesh;
    } else {
      this.mesh = new ServiceConnectMesh(this, 'ServiceConnect', {
        namespaceName,
        logGroup: new logs.LogGroup(this, 'ServiceConnectLogs', {
          encryptionKey: this.logsKey,
          retention: logRetention,
          removalPolicy,
        }),
      });
    }
  }
}
