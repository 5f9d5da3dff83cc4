import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Runbook } from './runbooks';

/**
 * CloudWatch alarm names: 1-255 characters, unique per account and region.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
const MAX_ALARM_NAME_LENGTH = 255;

/**
 * The literal name of an alarm created in `scope` as `id`:
 * `<stack name>-<construct path below the stack>`, e.g.
 * `Prod-Services1-Web-TargetAlarms-Target5xx`. Stack names carry the stage
 * (the environment), so names are unique across the environments of an
 * account, and people recognise the resource in the notification.
 */
export function alarmNameOf(scope: Construct, id: string): string {
  const stack = Stack.of(scope);
  const below = [...scope.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id), id];
  return `${stack.stackName}-${below.join('-')}`.slice(0, MAX_ALARM_NAME_LENGTH);
}

/** The sections of the environment dashboard, in the order they appear. */
export const DASHBOARD_SECTIONS = {
  edge: 'Edge: CloudFront and its web ACL (us-east-1)',
  'load-balancer': 'Load balancer and routed services',
  services: 'Services: tasks, CPU and memory',
  queues: 'Queues',
  database: 'Database',
  triggers: 'Cognito triggers',
  network: 'Network: DNS Firewall',
} as const;

/** A section of the environment dashboard. */
export type DashboardSection = keyof typeof DASHBOARD_SECTIONS;

/** A metric of an alarm's definition drawn on a graph of its own (e.g. the requests behind a rate). */
export interface ContextGraph {
  /** Title of the graph; alarms of one family share it. */
  readonly title: string;
  /** The metric, with its label. */
  readonly metric: cloudwatch.IMetric;
}

/** Where an alarm's metric appears on the environment dashboard. */
export interface AlarmPanel {
  /** The dashboard section. */
  readonly section: DashboardSection;
  /** Title of the graph: every alarm of the family draws its line on the same graph. */
  readonly title: string;
  /** The alarm's line on that graph, e.g. the service's name. */
  readonly label: string;
  /**
   * Metrics of the alarm's definition drawn on graphs of their own, before the alarm's graph.
   * @default - none
   */
  readonly context?: readonly ContextGraph[];
}

/** Properties of {@link PlatformAlarm}. */
export interface PlatformAlarmProps extends Omit<
  cloudwatch.AlarmProps,
  'alarmName' | 'alarmDescription' | 'actionsEnabled'
> {
  /** What is broken for users while the alarm is in ALARM, in one sentence. */
  readonly impact: string;
  /** What to check first, in one sentence. */
  readonly firstCheck: string;
  /** The alarm's family: its runbook page. */
  readonly runbook: Runbook;
  /** Where the alarm's metric appears on the dashboard. */
  readonly panel: AlarmPanel;
}

/**
 * An alarm that tells a person what is wrong: its description states the
 * impact for users and what to check first, and the environment's
 * monitoring (`Monitoring.addAlarm`, run on every alarm of a stage by the
 * `AlarmRegistration` aspect) adds the runbook link, sends ALARM and OK to
 * the notifications topic of the alarm's region and draws it on the
 * dashboard. Its name is literal (see {@link alarmNameOf}), so ECS deployment
 * alarms can name it without a reference back to the service it watches.
 */
export class PlatformAlarm extends cloudwatch.Alarm {
  /**
   * The alarm's name as a string. {@link alarmName} renders as a `Ref` in its
   * own stack, which ECS deployment alarms must not use: the alarm watches
   * the service, so a `Ref` from the service would be a circular dependency.
   */
  readonly literalName: string;
  /** The alarm's family. */
  readonly runbook: Runbook;
  /** Where it appears on the dashboard. */
  readonly panel: AlarmPanel;

  constructor(scope: Construct, id: string, props: PlatformAlarmProps) {
    const { impact, firstCheck, runbook, panel, ...alarmProps } = props;
    const literalName = alarmNameOf(scope, id);
    super(scope, id, {
      ...alarmProps,
      alarmName: literalName,
      alarmDescription: `${impact} First check: ${firstCheck}`,
    });
    this.literalName = literalName;
    this.runbook = runbook;
    this.panel = panel;
  }
}
