import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * AWS services that publish to the topic on their own behalf: EventBridge
 * rules (GuardDuty findings), CloudWatch alarms and AWS Budgets. An encrypted
 * topic needs a customer-managed key whose policy lets them use it; the AWS
 * managed `alias/aws/sns` key cannot be shared with them.
 * See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const PUBLISHING_SERVICES = [
  'events.amazonaws.com',
  'cloudwatch.amazonaws.com',
  'budgets.amazonaws.com',
] as const;

/** Properties of {@link NotificationsTopic}. */
export interface NotificationsTopicProps {
  /** Display name of the topic (shown as the e-mail sender). 1-100 characters. */
  readonly displayName: string;
  /**
   * E-mail addresses subscribed to the topic.
   * @default - no e-mail subscription
   */
  readonly emails?: readonly string[];
  /** What happens to the topic's key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The environment's operational notifications: an SNS topic encrypted with a
 * rotating customer-managed key, TLS-only publishing, and the services that
 * raise alarms, findings and budget alerts allowed to publish.
 */
export class NotificationsTopic extends Construct {
  /** The topic. */
  readonly topic: sns.ITopic;
  /** The key that encrypts the topic's messages at rest. */
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: NotificationsTopicProps) {
    super(scope, id);
    if (props.displayName.length < 1 || props.displayName.length > 100) {
      throw new Error(
        `NotificationsTopic ${id}: displayName "${props.displayName}" must have 1-100 characters`,
      );
    }

    const key = new kms.Key(this, 'Key', {
      description: `Encrypts the messages of the "${props.displayName}" topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: key,
      enforceSSL: true,
    });
    for (const service of PUBLISHING_SERVICES) {
      // Topic policy (sns:Publish) and key policy (GenerateDataKey*, Decrypt) for the service.
      topic.grantPublish(new iam.ServicePrincipal(service));
    }
    for (const email of props.emails ?? []) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.topic = topic;
    this.key = key;
  }
}
