import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../config';
import { DeadLetterQueueAlarm } from '../operations/alarms/dead-letter-queue-alarm';
import { QueueAlarms } from '../operations/alarms/queue-alarms';
import { PlatformAlarm } from '../operations/platform-alarm';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** Properties of {@link LifecycleEvents}. */
export interface LifecycleEventsProps {
  /** What happens to the key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Deliveries a message gets before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** Thresholds of the queue's alarms. */
  readonly alarmThresholds: AlarmThresholds;
}

/**
 * User and company lifecycle events (seed 002): an SNS topic the triggers
 * publish to, an SQS queue subscribed to it for the lifecycle worker, a
 * dead-letter queue for messages the worker failed, a dead-letter queue of
 * the subscription for messages SNS could not deliver, an alarm as soon as
 * either holds a message and one when the oldest event waits too long.
 * Topic and queues are encrypted with rotating customer-managed keys and
 * refuse plain HTTP.
 * See https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 */
export class LifecycleEvents extends Construct {
  /** The topic user and company events are published to. */
  readonly topic: sns.ITopic;
  /** The worker's queue. */
  readonly queue: sqs.IQueue;
  /** Messages the worker failed `maxReceiveCount` times. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Dead-letter depth and oldest-event age of the worker's queue. */
  readonly alarms: QueueAlarms;
  /** Messages SNS failed to deliver to the queue (the subscription's dead-letter queue). */
  readonly deliveryDeadLetterQueue: sqs.IQueue;
  /** In alarm when SNS failed to deliver a message. */
  readonly deliveryFailureAlarm: PlatformAlarm;

  constructor(scope: Construct, id: string, props: LifecycleEventsProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount ${maxReceiveCount} is not a whole number from 1 to 1000`);
    }

    // Two keys: the queue key's policy names the topic (SNS may decrypt only for it), so
    // one key for both would make key and topic depend on each other.
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the lifecycle event topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const key = new kms.Key(this, 'QueueKey', {
      description: 'Encrypts the lifecycle event queues',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const topic = new sns.Topic(this, 'Topic', { masterKey: topicKey, enforceSSL: true });
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    });
    const deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deliveryDeadLetterQueue.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the dead-letter queue of the topic's subscription (SNS redrive policy); a dead-letter queue of its own would only defer the same question.",
    });
    for (const deadLetters of [deadLetterQueue, deliveryDeadLetterQueue]) {
      acknowledgeFindings(
        deadLetters,
        [controlTower('sqs_dlq_check')],
        'A dead-letter queue (of the lifecycle queue, or of the SNS subscription); a dead-letter queue of its own would only defer the same question, and its depth raises an alarm.',
      );
    }
    topic.addSubscription(
      new subscriptions.SqsSubscription(queue, {
        rawMessageDelivery: true,
        deadLetterQueue: deliveryDeadLetterQueue,
      }),
    );

    this.alarms = new QueueAlarms(this, 'Alarms', {
      queue,
      deadLetterQueue,
      messages: 'User and company lifecycle events',
      consumer: 'the lifecycle worker',
      thresholds: props.alarmThresholds,
    });
    this.deliveryFailureAlarm = new DeadLetterQueueAlarm(this, 'DeliveryFailureAlarm', {
      deadLetterQueue: deliveryDeadLetterQueue,
      impact:
        'SNS could not deliver user and company lifecycle events to their queue: the lifecycle worker never sees them until someone redrives them.',
      firstCheck:
        "the lifecycle queue's access policy and key policy (SNS must be allowed to send and to use the key), then the messages in the subscription's dead-letter queue.",
      label: 'lifecycle delivery',
    });
    this.topic = topic;
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.deliveryDeadLetterQueue = deliveryDeadLetterQueue;
  }
}
