import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { NotificationsConfig } from '../../../config';
import { NotificationsTopic } from './notifications-topic';
import { AlarmPanel, alarmNameOf, PlatformAlarm } from './platform-alarm';
import { Runbook, runbookUrl } from './runbooks';

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /** The environment's name: it names the topic and the Slack channel configuration. */
  readonly environmentName: string;
  /** Where `docs/runbooks/` is opened (`operations.runbookBaseUrl`). */
  readonly runbookBaseUrl: string;
  /** Who is told: e-mail addresses and an optional Slack channel. */
  readonly notifications: NotificationsConfig;
  /** What happens to the topic's key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** An alarm that reaches people, as the dashboard shows it. */
export interface RegisteredAlarm {
  /** The alarm. */
  readonly alarm: cloudwatch.Alarm | cloudwatch.CompositeAlarm;
  /** Its literal name. */
  readonly name: string;
  /** The region of its stack (its metrics' region). */
  readonly region: string;
  /**
   * Its graph on the dashboard.
   * @default - its own graph among the other alarms
   */
  readonly panel?: AlarmPanel;
}

/**
 * Alarm descriptions: at most 1024 characters.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * The environment's one path for alarms. It owns the notifications topic
 * (e-mail and Slack) and knows the topics of other regions (CloudWatch
 * alarms notify topics of their own region only: the us-east-1 edge stack
 * has its own, subscribed alike). {@link addAlarm} completes an alarm, in any
 * stack of the environment: a literal name, the runbook link, ALARM and OK
 * to the topic of its region, and a place on the dashboard. The stage's
 * `AlarmRegistration` aspect calls it for every alarm, so alarms created
 * anywhere (by any engineer) reach a person without further wiring.
 */
export class Monitoring extends Construct {
  /** Receives alarms, GuardDuty findings, budget alerts and failed deployments of the region. */
  readonly topic: sns.ITopic;
  private readonly runbookBaseUrl: string;
  private readonly topicsByRegion = new Map<string, sns.ITopic>();
  private readonly registered: RegisteredAlarm[] = [];
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.environmentName)) {
      throw new Error(
        `Monitoring ${id}: environmentName "${props.environmentName}" must be lowercase letters, digits and "-"`,
      );
    }
    this.runbookBaseUrl = props.runbookBaseUrl;
    this.topic = new NotificationsTopic(this, 'Notifications', {
      displayName: `${props.environmentName} platform notifications`,
      recipients: props.notifications,
      slackConfigurationName: `${props.environmentName}-platform-notifications`,
      removalPolicy: props.removalPolicy,
    }).topic;
    this.topicsByRegion.set(Stack.of(this).region, this.topic);
  }

  /** Sends the alarms of `topic`'s region (its stack's) to `topic`. */
  addRegionalTopic(topic: sns.ITopic): void {
    const region = Stack.of(topic).region;
    if (this.topicsByRegion.has(region)) {
      throw new Error(
        `Monitoring.addRegionalTopic: region ${region} has a notifications topic already`,
      );
    }
    this.topicsByRegion.set(region, topic);
  }

  /** The link to a runbook page. */
  runbookUrl(runbook: Runbook): string {
    return runbookUrl(this.runbookBaseUrl, runbook);
  }

  /** Whether `alarm` went through {@link addAlarm}. */
  isRegistered(alarm: cloudwatch.Alarm | cloudwatch.CompositeAlarm): boolean {
    return this.registered.some((entry) => entry.alarm === alarm);
  }

  /**
   * Completes `alarm` so it reaches people: gives it a literal name (its own,
   * or `<stack name>-<construct path>`), appends the runbook link of a
   * {@link PlatformAlarm} to its description, sends ALARM and OK to the
   * notifications topic of its region, and puts it on the dashboard.
   *
   * @returns the alarm's name
   */
  addAlarm(alarm: cloudwatch.Alarm | cloudwatch.CompositeAlarm): string {
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm;
    const stack = Stack.of(alarm);
    // An alarm without a name carries a lazy token that resolves to undefined.
    const given: unknown = stack.resolve(cfn.alarmName);
    const name = given === undefined ? alarmNameOf(alarm.node.scope!, alarm.node.id) : given;
    if (typeof name !== 'string') {
      throw new Error(
        `Monitoring.addAlarm: alarm ${alarm.node.path} has a token as alarmName; give it a literal name or none`,
      );
    }
    if (this.names.has(name)) {
      throw new Error(`Monitoring.addAlarm: an alarm named "${name}" is already registered`);
    }
    const topic = this.topicsByRegion.get(stack.region);
    if (!topic) {
      throw new Error(
        `Monitoring.addAlarm: alarm ${alarm.node.path} is in region ${stack.region}, which has no notifications topic; regions with one: ${[...this.topicsByRegion.keys()].join(', ')} (see addRegionalTopic)`,
      );
    }
    this.names.add(name);
    cfn.alarmName = name;
    if (alarm instanceof PlatformAlarm) {
      const description = `${cfn.alarmDescription} Runbook: ${this.runbookUrl(alarm.runbook)}`;
      if (!Token.isUnresolved(description) && description.length > MAX_DESCRIPTION_LENGTH) {
        throw new Error(
          `Monitoring.addAlarm: the description of ${alarm.node.path} has ${description.length} characters; allowed: at most ${MAX_DESCRIPTION_LENGTH}`,
        );
      }
      cfn.alarmDescription = description;
    }
    const action = new actions.SnsAction(topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.registered.push({
      alarm,
      name,
      region: stack.region,
      panel: alarm instanceof PlatformAlarm ? alarm.panel : undefined,
    });
    return name;
  }

  /** The registered alarms, in registration order. */
  get alarms(): readonly RegisteredAlarm[] {
    return [...this.registered];
  }
}
