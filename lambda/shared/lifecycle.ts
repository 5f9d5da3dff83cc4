import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { requiredEnv } from './environment';
import { TRIGGER_ENVIRONMENT } from './trigger-contract';

/** Lifecycle event types (seed 002: user/tenant created, updated, deleted). */
export type LifecycleEventType = 'user.created';

/** A lifecycle event as published to the topic. */
export interface LifecycleEvent {
  /**
   * Deterministic (`<type>:<subject>`): a trigger retried by Cognito publishes
   * the same ID again, and consumers drop the duplicate.
   */
  readonly id: string;
  readonly type: LifecycleEventType;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, string>>;
}

const sns = new SNSClient({});

/**
 * Publishes `event` to the lifecycle topic (`LIFECYCLE_TOPIC_ARN`), with its
 * type as a message attribute so subscriptions can filter on it.
 */
export async function publishLifecycleEvent(event: LifecycleEvent): Promise<void> {
  await sns.send(
    new PublishCommand({
      TopicArn: requiredEnv(TRIGGER_ENVIRONMENT.lifecycleTopicArn),
      Message: JSON.stringify(event),
      MessageAttributes: { type: { DataType: 'String', StringValue: event.type } },
    }),
  );
}
