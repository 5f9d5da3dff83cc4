import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD } from './metric-math';

/** Properties of {@link DeadLetterQueueAlarm}. */
export interface DeadLetterQueueAlarmProps {
  /** The dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What users lose while a message waits there. */
  readonly impact: string;
  /** Where the person told looks first. */
  readonly firstCheck: string;
  /** The line of the dead-letter panel: who or what failed to take the messages. */
  readonly label: string;
}

/**
 * In alarm while a dead-letter queue holds a message: something failed every
 * delivery, and nothing retries it until someone redrives it (seed 002's
 * recovery starts from this alarm). The maximum of visible messages per minute
 * sees a single message.
 * See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export class DeadLetterQueueAlarm extends PlatformAlarm {
  constructor(scope: Construct, id: string, props: DeadLetterQueueAlarmProps) {
    super(scope, id, {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: props.impact,
      firstCheck: props.firstCheck,
      runbook: 'dead-letter-queue',
      panel: { section: 'queues', title: 'Dead-letter queue depth', label: props.label },
    });
  }
}
