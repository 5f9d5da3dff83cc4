import { CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EnvironmentReleases, isRouted, ServiceConfig } from '../../config';
import { listenerRulePriority } from '../constructs/ingress/listener-rule-priority';
import { LoadBalancerIngress } from '../constructs/service/features/load-balancer-ingress';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { PlatformFargateService } from '../constructs/service/platform-fargate-service';
import { runbookUrl } from '../constructs/operations/runbooks';
import { ServiceIdentity, wiredFeatures } from '../constructs/service/service-wiring';
import { pascalCase } from '../naming';
import { ServiceHosting } from './application-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link ServicesStack}. */
export interface ServicesStackProps extends PlatformStackProps {
  /** The private subnets the tasks run in. */
  readonly subnets: ec2.SubnetSelection;
  /** Cluster, mesh, log key and load-balancer routes (from the application stack). */
  readonly hosting: ServiceHosting;
  /** The services of this stack. */
  readonly services: readonly ServiceConfig[];
  /** The version each service runs; every service of this stack is in it. */
  readonly releases: EnvironmentReleases;
  /** Database, roles, lifecycle queue and user pools (from the identity stack). */
  readonly identity: ServiceIdentity;
  /** The `/<env>/` registry the services' secrets come from. */
  readonly parameters: SecretParameterRegistry;
  /** The environment's notifications topic: failed deployments are told there. */
  readonly notificationsTopic: sns.ITopic;
}

function releaseOf(releases: EnvironmentReleases, service: string) {
  const release = releases.get(service);
  if (!release) {
    throw new Error(`service "${service}" has no release; loadReleases lists every service`);
  }
  return release;
}

/**
 * A group of services (see PlatformStage for how services are grouped into
 * stacks), each wired to the platform as its spec says: callers, calls,
 * database, tokens, queue and secrets.
 */
export class ServicesStack extends PlatformStack {
  /** The services, by name. */
  readonly services: ReadonlyMap<string, PlatformFargateService>;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { config, hosting } = props;
    const { application, derived } = config;
    const deploymentNotifications = {
      topic: props.notificationsTopic,
      runbookUrl: runbookUrl(config.operations.runbookBaseUrl, 'deployment-failed'),
    };
    const services = new Map<string, PlatformFargateService>();
    for (const spec of props.services) {
      const ingress =
        isRouted(spec) && hosting.ingress
          ? new LoadBalancerIngress({
              spec,
              routes: hosting.ingress,
              priority: listenerRulePriority(spec.route.pathPrefix, derived.routedPrefixes),
              deregistrationDelay: hosting.ingress.deregistrationDelay,
              alarmThresholds: derived.alarmThresholds,
            })
          : undefined;
      const service = new PlatformFargateService(this, pascalCase(spec.name), {
        spec,
        cluster: hosting.cluster,
        subnets: props.subnets,
        mesh: hosting.mesh,
        parameters: props.parameters,
        tracing: application.tracing,
        datadog: application.datadog,
        release: releaseOf(props.releases, spec.name),
        logsKey: hosting.logsKey,
        logRetention: application.logRetentionDays,
        removalPolicy: derived.removalPolicy,
        fargateSpot: spec.fargateSpot ?? application.fargateSpot,
        ecsExec: derived.ecsExecServices.includes(spec.name),
        ingress,
        alarmThresholds: derived.alarmThresholds,
        deploymentNotifications,
        features: wiredFeatures(spec, {
          services: application.services,
          mesh: hosting.mesh,
          callers: hosting.callers,
          identity: props.identity,
          apiIdentifier: config.identity.apiIdentifier,
          removalPolicy: derived.removalPolicy,
          alarmThresholds: derived.alarmThresholds,
        }),
      });
      services.set(spec.name, service);
      // One entry of the service repository's PLATFORM_PUBLISH_TARGETS variable (README, "Releasing a service").
      new CfnOutput(this, `${pascalCase(spec.name)}PublishTarget`, {
        description: `Where ${spec.github.owner}/${spec.github.repository} publishes the image of ${spec.name}`,
        value: this.toJsonString({
          environment: config.name,
          role: service.pushRole.roleArn,
          repository: service.repository.repositoryUri,
        }),
      });
    }
    this.services = services;
  }
}
