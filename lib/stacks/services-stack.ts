import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceConfig } from '../../config';
import { listenerRulePriority } from '../constructs/ingress/listener-rule-priority';
import { PlatformFargateService } from '../constructs/service/platform-fargate-service';
import { removalPolicyOf } from '../defaults';
import { ImageTagChoice } from '../image-tag';
import { pascalCase } from '../naming';
import { ApplicationStack } from './application-stack';
import { NetworkStack } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link ServicesStack}. */
export interface ServicesStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly application: ApplicationStack;
  /** The services of this stack. */
  readonly services: readonly ServiceConfig[];
  /** The image tag to run, or bootstrap mode. */
  readonly image: ImageTagChoice;
}

/** A group of services (see PlatformStage for how services are grouped into stacks). */
export class ServicesStack extends PlatformStack {
  /** The services, by name. */
  readonly services: ReadonlyMap<string, PlatformFargateService>;

  constructor(scope: Construct, id: string, props: ServicesStackProps) {
    super(scope, id, props);
    const { application } = props.config;
    const routedPrefixes = application.services.flatMap((s) =>
      s.pathPrefix === undefined ? [] : [s.pathPrefix],
    );
    const services = new Map<string, PlatformFargateService>();
    for (const spec of props.services) {
      services.set(
        spec.name,
        new PlatformFargateService(this, pascalCase(spec.name), {
          spec,
          cluster: props.application.cluster.cluster,
          subnets: props.network.subnets.privateWithEgress,
          mesh: props.application.mesh,
          meshSecurityGroup: props.application.meshSecurityGroup,
          tracing: application.tracing,
          datadog: application.datadog,
          image: props.image,
          logsKey: props.application.logsKey,
          logRetention: application.logRetentionDays as logs.RetentionDays,
          removalPolicy: removalPolicyOf(props.config.removalPolicy),
          fargateSpot: application.fargateSpot,
          ingress:
            spec.pathPrefix === undefined || !props.application.mesh.loadBalancerRoutesToServices
              ? undefined
              : {
                  listener: props.application.loadBalancer.listener,
                  loadBalancer: props.application.loadBalancer.loadBalancer,
                  priority: listenerRulePriority(spec.pathPrefix, routedPrefixes),
                  conditions: props.application.loadBalancer.routeConditions,
                  deregistrationDelay: Duration.seconds(application.deregistrationDelaySeconds),
                },
        }),
      );
    }
    this.services = services;
  }
}
