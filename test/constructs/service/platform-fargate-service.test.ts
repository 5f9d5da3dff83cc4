import { Template } from 'aws-cdk-lib/assertions';
import { loadReleases, validateEnvironments } from '../../../config';
import { addPlatform } from '../../../lib/platform-app';
import { changed, developmentConfig, webService } from '../../helpers/config-builder';
import { grantsOf } from '../../helpers/iam-grants';
import { containersOf, imageReferenceOf, imageTagOf } from '../../helpers/task-definitions';
import { newTestApp } from '../../helpers/test-app';

const DATADOG_KEY =
  'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000';
const CERTIFICATE =
  'arn:aws:acm:ap-northeast-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

describe('PlatformFargateService', () => {
  describe('given each service its own version, secrets, Datadog, the OTel collector and a gRPC service', () => {
    const [config] = validateEnvironments([
      changed(developmentConfig(), (d) => {
        d.application.tracing = 'otel';
        d.application.certificateArn = CERTIFICATE;
        d.secrets['datadog/api-key'] = {
          description: 'Datadog API key',
          secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-AbCdEf',
          kmsKeyArn: DATADOG_KEY,
        };
        d.application.datadog = { site: 'datadoghq.com', apiKeySecret: 'datadog/api-key' };
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
      dev: { web: `3f2a9c1@${DIGEST}`, worker: DIGEST, rpc: 'bootstrap' },
    });
    const app = newTestApp();
    const [stage] = addPlatform(app, [config], releases);
    const servicesStack = stage.services[0];
    const template = Template.fromStack(servicesStack);
    const web = containersOf(template, 'Web');
    const app_ = web.find((c) => c.Name === 'app')!;

    test('runs each service with its own version: a tag with its digest, a digest, or zero tasks in bootstrap mode', () => {
      const appOf = (service: string) =>
        containersOf(template, service).find((c) => c.Name === 'app')!;
      expect(imageTagOf(appOf('Web'))).toBe('3f2a9c1');
      expect(imageReferenceOf(appOf('Web'))).toBe(`:3f2a9c1@${DIGEST}`);
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

    test('delivers secrets from the registry, never as plain environment, readable by the execution role only', () => {
      expect(app_.Secrets).toEqual([
        {
          Name: 'SESSION_SIGNING_KEY',
          ValueFrom: {
            'Fn::GetStackOutput': expect.objectContaining({
              StackName: 'Dev-Operations',
              OutputName: expect.stringContaining('WebSessionSigningKeySecretParameterSecret'),
            }),
          },
        },
      ]);
      expect(app_.Environment?.map((e) => e.Name)).not.toContain('SESSION_SIGNING_KEY');
      // ECS reads the secret with the execution role at task start.
      const readers = grantsOf(template).filter(
        (grant) =>
          grant.actions.includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(grant.resources).includes('WebSessionSigningKey'),
      );
      expect(readers.map((grant) => grant.holders)).toEqual([
        [expect.stringMatching(/^WebTaskExecutionRole/)],
      ]);
      expect(
        stage.operations.operations.parameters.entries.find(
          (entry) => entry.name === 'web/session-signing-key',
        )?.readers,
      ).toEqual(['service web']);
    });

    test('lets the execution role read the existing Datadog key secret and decrypt it with its own key', () => {
      const execution = grantsOf(template).filter((grant) =>
        grant.holders.some((holder) => /^WebTaskExecutionRole/.test(holder)),
      );
      expect(execution).toContainEqual(
        expect.objectContaining({
          actions: expect.arrayContaining(['secretsmanager:GetSecretValue']),
          resources: expect.arrayContaining([
            'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-AbCdEf',
          ]),
        }),
      );
      expect(execution).toContainEqual(
        expect.objectContaining({ actions: ['kms:Decrypt'], resources: [DATADOG_KEY] }),
      );
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
