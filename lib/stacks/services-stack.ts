import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isRouted, ServiceConfig } from '../../config';
import { listenerRulePriority } from '../constructs/ingress/listener-rule-priority';
import { LoadBalancerIngress } from '../constructs/service/features/load-balancer-ingress';
import { PlatformFargateService } from '../constructs/service/platform-fargate-service';
import { runbookUrl } from '../constructs/operations/runbooks';
import { ImageTagChoice } from '../image-tag';
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
  /** The image tag to run, or bootstrap mode. */
  readonly image: ImageTagChoice;
  /** The environment's notifications topic: failed deployments are told there. */
  readonly notificationsTopic: sns.ITopic;
}

/** A group of services (see PlatformStage for how services are grouped into stacks). */
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
      services.set(
        spec.name,
        new PlatformFargateService(this, pascalCase(spec.name), {
          spec,
          cluster: hosting.cluster,
          subnets: props.subnets,
          mesh: hosting.mesh,
          meshSecurityGroup: hosting.meshSecurityGroup,
          tracing: application.tracing,
          datadog: application.datadog,
          image: props.image,
          logsKey: hosting.logsKey,
          logRetention: application.logRetentionDays,
          removalPolicy: derived.removalPolicy,
          fargateSpot: application.fargateSpot,
          ingress,
          alarmThresholds: derived.alarmThresholds,
          deploymentNotifications,
        }),
      );
    }
    this.services = services;
  }
}
