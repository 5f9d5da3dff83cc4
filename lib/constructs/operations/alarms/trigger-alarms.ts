import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD } from './metric-math';

/** Properties of {@link TriggerAlarms}. */
export interface TriggerAlarmsProps {
  /** The trigger function. */
  readonly function: lambda.IFunction;
  /** The trigger, for people: e.g. `product pre-sign-up`. */
  readonly triggerName: string;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/**
 * A Cognito trigger's signals: any error or throttle fails the sign-up or
 * sign-in that called it (Cognito returns the failure to the user), and a
 * p99 duration close to Cognito's 5 s limit means the slowest calls are
 * about to fail the same way.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 * and https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export class TriggerAlarms extends Construct {
  /** Any failed invocation in a minute. */
  readonly errors: PlatformAlarm;
  /** Any throttled invocation in a minute. */
  readonly throttles: PlatformAlarm;
  /** p99 duration close to the limit. */
  readonly duration: PlatformAlarm;

  constructor(scope: Construct, id: string, props: TriggerAlarmsProps) {
    super(scope, id);
    const { function: fn, triggerName, thresholds } = props;
    const anyInAMinute = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      runbook: 'cognito-trigger',
    } as const;
    this.errors = new PlatformAlarm(this, 'Errors', {
      ...anyInAMinute,
      metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      impact: `The ${triggerName} trigger failed: Cognito rejected the sign-up or sign-in that called it.`,
      firstCheck: `the trigger's log group for the error (a database that does not answer is the usual cause) and the database alarms.`,
      panel: { section: 'triggers', title: 'Trigger errors', label: triggerName },
    });
    this.throttles = new PlatformAlarm(this, 'Throttles', {
      ...anyInAMinute,
      metric: fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
      impact: `Lambda throttled the ${triggerName} trigger: the sign-ups or sign-ins that called it failed.`,
      firstCheck: `the account's Lambda concurrency (ConcurrentExecutions) and whether another function uses it all.`,
      panel: { section: 'triggers', title: 'Trigger throttles', label: triggerName },
    });
    this.duration = new PlatformAlarm(this, 'DurationP99', {
      metric: fn.metricDuration({ period: ALARM_PERIOD, statistic: 'p99' }),
      threshold: thresholds.triggerDurationP99Ms,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `The slowest 1% of ${triggerName} calls take ${thresholds.triggerDurationP99Ms} ms or more, close to Cognito's 5 s limit: a little slower and sign-ups or sign-ins fail.`,
      firstCheck: `the database graphs (CPU, connections) and the trigger's cold starts (Init Duration in its log group).`,
      runbook: 'cognito-trigger',
      panel: { section: 'triggers', title: 'Trigger duration p99 (ms)', label: triggerName },
    });
  }
}
