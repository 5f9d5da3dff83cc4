import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmThresholds, OwnQueueConfig } from '../../../../config';
import { PlatformAlarm } from '../../operations/platform-alarm';
import { ServiceQueue } from '../service-queue';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/**
 * The queue a service consumes: an existing one (the lifecycle events, with
 * the alarm on its dead-letter queue), or its own.
 */
export type ConsumedQueue =
  | {
      readonly kind: 'existing';
      readonly queue: sqs.IQueue;
      readonly deadLetterAlarm: PlatformAlarm;
    }
  | {
      readonly kind: 'own';
      readonly config: OwnQueueConfig;
      readonly removalPolicy: RemovalPolicy;
      readonly alarmThresholds: AlarmThresholds;
    };

/**
 * A queue the service consumes: its own (created with a dead-letter queue
 * and its alarms) or an existing one; permission to consume that queue only,
 * `QUEUE_URL` for the app, and step scaling on the number of visible messages
 * (one task per `messagesPerTask`, up to maxCount). A message in the
 * dead-letter queue rolls the consumer's deployment back.
 */
export class QueueConsumer implements ServiceFeature {
  /** The service's own queue, once the service exists. */
  ownQueue?: ServiceQueue;

  constructor(
    private readonly consumed: ConsumedQueue,
    private readonly messagesPerTask: number,
  ) {}

  useService({ scope, spec, taskDefinition, appContainer, scaling }: ServiceInstance): void {
    const { consumed } = this;
    let queue: sqs.IQueue;
    if (consumed.kind === 'own') {
      this.ownQueue = new ServiceQueue(scope, 'Queue', {
        config: consumed.config,
        removalPolicy: consumed.removalPolicy,
        consumer: spec.name,
        alarmThresholds: consumed.alarmThresholds,
      });
      queue = this.ownQueue.queue;
    } else {
      queue = consumed.queue;
    }
    queue.grantConsumeMessages(taskDefinition.taskRole);
    appContainer.addEnvironment('QUEUE_URL', queue.queueUrl);
    scaling.scaleOnMetric('QueueDepth', {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: this.messagesPerTask, change: +1 },
        { lower: this.messagesPerTask * 5, change: +3 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(2),
    });
  }

  deploymentAlarms(): readonly PlatformAlarm[] {
    const { consumed } = this;
    if (consumed.kind === 'existing') {
      return [consumed.deadLetterAlarm];
    }
    return this.ownQueue ? [this.ownQueue.alarms.deadLetter] : [];
  }
}
