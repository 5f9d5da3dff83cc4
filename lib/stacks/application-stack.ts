import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { certificateSourceOf, DomainCertificate } from '../constructs/edge/domain-certificate';
import { PlatformHostedZone } from '../constructs/edge/platform-hosted-zone';
import { PlatformWebAcl } from '../constructs/edge/platform-web-acl';
import { PlatformLoadBalancer } from '../constructs/ingress/platform-load-balancer';
import { LoadBalancerAlarms } from '../constructs/operations/alarms/load-balancer-alarms';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { addPlatformMesh } from '../constructs/mesh/platform-mesh';
import { ServiceCallers } from '../constructs/mesh/service-callers';
import { IServiceMesh } from '../constructs/mesh/service-mesh';
import { LoadBalancerRoutes } from '../constructs/service/features/load-balancer-ingress';
import { EcsExecAccess } from '../constructs/service/ecs-exec-access';
import { PlatformCluster } from '../constructs/service/platform-cluster';
import { APP_CONTAINER_NAME } from '../constructs/service/platform-fargate-service';
import { ENVOY_CONTAINER_NAME } from '../constructs/service/sidecars/envoy-proxy';
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
  /** The callers' security group of each service that is called (`calls`). */
  readonly callers: ServiceCallers;
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
  /** The load balancer as a CloudFront VPC origin (its domain name is the load balancer's). */
  readonly vpcOrigin: cloudfront.IVpcOrigin;
  /** Whether the load balancer's listener terminates TLS. */
  readonly https: boolean;
  /**
   * The zone in which the edge issues its certificate and writes its alias records.
   * @default - no zone: the edge imports its certificate
   */
  readonly hostedZone?: route53.IHostedZone;
}

/** Properties of {@link ApplicationStack}. */
export interface ApplicationStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkHandles;
}

/**
 * What all services share: the ECS cluster, the internal load balancer
 * (CloudFront's VPC origin, with its REGIONAL web ACL), the domain's hosted
 * zone and the load balancer's certificate when the platform issues them,
 * the mesh, the key of the service log groups, and the operators'
 * `<env>-ecs-exec-access` policy where a service accepts ECS Exec. The services themselves live in services stacks, so no stack
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
    const { domain, hostedZone: zoneSettings } = config.edge;
    const hostedZone =
      zoneSettings &&
      new PlatformHostedZone(this, 'HostedZone', { ...zoneSettings, removalPolicy }).zone;
    const certificateSource = certificateSourceOf(application.certificateArn, hostedZone);
    const loadBalancer = new PlatformLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      subnets: network.subnets.privateWithEgress,
      certificate:
        domain && certificateSource
          ? new DomainCertificate(this, 'Certificate', {
              names: domain.names,
              source: certificateSource,
            }).certificate
          : undefined,
      hostNames: domain?.names,
      vpcOriginName: `${config.name}-load-balancer`,
      accessLogExpirationDays: application.accessLogExpirationDays,
      logsKey,
      logRetention,
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

    const { mesh, callers } = addPlatformMesh(this, {
      kind: application.mesh,
      namespaceName: `${config.name}.internal`,
      vpc: network.vpc,
      cluster,
      gatewaySubnets: network.subnets.privateWithEgress,
      routes: loadBalancer.routes,
      routedPrefixes: derived.routedPrefixes,
      servers: [...new Set(application.services.flatMap((s) => s.calls ?? []))],
      gatewayTasks: derived.gatewayTasks,
      gatewayEcsExec: derived.ecsExec,
      logsKey,
      logRetention,
      removalPolicy,
    });
    const gatewayExec = application.mesh === 'app-mesh' && derived.ecsExec;
    if (derived.ecsExecServices.length > 0 || gatewayExec) {
      new EcsExecAccess(this, 'EcsExecAccess', {
        environmentName: config.name,
        cluster,
        containerNames: [APP_CONTAINER_NAME, ...(gatewayExec ? [ENVOY_CONTAINER_NAME] : [])],
      });
    }
    this.hosting = {
      cluster,
      mesh,
      callers,
      logsKey,
      ingress: mesh.loadBalancerRoutesToServices
        ? {
            ...loadBalancer.routes,
            deregistrationDelay: Duration.seconds(application.deregistrationDelaySeconds),
          }
        : undefined,
    };
    this.origin = { vpcOrigin: loadBalancer.vpcOrigin, https: loadBalancer.https, hostedZone };
  }
}
