import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmThresholds, OwnQueueConfig } from '../../../config';
import { QueueAlarms } from '../operations/alarms/queue-alarms';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** Properties of {@link ServiceQueue}. */
export interface ServiceQueueProps {
  /** Visibility timeout, receive count and scaling settings. */
  readonly config: OwnQueueConfig;
  /** What happens to the queues when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** The consumer's name, as people know it (the alarms name it). */
  readonly consumer: string;
  /** Thresholds of the queue's alarms. */
  readonly alarmThresholds: AlarmThresholds;
}

/** Messages stay in the dead-letter queue long enough to be inspected and redriven. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * A work queue with a dead-letter queue: both encrypted (SQS-managed keys)
 * and reachable over TLS only. A message received `maxReceiveCount` times
 * without being deleted moves to the dead-letter queue, which raises an
 * alarm; so does a message that waits too long.
 * See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export class ServiceQueue extends Construct {
  /** The work queue. */
  readonly queue: sqs.Queue;
  /** Where failing messages end up. */
  readonly deadLetterQueue: sqs.Queue;
  /** Dead-letter depth and oldest-message age. */
  readonly alarms: QueueAlarms;

  constructor(scope: Construct, id: string, props: ServiceQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetterQueue.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the work queue; a dead-letter queue of its own would only defer the same question.',
    });
    acknowledgeFindings(
      this.deadLetterQueue,
      [controlTower('sqs_dlq_check')],
      'This queue is the dead-letter queue of the work queue; a dead-letter queue of its own would only defer the same question, and its depth raises an alarm.',
    );
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.config.visibilityTimeoutSeconds),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: props.config.maxReceiveCount,
      },
      removalPolicy: props.removalPolicy,
    });
    this.alarms = new QueueAlarms(this, 'Alarms', {
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      messages: `Jobs of ${props.consumer}`,
      consumer: props.consumer,
      thresholds: props.alarmThresholds,
    });
  }
}
