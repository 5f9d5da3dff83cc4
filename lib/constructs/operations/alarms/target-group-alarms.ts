import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD, percentOf } from './metric-math';

/** Properties of {@link TargetGroupAlarms}. */
export interface TargetGroupAlarmsProps {
  /** The routed service's target group (attached to the load balancer's listener). */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The service's name, as people know it. */
  readonly serviceName: string;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/**
 * What users of one routed service see: its 5xx responses as a rate of its
 * requests, its p99 response time and its unhealthy targets. The 5xx and
 * health alarms also roll back the service's deployments (see
 * {@link deploymentAlarms}).
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export class TargetGroupAlarms extends Construct {
  /** Target 5xx as a percentage of the service's requests. */
  readonly target5xx: PlatformAlarm;
  /** p99 target response time. */
  readonly responseTime: PlatformAlarm;
  /** Unhealthy targets. */
  readonly unhealthyTargets: PlatformAlarm;

  constructor(scope: Construct, id: string, props: TargetGroupAlarmsProps) {
    super(scope, id);
    const { metrics } = props.targetGroup;
    const { thresholds, serviceName } = props;
    const requests = metrics.requestCount({ period: ALARM_PERIOD, statistic: 'Sum' });
    this.target5xx = new PlatformAlarm(this, 'Target5xx', {
      metric: percentOf(
        this,
        metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
        requests,
        { minimumWhole: thresholds.minimumRequestsPerMinute, label: `${serviceName} 5xx %` },
      ),
      threshold: thresholds.target5xxPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `${thresholds.target5xxPercent}% or more of the requests to ${serviceName} fail with 5xx errors the service returns itself.`,
      firstCheck: `whether a deployment of ${serviceName} is running (ECS rolls it back on this alarm), then its application log group for the errors.`,
      runbook: 'target-5xx',
      panel: {
        section: 'load-balancer',
        title: 'Target 5xx (% of requests)',
        label: serviceName,
        context: [{ title: 'Requests per minute', metric: requests.with({ label: serviceName }) }],
      },
    });
    this.responseTime = new PlatformAlarm(this, 'ResponseTimeP99', {
      metric: metrics.targetResponseTime({ period: ALARM_PERIOD, statistic: 'p99' }),
      // The metric is in seconds.
      threshold: thresholds.targetResponseTimeP99Ms / 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `The slowest 1% of requests to ${serviceName} take ${thresholds.targetResponseTimeP99Ms} ms or more: users wait, and clients may time out.`,
      firstCheck: `the CPU of ${serviceName} and the database graphs of the dashboard, then the slowest traces of the service.`,
      runbook: 'target-latency',
      panel: {
        section: 'load-balancer',
        title: 'Target response time p99 (s)',
        label: serviceName,
      },
    });
    this.unhealthyTargets = new PlatformAlarm(this, 'UnhealthyTargets', {
      metric: metrics.unhealthyHostCount({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: thresholds.unhealthyTargetMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `Tasks of ${serviceName} fail the load balancer's health check for ${thresholds.unhealthyTargetMinutes} minutes: fewer tasks serve users, and none left means 502/503 errors.`,
      firstCheck: `the target health reason in the target group (EC2 console, Target groups) and the logs of the failing tasks of ${serviceName}.`,
      runbook: 'unhealthy-targets',
      panel: { section: 'load-balancer', title: 'Unhealthy targets', label: serviceName },
    });
  }

  /** The alarms that roll back a deployment of the service: its 5xx rate and its health. */
  get deploymentAlarms(): readonly PlatformAlarm[] {
    return [this.target5xx, this.unhealthyTargets];
  }
}
