import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentConfig, isRouted } from '../../config';
import { RUNBOOKS } from '../../lib/constructs/operations/runbooks';
import { PlatformStage } from '../../lib/stages/platform-stage';
import {
  alarmsOf,
  alarmsWithoutPeople,
  isScalingAlarm,
  StackTemplateJson,
  stageTemplates,
  StageTemplates,
} from '../helpers/alarm-checks';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

const RUNBOOK_DIR = path.join(__dirname, '..', '..', 'docs', 'runbooks');

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'alarms of %s',
  (name, config: EnvironmentConfig) => {
    const { stage } = synthesized(name);
    const templates = stageTemplates(stage);
    const alarms = alarmsOf(templates);
    const notifying = alarms.filter((alarm) => !isScalingAlarm(templates, alarm));
    const thresholds = config.derived.alarmThresholds;
    const byName = new Map(notifying.map((alarm) => [alarm.properties.AlarmName, alarm]));
    const alarm = (alarmName: string) => {
      const found = byName.get(alarmName);
      if (!found) {
        throw new Error(`no alarm ${alarmName}; alarms: ${[...byName.keys()].join(', ')}`);
      }
      return found.properties;
    };

    test('every alarm of every stack sends ALARM and OK to the notifications topic of its region', () => {
      expect(notifying.length).toBeGreaterThan(40);
      expect(alarmsWithoutPeople(templates)).toEqual([]);
    });

    test('every ECS service of every stack rolls back on deployment alarms that exist', () => {
      const services = [...templates].flatMap(([stackName, { json }]) =>
        Object.entries(json.Resources ?? {})
          .filter(([, r]) => r.Type === 'AWS::ECS::Service')
          .map(([logicalId, r]) => ({ stackName, logicalId, properties: r.Properties ?? {} })),
      );
      expect(services).toHaveLength(config.application.services.length);
      const problems = services.flatMap(({ stackName, logicalId, properties }) => {
        const { Alarms } = (properties.DeploymentConfiguration ?? {}) as {
          Alarms?: { AlarmNames: string[]; Enable: boolean; Rollback: boolean };
        };
        // An alarm of another stack of the stage (the lifecycle events' dead-letter alarm of the
        // identity stack, deployed before the services) is named literally, like the service's own.
        const missing = (Alarms?.AlarmNames ?? []).filter((alarmName) => !byName.has(alarmName));
        return Alarms?.Enable && Alarms.Rollback && Alarms.AlarmNames.length > 0 && !missing.length
          ? []
          : [`${stackName}/${logicalId}: ${JSON.stringify(Alarms)}`];
      });
      expect(problems).toEqual([]);
    });

    test('the only alarms without a notification are step-scaling alarms', () => {
      const scaling = alarms.filter((a) => isScalingAlarm(templates, a));
      expect(scaling.map((a) => a.properties.OKActions)).toEqual(scaling.map(() => undefined));
      expect(scaling).toHaveLength(
        2 * config.application.services.filter((s) => s.queue !== undefined).length,
      );
    });

    test('every alarm says what is broken, what to check first, and links a runbook that exists', () => {
      const link = new RegExp(
        `Runbook: ${config.operations.runbookBaseUrl.replace(/[.]/g, '\\.')}/([a-z0-9-]+)\\.md$`,
      );
      const problems = notifying.flatMap((a) => {
        const description = String(a.properties.AlarmDescription ?? '');
        const runbook = link.exec(description)?.[1];
        if (!runbook || !description.includes(' First check: ')) {
          return [`${a.properties.AlarmName}: ${JSON.stringify(description)}`];
        }
        return (RUNBOOKS as readonly string[]).includes(runbook) &&
          fs.existsSync(path.join(RUNBOOK_DIR, `${runbook}.md`))
          ? []
          : [`${a.properties.AlarmName}: runbook ${runbook} has no page`];
      });
      expect(problems).toEqual([]);
    });

    test('the load balancer: its own 5xx rate and rejected connections, thresholds from config', () => {
      const prefix = `${PlatformStage.idOf(name)}-Application-LoadBalancerAlarms`;
      expect(alarm(`${prefix}-Elb5xx`)).toMatchObject({
        Threshold: thresholds.loadBalancer5xxPercent,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      });
      expect(JSON.stringify(alarm(`${prefix}-Elb5xx`).Metrics)).toMatch(
        /HTTPCode_ELB_5XX_Count.*RequestCount/,
      );
      expect(alarm(`${prefix}-RejectedConnections`)).toMatchObject({
        MetricName: 'RejectedConnectionCount',
        Threshold: thresholds.rejectedConnections,
      });
    });

    const services = stage.services.flatMap((stack) =>
      [...stack.services].map(([serviceName, service]) => [serviceName, stack, service] as const),
    );
    describe.each(services)('service %s', (serviceName, stack, service) => {
      const spec = config.application.services.find((s) => s.name === serviceName)!;
      const prefix = `${stack.stackName}-${service.node.id}`;
      const template = Template.fromJSON(templates.get(stack.stackName)!.json);

      test('is watched for tasks below desired, CPU and memory', () => {
        expect(alarm(`${prefix}-Alarms-TasksBelowDesired`)).toMatchObject({
          Threshold: 1,
          EvaluationPeriods: thresholds.tasksBelowDesiredMinutes,
        });
        const metrics = JSON.stringify(alarm(`${prefix}-Alarms-TasksBelowDesired`).Metrics);
        for (const metricName of ['DesiredTaskCount', 'RunningTaskCount']) {
          expect(metrics).toContain(
            `"MetricName":"${metricName}","Namespace":"ECS/ContainerInsights"`,
          );
        }
        expect(alarm(`${prefix}-Alarms-Cpu`)).toMatchObject({
          MetricName: 'CPUUtilization',
          Threshold: thresholds.serviceCpuPercent,
        });
        expect(alarm(`${prefix}-Alarms-Memory`)).toMatchObject({
          MetricName: 'MemoryUtilization',
          Threshold: thresholds.serviceMemoryPercent,
        });
      });

      test('tells the notifications topic when a deployment fails', () => {
        template.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: {
            source: ['aws.ecs'],
            'detail-type': ['ECS Deployment State Change'],
            detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
            resources: [{ Ref: stack.getLogicalId(service.service.node.defaultChild as never) }],
          },
        });
      });

      const deploymentAlarms = [
        `${prefix}-Alarms-TasksBelowDesired`,
        ...(isRouted(spec)
          ? [`${prefix}-TargetAlarms-Target5xx`, `${prefix}-TargetAlarms-UnhealthyTargets`]
          : []),
        ...(spec.queue?.source === 'own' ? [`${prefix}-Queue-Alarms-DeadLetter`] : []),
        ...(spec.queue?.source === 'lifecycle-events'
          ? [`${stage.identity.stackName}-Lifecycle-Alarms-DeadLetter`]
          : []),
      ];
      test(`rolls back a deployment on its health alarms (${deploymentAlarms.length}) and on the circuit breaker`, () => {
        const resource =
          template.toJSON().Resources[
            stack.getLogicalId(service.service.node.defaultChild as never)
          ];
        const configuration = resource.Properties.DeploymentConfiguration;
        expect(configuration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
        expect(configuration.Alarms).toEqual({
          AlarmNames: expect.arrayContaining(deploymentAlarms),
          Enable: true,
          Rollback: true,
        });
        expect(configuration.Alarms.AlarmNames).toHaveLength(deploymentAlarms.length);
        for (const alarmName of deploymentAlarms) {
          expect(byName.has(alarmName)).toBe(true);
        }
      });

      if (isRouted(spec)) {
        test('is watched for its 5xx rate, p99 response time and unhealthy targets', () => {
          expect(alarm(`${prefix}-TargetAlarms-Target5xx`)).toMatchObject({
            Threshold: thresholds.target5xxPercent,
          });
          expect(JSON.stringify(alarm(`${prefix}-TargetAlarms-Target5xx`).Metrics)).toMatch(
            new RegExp(
              `HTTPCode_Target_5XX_Count.*>= ${thresholds.minimumRequestsPerMinute}|>= ${thresholds.minimumRequestsPerMinute}.*HTTPCode_Target_5XX_Count`,
            ),
          );
          expect(alarm(`${prefix}-TargetAlarms-ResponseTimeP99`)).toMatchObject({
            MetricName: 'TargetResponseTime',
            ExtendedStatistic: 'p99',
            Threshold: thresholds.targetResponseTimeP99Ms / 1000,
          });
          expect(alarm(`${prefix}-TargetAlarms-UnhealthyTargets`)).toMatchObject({
            MetricName: 'UnHealthyHostCount',
            EvaluationPeriods: thresholds.unhealthyTargetMinutes,
          });
        });
      }
    });

    test('every queue alarms on its oldest message, every dead-letter queue on any message', () => {
      const queues = [...templates].flatMap(([stackName, { json }]) =>
        Object.entries(json.Resources ?? {})
          .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
          .map(([logicalId, r]) => ({ stackName, logicalId, properties: r.Properties ?? {} })),
      );
      // Dead-letter queues of queues and of SNS subscriptions (messages SNS could not deliver).
      const redriving = [...templates].flatMap(([stackName, { json }]) =>
        Object.values(json.Resources ?? {})
          .filter((r) => r.Type === 'AWS::SQS::Queue' || r.Type === 'AWS::SNS::Subscription')
          .map((r) => ({ stackName, properties: r.Properties ?? {} })),
      );
      const deadLetterIds = new Set(
        redriving.flatMap((q) => {
          const target = (q.properties.RedrivePolicy as { deadLetterTargetArn?: unknown })
            ?.deadLetterTargetArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
          return target?.['Fn::GetAtt'] ? [`${q.stackName}/${target['Fn::GetAtt'][0]}`] : [];
        }),
      );
      const watching = (metricName: string) =>
        new Set(
          notifying
            .filter((a) => a.properties.MetricName === metricName)
            .map((a) => {
              const [dimension] = a.properties.Dimensions as {
                Value: { 'Fn::GetAtt': [string] };
              }[];
              return `${a.stackName}/${dimension.Value['Fn::GetAtt'][0]}`;
            }),
        );
      const aged = watching('ApproximateAgeOfOldestMessage');
      const depth = watching('ApproximateNumberOfMessagesVisible');
      const missing = queues.flatMap((q) => {
        const id = `${q.stackName}/${q.logicalId}`;
        if (deadLetterIds.has(id)) {
          return depth.has(id) ? [] : [`${id}: no dead-letter depth alarm`];
        }
        return aged.has(id) ? [] : [`${id}: no oldest-message alarm`];
      });
      expect(queues.length).toBeGreaterThan(2);
      expect(missing).toEqual([]);
      for (const a of notifying.filter(
        (x) => x.properties.MetricName === 'ApproximateAgeOfOldestMessage',
      )) {
        expect(a.properties.Threshold).toBe(thresholds.queueOldestMessageMinutes * 60);
      }
    });

    test('every Cognito trigger alarms on errors, throttles and a p99 close to 5 s', () => {
      const triggers = Object.values(stage.identity.triggers).flatMap((byHandler) =>
        Object.values(byHandler),
      );
      expect(triggers).toHaveLength(6);
      for (const trigger of triggers) {
        const prefix = `${stage.identity.stackName}-${trigger.node.id}-Alarms`;
        expect(alarm(`${prefix}-Errors`)).toMatchObject({ MetricName: 'Errors', Threshold: 1 });
        expect(alarm(`${prefix}-Throttles`)).toMatchObject({
          MetricName: 'Throttles',
          Threshold: 1,
        });
        expect(alarm(`${prefix}-DurationP99`)).toMatchObject({
          MetricName: 'Duration',
          ExtendedStatistic: 'p99',
          Threshold: thresholds.triggerDurationP99Ms,
        });
      }
    });

    test('the database: CPU, connections, freeable memory, capacity at maximum, replica lag with readers', () => {
      const prefix = `${stage.identity.stackName}-Database-Alarms`;
      expect(alarm(`${prefix}-Cpu`)).toMatchObject({ Threshold: thresholds.databaseCpuPercent });
      expect(alarm(`${prefix}-Connections`)).toMatchObject({
        MetricName: 'DatabaseConnections',
        Threshold: thresholds.databaseConnections,
      });
      expect(alarm(`${prefix}-FreeableMemory`)).toMatchObject({
        ComparisonOperator: 'LessThanThreshold',
        Threshold: thresholds.databaseFreeableMemoryMiB * 1024 * 1024,
      });
      expect(alarm(`${prefix}-AcuAtMaximum`)).toMatchObject({
        MetricName: 'ACUUtilization',
        Threshold: thresholds.databaseAcuPercent,
      });
      const readers = config.database.mode === 'managed' ? config.database.readers : 0;
      expect(byName.has(`${prefix}-ReplicaLag`)).toBe(readers > 0);
    });

    test('the edge, in us-east-1: CloudFront 5xx rate and WAF blocked requests above their band', () => {
      const prefix = `${stage.edge.stackName}-Alarms`;
      expect(byName.get(`${prefix}-CloudFront5xx`)?.stackName).toBe(stage.edge.stackName);
      expect(alarm(`${prefix}-CloudFront5xx`)).toMatchObject({
        Threshold: thresholds.cloudFront5xxPercent,
      });
      expect(JSON.stringify(alarm(`${prefix}-CloudFront5xx`).Metrics)).toContain(
        '{"Name":"Region","Value":"Global"}',
      );
      expect(alarm(`${prefix}-WafBlocked`)).toMatchObject({
        ComparisonOperator: 'GreaterThanUpperThreshold',
      });
      expect(JSON.stringify(alarm(`${prefix}-WafBlocked`).Metrics)).toContain(
        `ANOMALY_DETECTION_BAND(m0, ${thresholds.wafBlockedStdDevs})`,
      );
    });

    test('the dashboard graphs every alarm family and lists the status of every alarm of the region', () => {
      const dashboard = Object.values(
        templates.get(stage.dashboard.stackName)!.json.Resources ?? {},
      ).find((r) => r.Type === 'AWS::CloudWatch::Dashboard')!;
      const body = JSON.stringify(dashboard.Properties!.DashboardBody);
      for (const title of [
        'Requests per minute',
        'Target 5xx (% of requests)',
        'Target response time p99 (s)',
        'Running and desired tasks',
        'CPU utilisation (%)',
        'Memory utilisation (%)',
        'Database CPU (%)',
        'Queue depth (visible messages)',
        'Dead-letter queue depth',
        'Trigger errors',
        'Trigger duration p99 (ms)',
        'CloudFront 5xx (% of requests)',
        'WAF blocked requests (5 min)',
      ]) {
        expect(body).toContain(`\\"title\\":\\"${title}\\"`);
      }
      expect(body).toContain('\\"type\\":\\"metric\\"');
      for (const a of notifying.filter((x) => x.stackName !== stage.edge.stackName)) {
        expect(body).toContain(`:alarm:${String(a.properties.AlarmName)}\\"`);
      }
    });
  },
);

describe('the check that every alarm reaches a person', () => {
  const topic = { Type: 'AWS::SNS::Topic' };
  const alarm = (properties: Record<string, unknown>) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: properties,
  });
  const templates: StageTemplates = new Map<string, StackTemplateJson>([
    [
      'Dev-Operations',
      {
        region: 'ap-northeast-1',
        json: { Resources: { Topic: topic }, Outputs: { TopicArn: { Value: { Ref: 'Topic' } } } },
      },
    ],
    [
      'Dev-Edge',
      {
        region: 'us-east-1',
        json: {
          Resources: {
            Silent: alarm({}),
            AlarmOnly: alarm({ AlarmActions: [{ Ref: 'EdgeTopic' }] }),
            OtherRegion: alarm({
              AlarmActions: [weak('Dev-Operations', 'ap-northeast-1', 'TopicArn')],
              OKActions: [weak('Dev-Operations', 'ap-northeast-1', 'TopicArn')],
            }),
            Wired: alarm({
              AlarmActions: [{ Ref: 'EdgeTopic' }],
              OKActions: [{ Ref: 'EdgeTopic' }],
            }),
            EdgeTopic: topic,
          },
        },
      },
    ],
  ]);
  function weak(stackName: string, region: string, outputName: string) {
    return {
      'Fn::GetStackOutput': { StackName: stackName, Region: region, OutputName: outputName },
    };
  }

  test('fails on an alarm without actions, without OK, or notifying a topic of another region', () => {
    expect(alarmsWithoutPeople(templates)).toEqual([
      'Dev-Edge/Silent: AlarmActions []',
      'Dev-Edge/Silent: OKActions []',
      'Dev-Edge/AlarmOnly: OKActions []',
      `Dev-Edge/OtherRegion: AlarmActions ${JSON.stringify([weak('Dev-Operations', 'ap-northeast-1', 'TopicArn')])}`,
      `Dev-Edge/OtherRegion: OKActions ${JSON.stringify([weak('Dev-Operations', 'ap-northeast-1', 'TopicArn')])}`,
    ]);
    expect(alarmsOf(templates)).toHaveLength(4);
  });
});

describe('runbooks', () => {
  const pages = fs
    .readdirSync(RUNBOOK_DIR)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => file.replace(/\.md$/, ''));

  test('every alarm family has a page, and every page is a family', () => {
    expect(pages.sort()).toEqual([...RUNBOOKS].sort());
  });

  test('the index links every page', () => {
    const index = fs.readFileSync(path.join(RUNBOOK_DIR, 'README.md'), 'utf8');
    expect(RUNBOOKS.filter((runbook) => !index.includes(`](${runbook}.md)`))).toEqual([]);
  });
});
