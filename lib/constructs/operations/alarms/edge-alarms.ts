import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmThresholds, CLOUDFRONT_REGION } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD, whenBusy } from './metric-math';

/** Properties of {@link EdgeAlarms}. */
export interface EdgeAlarmsProps {
  /** The CloudFront distribution's ID. */
  readonly distributionId: string;
  /** The metric name of the CLOUDFRONT web ACL (its `VisibilityConfig.MetricName`). */
  readonly webAclMetricName: string;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/** Blocked requests are compared with their learned band over five-minute periods. */
const WAF_PERIOD = Duration.minutes(5);

/**
 * The front door's signals, in us-east-1 where CloudFront and CLOUDFRONT-scope
 * WAF publish their metrics (an alarm watches metrics of its own region
 * only): CloudFront's 5xx rate, and WAF blocked requests far above their
 * learned pattern (for information: an attack, or a rule that blocks real users).
 *
 * CloudFront metrics carry the dimension `Region: Global`, which aws-cdk-lib's
 * `Distribution.metric*()` omit (aws/aws-cdk#19245, still open with the fix in
 * aws/aws-cdk#38688), so the metric is built here. CLOUDFRONT web ACL metrics
 * have no `Region` dimension (cdklabs/cdk-monitoring-constructs#681); their
 * `WebACL` dimension is the web ACL's metric name.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html,
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-wafv2-webacl-visibilityconfig.html
 */
export class EdgeAlarms extends Construct {
  /** CloudFront 5xx rate. */
  readonly cloudFront5xx: PlatformAlarm;
  /** WAF blocked requests above their band. */
  readonly wafBlocked: PlatformAlarm;

  constructor(scope: Construct, id: string, props: EdgeAlarmsProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (region !== CLOUDFRONT_REGION) {
      throw new Error(
        `EdgeAlarms: CloudFront and its WAF publish metrics in ${CLOUDFRONT_REGION}; this stack is in ${region}`,
      );
    }
    const { thresholds } = props;
    const cloudFront = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: props.distributionId, Region: 'Global' },
        statistic,
        period: ALARM_PERIOD,
      });
    const requests = cloudFront('Requests', 'Sum');
    this.cloudFront5xx = new PlatformAlarm(this, 'CloudFront5xx', {
      metric: whenBusy(this, cloudFront('5xxErrorRate', 'Average'), requests, {
        minimumVolume: thresholds.minimumRequestsPerMinute,
        label: 'CloudFront 5xx %',
      }),
      threshold: thresholds.cloudFront5xxPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `${thresholds.cloudFront5xxPercent}% or more of the viewers' requests end in a 5xx error: the platform is failing for users.`,
      firstCheck:
        'the load balancer 5xx and target 5xx graphs (origin errors), then the CloudFront access logs (x-edge-result-type Error, OriginError).',
      runbook: 'cloudfront-5xx',
      panel: {
        section: 'edge',
        title: 'CloudFront 5xx (% of requests)',
        label: 'CloudFront',
        context: [
          {
            title: 'CloudFront requests per minute',
            metric: requests.with({ label: 'CloudFront' }),
          },
        ],
      },
    });
    const blocked = new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: props.webAclMetricName, Rule: 'ALL' },
      statistic: 'Sum',
      period: WAF_PERIOD,
      label: 'blocked',
    });
    this.wafBlocked = new PlatformAlarm(this, 'WafBlocked', {
      metric: cloudwatch.Metric.anomalyDetectionFor({
        metric: blocked,
        stdDevs: thresholds.wafBlockedStdDevs,
        label: 'expected',
        period: WAF_PERIOD,
      }),
      threshold: cloudwatch.Alarm.ANOMALY_DETECTION_NO_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact:
        'For information: the CloudFront web ACL blocks far more requests than usual. Either the platform is under attack (users are protected), or a rule blocks real users.',
      firstCheck:
        'which rule blocks (WAF console, Sampled requests, or the aws-waf-logs-<env>-edge log group) and whether the blocked clients are real users.',
      runbook: 'waf-blocked-requests',
      panel: {
        section: 'edge',
        title: 'WAF blocked requests (5 min)',
        label: 'expected band',
        context: [{ title: 'WAF blocked requests (5 min)', metric: blocked }],
      },
    });
  }
}
