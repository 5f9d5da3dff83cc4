import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CLOUDFRONT_REGION } from '../../config';
import { ORIGIN_VERIFY_HEADER, OriginVerifySecret } from '../constructs/edge/origin-verify-secret';
import { PlatformWebAcl } from '../constructs/edge/platform-web-acl';
import { PlatformLoadBalancer } from '../constructs/ingress/platform-load-balancer';
import { LoadBalancerAlarms } from '../constructs/operations/alarms/load-balancer-alarms';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { addPlatformMesh } from '../constructs/mesh/platform-mesh';
import { IServiceMesh } from '../constructs/mesh/service-mesh';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { LoadBalancerRoutes } from '../constructs/service/features/load-balancer-ingress';
import { PlatformCluster } from '../constructs/service/platform-cluster';
import { NetworkHandles } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/**
 * AWS managed rule groups of the load balancer's web ACL: defence in depth for
 * anyone who finds the load balancer's DNS name.
 */
export const REGIONAL_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** What a services stack needs to run services here. */
export interface ServiceHosting {
  /** The ECS cluster. */
  readonly cluster: ecs.ICluster;
  /** Service-to-service networking. */
  readonly mesh: IServiceMesh;
  /** Carried by every task; servers accept mesh traffic from it. */
  readonly meshSecurityGroup: ec2.ISecurityGroup;
  /** Encrypts every service log group. */
  readonly logsKey: kms.IKey;
  /**
   * Where routed services add their load-balancer rules, with the drain time.
   * @default - none: the mesh's gateway owns the load balancer's routes (App Mesh)
   */
  readonly ingress?: LoadBalancerRoutes & { readonly deregistrationDelay: Duration };
}

/** What the edge stack needs to put CloudFront in front of the load balancer. */
export interface EdgeOrigin {
  /** The load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Whether its listener terminates TLS. */
  readonly https: boolean;
  /** The header secret CloudFront must send. */
  readonly originVerify: OriginVerifySecret;
}

/** Properties of {@link ApplicationStack}. */
export interface ApplicationStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkHandles;
  /** The environment's `/<env>/` parameter registry. */
  readonly parameters: SecretParameterRegistry;
}

/**
 * What all services share: the ECS cluster, the load balancer (locked to
 * CloudFront, with its REGIONAL web ACL), the mesh and the key of the service
 * log groups. The services themselves live in services stacks, so no stack
 * outgrows CloudFormation's limits.
 */
export class ApplicationStack extends PlatformStack {
  /** What services stacks take. */
  readonly hosting: ServiceHosting;
  /** What the edge stack takes. */
  readonly origin: EdgeOrigin;

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { config, network } = props;
    const { application, derived } = config;
    const removalPolicy = derived.removalPolicy;
    const logRetention = application.logRetentionDays;

    const logsKey = new LogsEncryptionKey(this, 'LogsKey', {
      description: `${config.name}: encrypts the ECS service, sidecar and exec log groups`,
      removalPolicy,
    }).key;
    const { cluster } = new PlatformCluster(this, 'Cluster', {
      vpc: network.vpc,
      logsKey,
      logRetention,
      removalPolicy,
      execLogGroupName: `/platform/${config.name}/ecs-exec`,
    });
    const originVerify = new OriginVerifySecret(this, 'OriginVerify', {
      secretName: `${config.name}/edge/origin-verify`,
      // The distribution's stack (EdgeStack) lives in the CloudFront region.
      replicaRegion: CLOUDFRONT_REGION,
      removalPolicy,
    });
    // Published for the pipeline as /<env>/edge/origin-verify-secret-arn.
    props.parameters.addSecret('edge/origin-verify-secret-arn', {
      description: 'Value of the header CloudFront sends to the load balancer',
      source: { kind: 'secret', secret: originVerify.secret },
      scope: this,
    });
    const loadBalancer = new PlatformLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      subnets: network.subnets.public,
      allowedClients: {
        peer: ec2.Peer.prefixList(config.edge.originFacingPrefixListId),
        requiredHeader: { name: ORIGIN_VERIFY_HEADER, value: originVerify.valueFor(this) },
      },
      certificateArn: application.certificateArn,
      accessLogExpirationDays: application.accessLogExpirationDays,
      deletionProtection: derived.deletionProtection,
      removalPolicy,
    });
    new LoadBalancerAlarms(this, 'LoadBalancerAlarms', {
      loadBalancer: loadBalancer.loadBalancer,
      thresholds: derived.alarmThresholds,
    });
    const webAcl = new PlatformWebAcl(this, 'WebAcl', {
      scope: 'REGIONAL',
      name: `${config.name}-regional`,
      managedRuleGroups: REGIONAL_MANAGED_RULE_GROUPS,
      logRetention: config.edge.wafLogRetentionDays,
      logsKey,
      removalPolicy,
    });
    webAcl.associate(this, 'WebAclAssociation', loadBalancer.loadBalancer.loadBalancerArn);

    const { mesh, securityGroup } = addPlatformMesh(this, {
      kind: application.mesh,
      namespaceName: `${config.name}.internal`,
      vpc: network.vpc,
      cluster,
      gatewaySubnets: network.subnets.privateWithEgress,
      routes: loadBalancer.routes,
      routedPrefixes: derived.routedPrefixes,
      gatewayTasks: derived.gatewayTasks,
      logsKey,
      logRetention,
      removalPolicy,
    });
    this.hosting = {
      cluster,
      mesh,
      meshSecurityGroup: securityGroup,
      logsKey,
      ingress: mesh.loadBalancerRoutesToServices
        ? {
            ...loadBalancer.routes,
            deregistrationDelay: Duration.seconds(application.deregistrationDelaySeconds),
          }
        : undefined,
    };
    this.origin = {
      loadBalancer: loadBalancer.loadBalancer,
      https: loadBalancer.https,
      originVerify,
    };
  }
}
