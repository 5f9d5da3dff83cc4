import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlarmThresholds, RoutedServiceConfig, ServiceProtocol } from '../../../../config';
import { SCALING } from '../../../defaults';
import { pathPatternsOf } from '../../ingress/listener-rule-priority';
import { TargetGroupAlarms } from '../../operations/alarms/target-group-alarms';
import { PlatformAlarm } from '../../operations/platform-alarm';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/** The load balancer side of service ingress: where routes go and who sends the traffic. */
export interface LoadBalancerRoutes {
  /** The listener to add the path rule to. */
  readonly listener: elbv2.IApplicationListener;
  /** The load balancer's security group (or anything connectable) that sends the traffic. */
  readonly loadBalancer: ec2.IConnectable;
  /** Conditions every rule adds to its path condition (the viewer host names the load balancer routes). */
  readonly routeConditions: readonly elbv2.ListenerCondition[];
}

/** Properties of {@link LoadBalancerIngress}. */
export interface LoadBalancerIngressProps {
  /** The routed service. */
  readonly spec: RoutedServiceConfig;
  /** The load balancer's listener and conditions. */
  readonly routes: LoadBalancerRoutes;
  /** The rule's priority (see listenerRulePriority). */
  readonly priority: number;
  /** How long a deregistering task keeps receiving in-flight requests. */
  readonly deregistrationDelay: Duration;
  /** Thresholds of the target group's alarms. */
  readonly alarmThresholds: AlarmThresholds;
}

const TARGET_PROTOCOL_VERSIONS: Record<ServiceProtocol, elbv2.ApplicationProtocolVersion> = {
  http: elbv2.ApplicationProtocolVersion.HTTP1,
  http2: elbv2.ApplicationProtocolVersion.HTTP2,
  grpc: elbv2.ApplicationProtocolVersion.GRPC,
};

/** Time a new task gets before failing load-balancer health checks count against it. */
const HEALTH_CHECK_GRACE_PERIOD = Duration.seconds(60);

/**
 * Load-balancer traffic to a routed service: a target group on the app port
 * (health-checked on the route's path, speaking the app's protocol), a
 * listener rule for `<prefix>` and `<prefix>/*`, the security-group rule from
 * the load balancer, scaling on requests per target, and the target group's
 * alarms (5xx rate, p99, unhealthy targets), whose 5xx and health alarms roll
 * the service's deployments back.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html
 */
export class LoadBalancerIngress implements ServiceFeature {
  /** The target group, once the service exists. */
  targetGroup?: elbv2.ApplicationTargetGroup;
  /** The target group's alarms, once the service exists. */
  alarms?: TargetGroupAlarms;

  constructor(private readonly props: LoadBalancerIngressProps) {}

  serviceProps(): Partial<ecs.FargateServiceProps> {
    return { healthCheckGracePeriod: HEALTH_CHECK_GRACE_PERIOD };
  }

  useService({ scope, service, appContainer, scaling, securityGroup }: ServiceInstance): void {
    const { spec, routes } = this.props;
    const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'TargetGroup', {
      vpc: service.cluster.vpc,
      targetType: elbv2.TargetType.IP,
      port: spec.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      protocolVersion: TARGET_PROTOCOL_VERSIONS[spec.protocol],
      deregistrationDelay: this.props.deregistrationDelay,
      healthCheck: {
        path: spec.route.healthCheckPath,
        // gRPC targets answer health checks with gRPC status codes, not HTTP ones.
        ...(spec.protocol === 'grpc'
          ? { healthyGrpcCodes: '0-99' }
          : { healthyHttpCodes: '200-399' }),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      targets: [
        service.loadBalancerTarget({
          containerName: appContainer.containerName,
          containerPort: spec.port,
        }),
      ],
    });
    new elbv2.ApplicationListenerRule(scope, 'ListenerRule', {
      listener: routes.listener,
      priority: this.props.priority,
      conditions: [
        elbv2.ListenerCondition.pathPatterns(pathPatternsOf(spec.route.pathPrefix)),
        ...routes.routeConditions,
      ],
      action: elbv2.ListenerAction.forward([targetGroup]),
    });
    securityGroup.connections.allowFrom(
      routes.loadBalancer,
      ec2.Port.tcp(spec.port),
      'Load balancer to the app port',
    );
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: SCALING.requestsPerTargetPerMinute,
      targetGroup,
    });
    this.targetGroup = targetGroup;
    this.alarms = new TargetGroupAlarms(scope, 'TargetAlarms', {
      targetGroup,
      serviceName: spec.name,
      thresholds: this.props.alarmThresholds,
    });
  }

  deploymentAlarms(): readonly PlatformAlarm[] {
    return this.alarms?.deploymentAlarms ?? [];
  }
}
