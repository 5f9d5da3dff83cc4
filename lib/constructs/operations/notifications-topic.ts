import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { NotificationsConfig } from '../../../config';

/**
 * AWS services that publish to the topic on their own behalf: EventBridge
 * rules (GuardDuty findings, failed deployments), CloudWatch alarms and AWS
 * Budgets. An encrypted topic needs a customer-managed key whose policy lets
 * them use it; the AWS managed `alias/aws/sns` key cannot be shared with them.
 * See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const PUBLISHING_SERVICES = [
  'events.amazonaws.com',
  'cloudwatch.amazonaws.com',
  'budgets.amazonaws.com',
] as const;

/** A service that publishes to the topic. */
export type PublishingService = (typeof PUBLISHING_SERVICES)[number];

/**
 * What people may do from the Slack channel through AWS Chatbot: read
 * CloudWatch (alarm history, metrics, logs). Without a guardrail Chatbot
 * applies `AdministratorAccess`; the channel's role has no permissions of its
 * own either, so nobody changes the account from chat.
 * See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-chatbot-slackchannelconfiguration.html
 * (GuardrailPolicies) and https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchReadOnlyAccess.html
 */
const SLACK_GUARDRAIL_POLICY = 'CloudWatchReadOnlyAccess';

/** Properties of {@link NotificationsTopic}. */
export interface NotificationsTopicProps {
  /** Display name of the topic (shown as the e-mail sender). 1-100 characters. */
  readonly displayName: string;
  /** Who receives what the topic carries: e-mail addresses and an optional Slack channel. */
  readonly recipients: NotificationsConfig;
  /**
   * Name of the Slack channel configuration, unique in the account: letters,
   * digits, "-" and "_", 1-128 characters. Required with `recipients.slack`.
   * @default - no Slack channel
   */
  readonly slackConfigurationName?: string;
  /**
   * The services that publish to the topic.
   * @default PUBLISHING_SERVICES
   */
  readonly publishingServices?: readonly PublishingService[];
  /** What happens to the topic's key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Operational notifications that reach people: an SNS topic encrypted with a
 * rotating customer-managed key, TLS-only publishing, the services that raise
 * alarms, findings and budget alerts allowed to publish, and its recipients
 * subscribed: each e-mail address and the Slack channel (AWS Chatbot).
 */
export class NotificationsTopic extends Construct {
  /** The topic. */
  readonly topic: sns.ITopic;
  /** The key that encrypts the topic's messages at rest. */
  readonly key: kms.IKey;
  /** The Slack channel, when one is configured. */
  readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: NotificationsTopicProps) {
    super(scope, id);
    if (props.displayName.length < 1 || props.displayName.length > 100) {
      throw new Error(
        `NotificationsTopic ${id}: displayName "${props.displayName}" must have 1-100 characters`,
      );
    }
    const { slack, emails } = props.recipients;
    const name = props.slackConfigurationName;
    if (slack && (name === undefined || !/^[A-Za-z0-9_-]{1,128}$/.test(name))) {
      throw new Error(
        `NotificationsTopic ${id}: slackConfigurationName ${JSON.stringify(name)} is not a Chatbot configuration name; allowed: 1-128 letters, digits, "-" and "_"`,
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
    for (const service of props.publishingServices ?? PUBLISHING_SERVICES) {
      // The topic policy admits the service only on behalf of this account's alarms, rules and
      // budgets (confused deputy: https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html#source-account-versus-source-owner).
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
      // The key policy cannot carry the condition: EventBridge's KMS requests have no
      // aws:SourceAccount, so a conditioned grant would drop every event silently; the key
      // only serves this topic (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
      key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    for (const email of emails ?? []) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    if (slack && name) {
      // https://docs.aws.amazon.com/chatbot/latest/adminguide/slack-setup.html
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: name,
        slackWorkspaceId: slack.workspaceId,
        slackChannelId: slack.channelId,
        notificationTopics: [topic],
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(SLACK_GUARDRAIL_POLICY)],
      });
    }
    this.topic = topic;
    this.key = key;
  }
}
