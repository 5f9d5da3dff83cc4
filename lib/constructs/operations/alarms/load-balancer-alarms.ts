import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD, percentOf } from './metric-math';

/** Properties of {@link LoadBalancerAlarms}. */
export interface LoadBalancerAlarmsProps {
  /** The load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/** Rejected connections are counted over five minutes (`rejectedConnections`). */
const REJECTED_CONNECTIONS_PERIOD = Duration.minutes(5);

/**
 * The load balancer's own signals: the 5xx responses it generates itself
 * (no healthy target, target unreachable or too slow) as a rate of its
 * requests, and the connections it rejects at its connection limit. The
 * targets' signals are watched per routed service (`TargetGroupAlarms`).
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export class LoadBalancerAlarms extends Construct {
  /** ELB 5xx as a percentage of requests. */
  readonly elb5xx: PlatformAlarm;
  /** Rejected connections. */
  readonly rejectedConnections: PlatformAlarm;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const { metrics } = props.loadBalancer;
    const { thresholds } = props;
    const requests = metrics.requestCount({ period: ALARM_PERIOD, statistic: 'Sum' });
    this.elb5xx = new PlatformAlarm(this, 'Elb5xx', {
      metric: percentOf(
        this,
        metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        requests,
        { minimumWhole: thresholds.minimumRequestsPerMinute, label: 'ELB 5xx %' },
      ),
      threshold: thresholds.loadBalancer5xxPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `Users get 502, 503 or 504 errors from the load balancer itself on ${thresholds.loadBalancer5xxPercent}% or more of requests: a service has no healthy task, or its tasks do not answer in time.`,
      firstCheck:
        'the unhealthy-targets and tasks-below-desired alarms, then the access logs (elb_status_code 5xx with target_status_code "-").',
      runbook: 'load-balancer-5xx',
      panel: {
        section: 'load-balancer',
        title: 'Load balancer 5xx (% of requests)',
        label: 'load balancer',
        context: [
          { title: 'Requests per minute', metric: requests.with({ label: 'load balancer' }) },
        ],
      },
    });
    this.rejectedConnections = new PlatformAlarm(this, 'RejectedConnections', {
      metric: metrics.rejectedConnectionCount({
        period: REJECTED_CONNECTIONS_PERIOD,
        statistic: 'Sum',
      }),
      threshold: thresholds.rejectedConnections,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact:
        'The load balancer refused connections because it reached its maximum number of connections: those users got no answer at all.',
      firstCheck:
        'the request rate on the dashboard (a traffic spike or an attack, see the WAF graph) and the active connection count.',
      runbook: 'rejected-connections',
      panel: {
        section: 'load-balancer',
        title: 'Rejected connections (5 min)',
        label: 'load balancer',
      },
    });
  }
}
