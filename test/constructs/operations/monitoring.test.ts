import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Monitoring } from '../../../lib/constructs/operations/monitoring';
import { newTestApp } from '../../helpers/test-app';

function fixture() {
  const app = newTestApp();
  const operations = new Stack(app, 'Operations');
  const monitoring = new Monitoring(operations, 'Monitoring', {
    environmentName: 'dev',
    notifications: { emails: ['ops@example.com'] },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const application = new Stack(app, 'Application');
  const alarm = (id: string, props: Partial<cloudwatch.AlarmProps> = {}) =>
    new cloudwatch.Alarm(application, id, {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      ...props,
    });
  return { operations, application, monitoring, alarm };
}

describe('Monitoring.addAlarm', () => {
  test('sends ALARM and OK of an alarm in another stack to the topic, without a cycle', () => {
    const { operations, application, monitoring, alarm } = fixture();
    const name = monitoring.addAlarm(alarm('DeadLetterDepth'), { title: 'DLQ depth' });
    expect(name).toBe('dev-Application-DeadLetterDepth');
    const template = Template.fromStack(application);
    const [created] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(created.Properties.AlarmName).toBe('dev-Application-DeadLetterDepth');
    for (const actions of [created.Properties.AlarmActions, created.Properties.OKActions]) {
      expect(actions).toHaveLength(1);
      expect(JSON.stringify(actions)).toMatch(/MonitoringNotificationsTopic/);
    }
    // The dashboard names the alarm; it does not reference the application stack.
    expect(operations.dependencies).toEqual([]);
    const body = JSON.stringify(
      Template.fromStack(operations).findResources('AWS::CloudWatch::Dashboard'),
    );
    expect(body).toContain(':alarm:dev-Application-DeadLetterDepth');
    expect(body).toContain('DLQ depth');
    expect(monitoring.registeredAlarmNames).toEqual(['dev-Application-DeadLetterDepth']);
  });

  test('keeps a literal alarm name', () => {
    const { monitoring, alarm } = fixture();
    expect(monitoring.addAlarm(alarm('Named', { alarmName: 'dev-alb-5xx' }))).toBe('dev-alb-5xx');
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

  test('fails when the environment name is not lowercase', () => {
    const stack = new Stack(newTestApp(), 'Bad');
    expect(
      () =>
        new Monitoring(stack, 'Monitoring', {
          environmentName: 'Dev',
          notifications: { emails: ['ops@example.com'] },
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow(
      'Monitoring Monitoring: environmentName "Dev" must be lowercase letters, digits and "-"',
    );
  });
});
