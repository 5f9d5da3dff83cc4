import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { AlarmThresholds, ServiceQueueConfig } from '../../../../config';
import { PlatformAlarm } from '../../operations/platform-alarm';
import { ServiceQueue } from '../service-queue';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/**
 * A work queue the service consumes: the queue and its dead-letter queue,
 * permission to consume, `QUEUE_URL` for the app, and step scaling on the
 * number of visible messages (one task per `messagesPerTask`, up to maxCount).
 * A message in the dead-letter queue rolls the consumer's deployment back.
 */
export class QueueConsumer implements ServiceFeature {
  /** The queue, once the service exists. */
  queue?: ServiceQueue;

  constructor(
    private readonly config: ServiceQueueConfig,
    private readonly removalPolicy: RemovalPolicy,
    private readonly alarmThresholds: AlarmThresholds,
  ) {}

  useService({ scope, spec, taskDefinition, appContainer, scaling }: ServiceInstance): void {
    const queue = new ServiceQueue(scope, 'Queue', {
      config: this.config,
      removalPolicy: this.removalPolicy,
      consumer: spec.name,
      alarmThresholds: this.alarmThresholds,
    });
    queue.queue.grantConsumeMessages(taskDefinition.taskRole);
    appContainer.addEnvironment('QUEUE_URL', queue.queue.queueUrl);
    scaling.scaleOnMetric('QueueDepth', {
      metric: queue.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
      }),
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: this.config.messagesPerTask, change: +1 },
        { lower: this.config.messagesPerTask * 5, change: +3 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(2),
    });
    this.queue = queue;
  }

  deploymentAlarms(): readonly PlatformAlarm[] {
    return this.queue ? [this.queue.alarms.deadLetter] : [];
  }
}
