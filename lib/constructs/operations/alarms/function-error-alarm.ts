import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AlarmPanel, PlatformAlarm } from '../platform-alarm';
import { Runbook } from '../runbooks';
import { ALARM_PERIOD } from './metric-math';

/** Properties of {@link FunctionErrorAlarm}. */
export interface FunctionErrorAlarmProps {
  /** The function. */
  readonly function: lambda.IFunction;
  /** What fails for users, or for the deployment, when an invocation fails. */
  readonly impact: string;
  /** Where the person told looks first. */
  readonly firstCheck: string;
  /** The runbook page. */
  readonly runbook: Runbook;
  /** The dashboard line. */
  readonly panel: AlarmPanel;
}

/**
 * In alarm on any failed invocation of a function in a minute: for a
 * function invoked once per deployment or per rotation step, one failure is
 * already the event to look at.
 * See https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export class FunctionErrorAlarm extends PlatformAlarm {
  constructor(scope: Construct, id: string, props: FunctionErrorAlarmProps) {
    super(scope, id, {
      metric: props.function.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: props.impact,
      firstCheck: props.firstCheck,
      runbook: props.runbook,
      panel: props.panel,
    });
  }
}
