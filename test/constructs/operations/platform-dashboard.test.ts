import { Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRegistration } from '../../../lib/aspects/alarm-registration';
import { Monitoring } from '../../../lib/constructs/operations/monitoring';
import { NotificationsTopic } from '../../../lib/constructs/operations/notifications-topic';
import { PlatformAlarm } from '../../../lib/constructs/operations/platform-alarm';
import { PlatformDashboard } from '../../../lib/constructs/operations/platform-dashboard';
import { newTestApp } from '../../helpers/test-app';

interface Widget {
  type: string;
  y: number;
  height: number;
  properties: {
    title?: string;
    region?: string;
    markdown?: string;
    alarms?: string[];
    metrics?: unknown[][];
  };
}

function fixture() {
  const app = newTestApp();
  const env = { account: '111111111111', region: 'ap-northeast-1' };
  const operations = new Stack(app, 'Operations', { env });
  const monitoring = new Monitoring(operations, 'Monitoring', {
    environmentName: 'dev',
    runbookBaseUrl: 'https://github.com/example-org/platform/blob/main/docs/runbooks',
    notifications: { emails: ['ops@example.com'] },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const services = new Stack(app, 'Services', { env });
  const edge = new Stack(app, 'Edge', { env: { ...env, region: 'us-east-1' } });
  monitoring.addRegionalTopic(
    new NotificationsTopic(edge, 'Notifications', {
      displayName: 'dev edge notifications',
      recipients: { emails: ['ops@example.com'] },
      removalPolicy: RemovalPolicy.DESTROY,
    }).topic,
  );
  const dashboardStack = new Stack(app, 'Dashboard', { env });
  new PlatformDashboard(dashboardStack, 'Dashboard', {
    dashboardName: 'dev-platform',
    monitoring,
    introduction: '# dev platform',
  });
  const metric = (name: string) =>
    new cloudwatch.Metric({ namespace: 'Test', metricName: name, period: Duration.minutes(1) });
  const watched = (stack: Stack, id: string, label: string, title = 'CPU utilisation (%)') =>
    new PlatformAlarm(stack, id, {
      metric: metric(id),
      threshold: 80,
      evaluationPeriods: 1,
      impact: `${label} is busy.`,
      firstCheck: 'its task count.',
      runbook: 'service-saturation',
      panel: {
        section: 'services',
        title,
        label,
        context: [{ title: 'Running and desired tasks', metric: metric(`${id}Running`) }],
      },
    });
  return { app, monitoring, services, edge, dashboardStack, metric, watched };
}

function widgetsOf(app: ReturnType<typeof newTestApp>, stack: Stack): Widget[] {
  Aspects.of(app).add(new AlarmRegistration(fixtureMonitoring(app)));
  const [dashboard] = Object.values(
    Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'),
  );
  const body = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const json =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(json).widgets as Widget[];
}

function fixtureMonitoring(app: ReturnType<typeof newTestApp>): Monitoring {
  return app.node.findChild('Operations').node.findChild('Monitoring') as Monitoring;
}

describe('PlatformDashboard', () => {
  test('draws each alarm family as one graph with a line per resource, after its context graphs', () => {
    const { app, services, dashboardStack, watched } = fixture();
    watched(services, 'WebCpu', 'web');
    watched(services, 'ApiCpu', 'api');
    const widgets = widgetsOf(app, dashboardStack);
    const titles = widgets.map((w) => w.properties.title ?? w.properties.markdown);
    expect(titles).toEqual([
      '# dev platform',
      'Alarm status',
      '## Services: tasks, CPU and memory',
      'Running and desired tasks',
      'CPU utilisation (%)',
    ]);
    const cpu = widgets.find((w) => w.properties.title === 'CPU utilisation (%)')!;
    expect(cpu.properties.metrics!.map((m) => JSON.stringify(m))).toEqual([
      expect.stringContaining('"label":"web"'),
      expect.stringContaining('"label":"api"'),
    ]);
    expect(cpu.properties.region).toBe('ap-northeast-1');
    const status = widgets.find((w) => w.type === 'alarm')!;
    expect(status.properties.alarms).toEqual([
      'arn:aws:cloudwatch:ap-northeast-1:111111111111:alarm:Services-WebCpu',
      'arn:aws:cloudwatch:ap-northeast-1:111111111111:alarm:Services-ApiCpu',
    ]);
  });

  test("reads an alarm of another region from that region, and leaves it out of this region's status", () => {
    const { app, edge, dashboardStack, watched } = fixture();
    watched(edge, 'CloudFront5xx', 'CloudFront', 'CloudFront 5xx (% of requests)');
    const widgets = widgetsOf(app, dashboardStack);
    const graph = widgets.find((w) => w.properties.title === 'CloudFront 5xx (% of requests)')!;
    expect(graph.properties.region).toBe('us-east-1');
    expect(widgets.filter((w) => w.type === 'alarm')).toEqual([]);
  });

  test('gives an alarm without a panel a graph of its own among the other alarms', () => {
    const { app, services, dashboardStack, metric } = fixture();
    new cloudwatch.Alarm(services, 'MigrationErrors', {
      metric: metric('Errors'),
      threshold: 1,
      evaluationPeriods: 1,
    });
    const widgets = widgetsOf(app, dashboardStack);
    expect(widgets.map((w) => w.properties.title ?? w.properties.markdown).slice(-2)).toEqual([
      '## Other alarms',
      'Services-MigrationErrors',
    ]);
  });

  test('lays the sections out one below the other', () => {
    const { app, services, dashboardStack, watched } = fixture();
    watched(services, 'WebCpu', 'web');
    const widgets = widgetsOf(app, dashboardStack);
    for (const [above, below] of widgets.slice(0, -1).map((w, i) => [w, widgets[i + 1]])) {
      expect(below.y).toBeGreaterThanOrEqual(above.y);
    }
    const heading = widgets.find((w) => w.properties.markdown?.startsWith('## Services'))!;
    const status = widgets.find((w) => w.type === 'alarm')!;
    expect(heading.y).toBe(status.y + status.height);
  });
});
