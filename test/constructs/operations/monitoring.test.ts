import { Aspects, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmRegistration } from '../../../lib/aspects/alarm-registration';
import { Monitoring } from '../../../lib/constructs/operations/monitoring';
import { NotificationsTopic } from '../../../lib/constructs/operations/notifications-topic';
import { PlatformAlarm } from '../../../lib/constructs/operations/platform-alarm';
import { newTestApp } from '../../helpers/test-app';

const RUNBOOKS = 'https://github.com/example-org/platform/blob/main/docs/runbooks';
const REGION = 'ap-northeast-1';

const metric = new cloudwatch.Metric({
  namespace: 'AWS/SQS',
  metricName: 'ApproximateNumberOfMessagesVisible',
  period: Duration.minutes(1),
});

function fixture() {
  const app = newTestApp();
  const env = { account: '111111111111', region: REGION };
  const operations = new Stack(app, 'Operations', { env });
  const monitoring = new Monitoring(operations, 'Monitoring', {
    environmentName: 'dev',
    runbookBaseUrl: RUNBOOKS,
    notifications: { emails: ['ops@example.com'] },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const application = new Stack(app, 'Application', { env });
  const alarm = (id: string, props: Partial<cloudwatch.AlarmProps> = {}) =>
    new cloudwatch.Alarm(application, id, { metric, threshold: 1, evaluationPeriods: 1, ...props });
  const platformAlarm = (id: string, impact = 'Jobs wait.') =>
    new PlatformAlarm(application, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      impact,
      firstCheck: 'the worker logs.',
      runbook: 'dead-letter-queue',
      panel: { section: 'queues', title: 'Dead-letter queue depth', label: 'worker' },
    });
  return { app, env, operations, application, monitoring, alarm, platformAlarm };
}

function alarmProperties(stack: Stack) {
  return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
    (resource) => resource.Properties,
  );
}

describe('Monitoring.addAlarm', () => {
  test('sends ALARM and OK of an alarm in another stack to the topic, without a cycle', () => {
    const { operations, application, monitoring, alarm } = fixture();
    expect(monitoring.addAlarm(alarm('DeadLetterDepth'))).toBe('Application-DeadLetterDepth');
    const [created] = alarmProperties(application);
    expect(created.AlarmName).toBe('Application-DeadLetterDepth');
    const topicArn = application.resolve(monitoring.topic.topicArn);
    expect(created.AlarmActions).toEqual([topicArn]);
    expect(created.OKActions).toEqual([topicArn]);
    expect(operations.dependencies).toEqual([]);
    expect(monitoring.alarms.map((entry) => [entry.name, entry.region])).toEqual([
      ['Application-DeadLetterDepth', REGION],
    ]);
  });

  test('keeps a literal alarm name', () => {
    const { monitoring, alarm } = fixture();
    expect(monitoring.addAlarm(alarm('Named', { alarmName: 'dev-alb-5xx' }))).toBe('dev-alb-5xx');
  });

  test("ends a PlatformAlarm's description with its runbook link and keeps its literal name", () => {
    const { application, monitoring, platformAlarm } = fixture();
    const created = platformAlarm('DeadLetter');
    expect(monitoring.addAlarm(created)).toBe(created.literalName);
    expect(alarmProperties(application)[0]).toMatchObject({
      AlarmName: 'Application-DeadLetter',
      AlarmDescription: `Jobs wait. First check: the worker logs. Runbook: ${RUNBOOKS}/dead-letter-queue.md`,
    });
    expect(monitoring.alarms[0].panel?.title).toBe('Dead-letter queue depth');
  });

  test("sends an alarm of another region to that region's topic", () => {
    const { app, env, monitoring } = fixture();
    const edge = new Stack(app, 'Edge', { env: { ...env, region: 'us-east-1' } });
    const topic = new NotificationsTopic(edge, 'Notifications', {
      displayName: 'dev edge notifications',
      recipients: { emails: ['ops@example.com'] },
      publishingServices: ['cloudwatch.amazonaws.com'],
      removalPolicy: RemovalPolicy.DESTROY,
    }).topic;
    monitoring.addRegionalTopic(topic);
    monitoring.addAlarm(
      new cloudwatch.Alarm(edge, 'CloudFront5xx', { metric, threshold: 1, evaluationPeriods: 1 }),
    );
    const [created] = alarmProperties(edge);
    expect(JSON.stringify(created.AlarmActions)).toMatch(/NotificationsTopic/);
    expect(JSON.stringify(created.AlarmActions)).not.toMatch(/Monitoring/);
    expect(monitoring.alarms[0].region).toBe('us-east-1');
  });

  test('fails when the alarm is in a region without a notifications topic', () => {
    const { app, env, monitoring } = fixture();
    const elsewhere = new Stack(app, 'Elsewhere', { env: { ...env, region: 'eu-west-1' } });
    const alarm = new cloudwatch.Alarm(elsewhere, 'Stray', {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
    });
    expect(() => monitoring.addAlarm(alarm)).toThrow(
      `Monitoring.addAlarm: alarm Elsewhere/Stray is in region eu-west-1, which has no notifications topic; regions with one: ${REGION} (see addRegionalTopic)`,
    );
  });

  test('fails when a region gets a second notifications topic', () => {
    const { monitoring } = fixture();
    expect(() => monitoring.addRegionalTopic(monitoring.topic)).toThrow(
      `Monitoring.addRegionalTopic: region ${REGION} has a notifications topic already`,
    );
  });

  test('fails when the same alarm name is registered twice', () => {
    const { monitoring, alarm } = fixture();
    monitoring.addAlarm(alarm('First', { alarmName: 'dev-same' }));
    expect(() => monitoring.addAlarm(alarm('Second', { alarmName: 'dev-same' }))).toThrow(
      'Monitoring.addAlarm: an alarm named "dev-same" is already registered',
    );
  });

  test('fails when the alarm name is a token', () => {
    const { monitoring, alarm } = fixture();
    expect(() => monitoring.addAlarm(alarm('Token', { alarmName: `${Aws.STACK_NAME}-x` }))).toThrow(
      /has a token as alarmName/,
    );
  });

  test('fails when the description with its runbook link exceeds 1024 characters', () => {
    const { monitoring, platformAlarm } = fixture();
    expect(() => monitoring.addAlarm(platformAlarm('Verbose', 'x'.repeat(1000)))).toThrow(
      'Monitoring.addAlarm: the description of Application/Verbose has 1124 characters; allowed: at most 1024',
    );
  });

  test('fails when the environment name is not lowercase', () => {
    const stack = new Stack(newTestApp(), 'Bad');
    expect(
      () =>
        new Monitoring(stack, 'Monitoring', {
          environmentName: 'Dev',
          runbookBaseUrl: RUNBOOKS,
          notifications: { emails: ['ops@example.com'] },
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow(
      'Monitoring Monitoring: environmentName "Dev" must be lowercase letters, digits and "-"',
    );
  });
});

describe('AlarmRegistration', () => {
  test('registers every alarm once, and leaves step-scaling alarms to their policy', () => {
    const { app, application, monitoring, alarm } = fixture();
    monitoring.addAlarm(alarm('Explicit'));
    alarm('Anywhere');
    new appscaling.ScalableTarget(application, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      resourceId: 'service/cluster/service',
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 2,
    }).scaleOnMetric('QueueDepth', {
      metric,
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 10, change: +1 },
      ],
    });
    Aspects.of(app).add(new AlarmRegistration(monitoring));
    app.synth();

    expect(monitoring.alarms.map((entry) => entry.name)).toEqual([
      'Application-Explicit',
      'Application-Anywhere',
    ]);
    const scaling = alarmProperties(application).filter((p) => p.AlarmName === undefined);
    expect(scaling).toHaveLength(2);
    for (const properties of scaling) {
      expect(properties.OKActions).toBeUndefined();
      expect(JSON.stringify(properties.AlarmActions)).toMatch(/QueueDepth/);
    }
  });
});

describe('NotificationsTopic', () => {
  test('fails when a Slack channel has no valid configuration name', () => {
    const stack = new Stack(newTestApp(), 'Operations');
    expect(
      () =>
        new NotificationsTopic(stack, 'Notifications', {
          displayName: 'dev platform notifications',
          recipients: { slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' } },
          slackConfigurationName: 'dev notifications',
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow(
      'NotificationsTopic Notifications: slackConfigurationName "dev notifications" is not a Chatbot configuration name; allowed: 1-128 letters, digits, "-" and "_"',
    );
  });
});
