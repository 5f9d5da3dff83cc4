import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { DeadLetterQueueAlarm } from './dead-letter-queue-alarm';
import { ALARM_PERIOD } from './metric-math';

/** Properties of {@link QueueAlarms}. */
export interface QueueAlarmsProps {
  /** The work queue. */
  readonly queue: sqs.IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** What the messages are, for people: e.g. `Image jobs`, `Lifecycle events`. */
  readonly messages: string;
  /** Who consumes the queue, for people: e.g. `image-worker`. */
  readonly consumer: string;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/** The age of the oldest message must exceed its threshold this many minutes in a row. */
const BACKLOG_MINUTES = 3;

/**
 * A queue's two signals: a message in the dead-letter queue (it failed every
 * delivery; seed 002's recovery starts from this alarm) and the age of the
 * oldest message of the work queue (its consumer is stopped, failing or too
 * slow). The dead-letter alarm also rolls back a deployment of the consumer.
 * See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export class QueueAlarms extends Construct {
  /** In alarm while the dead-letter queue holds a message. */
  readonly deadLetter: PlatformAlarm;
  /** In alarm while the oldest message waits too long. */
  readonly oldestMessage: PlatformAlarm;

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    const { thresholds, messages, consumer } = props;
    this.deadLetter = new DeadLetterQueueAlarm(this, 'DeadLetter', {
      deadLetterQueue: props.deadLetterQueue,
      impact: `${messages} failed every delivery to ${consumer} and wait in the dead-letter queue: they are not processed until someone redrives them.`,
      firstCheck: `the logs of ${consumer} for the failure, then the message itself (SQS console, Poll for messages on the dead-letter queue).`,
      label: consumer,
    });
    this.oldestMessage = new PlatformAlarm(this, 'OldestMessage', {
      metric: props.queue.metricApproximateAgeOfOldestMessage({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      // The metric is in seconds.
      threshold: thresholds.queueOldestMessageMinutes * 60,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: BACKLOG_MINUTES,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `${messages} have waited ${thresholds.queueOldestMessageMinutes} minutes or more for ${consumer}: the work users asked for is late.`,
      firstCheck: `whether ${consumer} runs (tasks below desired) and its logs for errors, then the queue depth graph.`,
      runbook: 'queue-backlog',
      panel: {
        section: 'queues',
        title: 'Oldest message age (s)',
        label: consumer,
        context: [
          {
            title: 'Queue depth (visible messages)',
            metric: props.queue.metricApproximateNumberOfMessagesVisible({
              period: ALARM_PERIOD,
              statistic: 'Maximum',
              label: consumer,
            }),
          },
        ],
      },
    });
  }
}
