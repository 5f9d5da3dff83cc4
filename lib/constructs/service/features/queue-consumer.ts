import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { OwnQueueConfig } from '../../../../config';
import { ServiceQueue } from '../service-queue';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/** The queue a service consumes: an existing one (the lifecycle events), or its own. */
export type ConsumedQueue =
  | { readonly kind: 'existing'; readonly queue: sqs.IQueue }
  | {
      readonly kind: 'own';
      readonly config: OwnQueueConfig;
      readonly removalPolicy: RemovalPolicy;
    };

/**
 * A queue the service consumes: its own (created with a dead-letter queue) or
 * an existing one; permission to consume that queue only, `QUEUE_URL` for the
 * app, and step scaling on the number of visible messages (one task per
 * `messagesPerTask`, up to maxCount).
 */
export class QueueConsumer implements ServiceFeature {
  /** The service's own queue, once the service exists. */
  ownQueue?: ServiceQueue;

  constructor(
    private readonly consumed: ConsumedQueue,
    private readonly messagesPerTask: number,
  ) {}

  useService({ scope, taskDefinition, appContainer, scaling }: ServiceInstance): void {
    const { consumed } = this;
    let queue: sqs.IQueue;
    if (consumed.kind === 'own') {
      this.ownQueue = new ServiceQueue(scope, 'Queue', {
        config: consumed.config,
        removalPolicy: consumed.removalPolicy,
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
}
