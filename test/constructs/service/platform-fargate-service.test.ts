import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadReleases, validateEnvironments } from '../../../config';
import { addPlatform } from '../../../lib/platform-app';
import { changed, developmentConfig, webService } from '../../helpers/config-builder';
import { logicalIdOf } from '../../helpers/logical-ids';
import { containersOf, imageReferenceOf, imageTagOf } from '../../helpers/task-definitions';
import { newTestApp } from '../../helpers/test-app';

const CERTIFICATE =
  'arn:aws:acm:ap-northeast-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

describe('PlatformFargateService', () => {
  describe('given each service its own version, secrets, Datadog, the OTel collector and a gRPC service', () => {
    const [config] = validateEnvironments([
      changed(developmentConfig(), (d) => {
        d.application.tracing = 'otel';
        d.application.certificateArn = CERTIFICATE;
        d.application.datadog = {
          site: 'datadoghq.com',
          apiKeySecret: { secretName: 'dev/datadog', jsonField: 'apiKey' },
        };
        d.application.services.push({
          ...webService('rpc'),
          route: { pathPrefix: '/v1/rpc', healthCheckPath: '/health' },
          protocol: 'grpc',
          port: 50051,
          secrets: {},
        });
      }),
    ]);
    const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const releases = loadReleases([config], {
      dev: { web: '3f2a9c1', worker: DIGEST, rpc: 'bootstrap' },
    });
    const app = newTestApp();
    const [stage] = addPlatform(app, [config], releases);
    const servicesStack = stage.services[0];
    const template = Template.fromStack(servicesStack);
    const web = containersOf(template, 'Web');
    const app_ = web.find((c) => c.Name === 'app')!;

    test('runs each service with its own version: a tag, a digest, or zero tasks in bootstrap mode', () => {
      const appOf = (service: string) =>
        containersOf(template, service).find((c) => c.Name === 'app')!;
      expect(imageTagOf(appOf('Web'))).toBe('3f2a9c1');
      expect(imageReferenceOf(appOf('Worker'))).toBe(`@${DIGEST}`);
      const services = template.findResources('AWS::ECS::Service');
      const countOf = (service: string) =>
        Object.entries(services).find(([id]) => id.startsWith(`${service}Service`))![1].Properties
          .DesiredCount;
      expect([countOf('Web'), countOf('Worker'), countOf('Rpc')]).toEqual([1, 1, 0]);
      const minimums = Object.entries(
        template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'),
      ).map(([id, target]) => [id.replace(/Service.*/, ''), target.Properties.MinCapacity]);
      expect(Object.fromEntries(minimums)).toEqual({ Web: 1, Worker: 1, Rpc: 0 });
    });

    test('delivers secrets from Secrets Manager, never as plain environment', () => {
      expect(app_.Secrets).toEqual([
        {
          Name: 'DATABASE_PASSWORD',
          ValueFrom: {
            'Fn::Join': [
              '',
              [
                'arn:aws:secretsmanager:ap-northeast-1:',
                { Ref: 'AWS::AccountId' },
                ':secret:dev/web/database:password::',
              ],
            ],
          },
        },
      ]);
      expect(app_.Environment?.map((e) => e.Name)).not.toContain('DATABASE_PASSWORD');
      // ECS reads the secret with the execution role at task start.
      const { executionRole } = servicesStack.services.get('web')!.taskDefinition;
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalIdOf(executionRole!) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
              Resource: Match.arrayWith([
                servicesStack.resolve(
                  `arn:aws:secretsmanager:ap-northeast-1:${Aws.ACCOUNT_ID}:secret:dev/web/database-??????`,
                ),
              ]),
            }),
          ]),
        },
      });
    });

    test('adds the Datadog agent with its API key from Secrets Manager and starts the app after it is healthy', () => {
      const agent = web.find((c) => c.Name === 'datadog-agent')!;
      expect(agent.Secrets?.map((s) => s.Name)).toEqual(['DD_API_KEY']);
      expect(agent.Environment).toEqual(
        expect.arrayContaining([{ Name: 'DD_SITE', Value: 'datadoghq.com' }]),
      );
      expect(app_.DependsOn).toEqual(
        expect.arrayContaining([{ ContainerName: 'datadog-agent', Condition: 'HEALTHY' }]),
      );
    });

    test('runs the OTel collector with the X-Ray protocol on UDP 2000 and a health check the app waits for', () => {
      const collector = web.find((c) => c.Name === 'otel-collector')!;
      const collectorConfig = collector.Environment!.find((e) => e.Name === 'AOT_CONFIG_CONTENT')!
        .Value as string;
      expect(collectorConfig).toContain('awsxray:\n    endpoint: 0.0.0.0:2000\n    transport: udp');
      expect(collectorConfig).toMatch(/exporters: \[awsxray\]/);
      expect(collector.HealthCheck?.Command).toEqual(['CMD', '/healthcheck']);
      expect(app_.DependsOn).toEqual(
        expect.arrayContaining([{ ContainerName: 'otel-collector', Condition: 'HEALTHY' }]),
      );
    });

    test('speaks gRPC to a gRPC target and health-checks it with gRPC codes', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 50051,
        ProtocolVersion: 'GRPC',
        Matcher: { GrpcCode: '0-99' },
      });
    });
  });
});
