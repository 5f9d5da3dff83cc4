import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { NotificationsConfig } from '../../../config';
import { NotificationsTopic } from './notifications-topic';

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /** The environment's name: prefixes the dashboard, the Slack channel configuration and every registered alarm name. */
  readonly environmentName: string;
  /** Who is told: e-mail addresses and an optional Slack channel. */
  readonly notifications: NotificationsConfig;
  /** What happens to the topic's key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** How a registered alarm appears on the dashboard. */
export interface AddAlarmOptions {
  /**
   * Title of the alarm's dashboard widget.
   * @default - the alarm's construct id
   */
  readonly title?: string;
}

/** One alarm widget per row, across the dashboard grid (24 units wide). */
const WIDGET_WIDTH = 24;
const WIDGET_HEIGHT = 6;

/**
 * The environment's operations seam: one encrypted notifications topic and
 * one CloudWatch dashboard. The construct that owns a resource (ALB, ECS
 * service, Lambda, queue) creates its alarms and calls {@link addAlarm}, which
 * sends the alarm's ALARM and OK transitions to the topic and shows the alarm
 * on the dashboard, so no single file has to know every alarm.
 */
export class Monitoring extends Construct {
  /** Receives alarms, GuardDuty findings and budget alerts. */
  readonly topic: sns.ITopic;
  /** The environment's dashboard, named `<env>-platform`. */
  readonly dashboard: cloudwatch.Dashboard;
  private readonly environmentName: string;
  private readonly alarmNames = new Set<string>();

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.environmentName)) {
      throw new Error(
        `Monitoring ${id}: environmentName "${props.environmentName}" must be lowercase letters, digits and "-"`,
      );
    }
    this.environmentName = props.environmentName;
    this.topic = new NotificationsTopic(this, 'Notifications', {
      displayName: `${props.environmentName} platform notifications`,
      recipients: props.notifications,
      slackConfigurationName: `${props.environmentName}-platform-notifications`,
      removalPolicy: props.removalPolicy,
    }).topic;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${props.environmentName}-platform`,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${props.environmentName} platform\nAlarms registered by the constructs that own the resources; each one notifies the environment's topic.`,
        width: WIDGET_WIDTH,
        height: 2,
      }),
    );
  }

  /**
   * Wires `alarm` to the notifications topic and adds it to the dashboard.
   *
   * The alarm may live in any stack of the environment. Its stack then
   * references the topic, so the dashboard must not reference the alarm back
   * (that would be a dependency cycle between the two stacks): the alarm is
   * given the name `<env>-<construct path below its stack>` (unless it has a
   * literal name already) and the dashboard shows it by that name's ARN.
   *
   * @returns the alarm's name
   */
  addAlarm(alarm: cloudwatch.Alarm, options: AddAlarmOptions = {}): string {
    const cfnAlarm = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    // An alarm without a name carries a lazy token that resolves to undefined.
    const given: unknown = Stack.of(alarm).resolve(cfnAlarm.alarmName);
    const alarmName = given === undefined ? this.alarmNameOf(alarm) : given;
    if (typeof alarmName !== 'string') {
      throw new Error(
        `Monitoring.addAlarm: alarm ${alarm.node.path} has a token as alarmName; give it a literal name or none`,
      );
    }
    if (this.alarmNames.has(alarmName)) {
      throw new Error(`Monitoring.addAlarm: an alarm named "${alarmName}" is already registered`);
    }
    this.alarmNames.add(alarmName);
    cfnAlarm.alarmName = alarmName;

    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);

    const stack = Stack.of(this);
    const shown = cloudwatch.Alarm.fromAlarmArn(
      this,
      `Shown${this.alarmNames.size}`,
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: alarmName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmWidget({
        alarm: shown,
        title: options.title ?? alarm.node.id,
        width: WIDGET_WIDTH,
        height: WIDGET_HEIGHT,
      }),
    );
    return alarmName;
  }

  /** The names of the registered alarms, in registration order. */
  get registeredAlarmNames(): readonly string[] {
    return [...this.alarmNames];
  }

  private alarmNameOf(alarm: cloudwatch.Alarm): string {
    const stack = Stack.of(alarm);
    const below = alarm.node.scopes
      .slice(stack.node.scopes.length)
      .map((scope) => scope.node.id)
      .join('-');
    // CloudWatch alarm names: up to 255 characters.
    return `${this.environmentName}-${stack.node.id}-${below}`.slice(0, 255);
  }
}
