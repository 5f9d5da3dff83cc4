import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmStatusByArn, LateWidget } from './late-widget';
import { Monitoring, RegisteredAlarm } from './monitoring';
import { DASHBOARD_SECTIONS, DashboardSection } from './platform-alarm';

/** Properties of {@link PlatformDashboard}. */
export interface PlatformDashboardProps {
  /** The dashboard's name, e.g. `prod-platform`. */
  readonly dashboardName: string;
  /** The alarms to show: every alarm registered with it. */
  readonly monitoring: Monitoring;
  /** Markdown of the dashboard's first row (what it is, where the runbooks are). */
  readonly introduction: string;
}

/**
 * An alarm status widget lists 1-100 alarms.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Alarm-Widget-Object
 */
const ALARMS_PER_STATUS_WIDGET = 100;
/** Three graphs per row. */
const GRAPH_WIDTH = 8;
const GRAPH_HEIGHT = 6;

interface Graph {
  readonly title: string;
  readonly region: string;
  readonly metrics: cloudwatch.IMetric[];
  readonly annotations: cloudwatch.HorizontalAnnotation[];
}

/** `metric` drawn under `label`. */
function labelled(metric: cloudwatch.IMetric, label: string): cloudwatch.IMetric {
  return metric instanceof cloudwatch.Metric || metric instanceof cloudwatch.MathExpression
    ? metric.with({ label })
    : metric;
}

/** The alarm's threshold line; anomaly alarms draw their band instead. */
function thresholdOf(alarm: cloudwatch.Alarm): cloudwatch.HorizontalAnnotation | undefined {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  return cfn.thresholdMetricId === undefined ? alarm.toAnnotation() : undefined;
}

/**
 * The environment's dashboard, built from the registered alarms themselves
 * (no second list): the status of every alarm of the region, then one
 * section per area, where each alarm family is one graph with a line per
 * resource and its threshold, next to the metrics of the alarms' definitions
 * (requests, running and desired tasks, queue depth). Alarms without a
 * place of their own get a graph each at the end. Graphs of us-east-1
 * alarms (CloudFront, its WAF) read that region's metrics (a metric widget's
 * `region`); dashboards themselves are global to the account.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export class PlatformDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  private readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    this.monitoring = props.monitoring;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: props.introduction,
        width: cloudwatch.GRID_WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new LateWidget(() => this.alarmStatus()));
    for (const section of Object.keys(DASHBOARD_SECTIONS) as DashboardSection[]) {
      this.dashboard.addWidgets(new LateWidget(() => this.section(section)));
    }
    this.dashboard.addWidgets(new LateWidget(() => this.otherAlarms()));
  }

  private get region(): string {
    return Stack.of(this).region;
  }

  /** The status of the region's alarms (a status widget reads its own region's alarms). */
  private alarmStatus(): cloudwatch.IWidget[] {
    const arns = this.monitoring.alarms
      .filter((entry) => entry.region === this.region)
      .map((entry) =>
        Stack.of(this).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: entry.name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      );
    const widgets: cloudwatch.IWidget[] = [];
    for (let start = 0; start < arns.length; start += ALARMS_PER_STATUS_WIDGET) {
      const chunk = arns.slice(start, start + ALARMS_PER_STATUS_WIDGET);
      widgets.push(
        new AlarmStatusByArn('Alarm status', chunk, Math.max(3, 1 + Math.ceil(chunk.length / 6))),
      );
    }
    return widgets;
  }

  private section(section: DashboardSection): cloudwatch.IWidget[] {
    const graphs = new Map<string, Graph>();
    const graphOf = (title: string, region: string): Graph => {
      const key = `${region} ${title}`;
      const graph = graphs.get(key) ?? { title, region, metrics: [], annotations: [] };
      graphs.set(key, graph);
      return graph;
    };
    for (const entry of this.monitoring.alarms) {
      const { panel, alarm } = entry;
      if (panel?.section !== section || !(alarm instanceof cloudwatch.Alarm)) {
        continue;
      }
      for (const context of panel.context ?? []) {
        graphOf(context.title, entry.region).metrics.push(context.metric);
      }
      const graph = graphOf(panel.title, entry.region);
      graph.metrics.push(labelled(alarm.metric, panel.label));
      const threshold = thresholdOf(alarm);
      if (threshold && !graph.annotations.some((a) => a.value === threshold.value)) {
        graph.annotations.push(threshold);
      }
    }
    if (graphs.size === 0) {
      return [];
    }
    return [
      this.heading(DASHBOARD_SECTIONS[section]),
      new cloudwatch.Row(...[...graphs.values()].map((g) => this.graph(g))),
    ];
  }

  /** Alarms without a panel (added with a plain `cloudwatch.Alarm`): a graph each. */
  private otherAlarms(): cloudwatch.IWidget[] {
    const others = this.monitoring.alarms.filter(
      (entry): entry is RegisteredAlarm & { alarm: cloudwatch.Alarm } =>
        entry.panel === undefined && entry.alarm instanceof cloudwatch.Alarm,
    );
    if (others.length === 0) {
      return [];
    }
    const graphs = others.map((entry) =>
      this.graph({
        title: entry.name,
        region: entry.region,
        metrics: [entry.alarm.metric],
        annotations: [thresholdOf(entry.alarm)].filter((a) => a !== undefined),
      }),
    );
    return [this.heading('Other alarms'), new cloudwatch.Row(...graphs)];
  }

  private heading(title: string): cloudwatch.TextWidget {
    return new cloudwatch.TextWidget({
      markdown: `## ${title}`,
      width: cloudwatch.GRID_WIDTH,
      height: 1,
    });
  }

  private graph(graph: Graph): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({
      title: graph.title,
      left: graph.metrics,
      leftAnnotations: graph.annotations,
      region: graph.region,
      width: GRAPH_WIDTH,
      height: GRAPH_HEIGHT,
    });
  }
}
