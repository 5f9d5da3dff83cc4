import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SecretParameterRegistry } from '../../../lib/constructs/secrets/secret-parameter-registry';
import { acknowledgementsIn } from '../../helpers/acknowledgements';
import { logicalIdOf } from '../../helpers/logical-ids';
import {
  parameterProblems,
  secretLookingEnvironmentVariables,
  stacksOf,
} from '../../helpers/stage-checks';
import { newTestApp, shippedEnvironments, synthesized } from '../../helpers/test-app';

const EXISTING = 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-api-key-AbC123';

function fixture() {
  const app = newTestApp();
  const operations = new Stack(app, 'Operations');
  const registry = new SecretParameterRegistry(operations, 'Parameters', {
    environmentName: 'dev',
  });
  const application = new Stack(app, 'Application');
  return { operations, registry, application };
}

describe('SecretParameterRegistry', () => {
  test('creates a generated secret and /<env>/<name> holding its ARN', () => {
    const { operations, registry } = fixture();
    registry.addSecret('cloudfront/origin-header', {
      description: 'Header CloudFront sends to the ALB',
      source: {
        kind: 'generated',
        withoutRotationBecause:
          'CloudFront and the ALB rule read it at deploy time; rotating means redeploying both.',
      },
    });
    const template = Template.fromStack(operations);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: 'Header CloudFront sends to the ALB',
      GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/dev/cloudfront/origin-header',
      Type: 'String',
      Value: { Ref: Match.stringLikeRegexp('CloudfrontOriginHeaderSecret') },
    });
    expect(registry.entries).toEqual([
      {
        name: 'cloudfront/origin-header',
        parameterName: '/dev/cloudfront/origin-header',
        readers: [],
        kind: 'secret-arn',
        description: 'Header CloudFront sends to the ALB',
      },
    ]);
    expect(parameterProblems(registry, [template])).toEqual([]);
    expect(acknowledgementsIn(operations).map((ack) => ack.ruleId)).toEqual([
      'Annotation::AwsSolutions-SMG4',
      'Annotation::NIST.800.53.R5-SecretsManagerRotationEnabled',
      'Annotation::NIST.800.53.R5-SecretsManagerUsingKMSKey',
    ]);
  });

  test('imports an existing secret by its complete ARN', () => {
    const { operations, registry } = fixture();
    registry.addSecret('datadog-api-key', {
      description: 'Datadog API key',
      source: { kind: 'existing', secretArn: EXISTING },
    });
    const template = Template.fromStack(operations);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/dev/datadog-api-key',
      Value: EXISTING,
    });
    expect(parameterProblems(registry, [template])).toEqual([]);
  });

  test('registers a secret of another stack in that stack, so no cycle through the registry', () => {
    const { operations, registry, application } = fixture();
    const credentials = new secretsmanager.Secret(application, 'DatabaseCredentials');
    registry.addSecret('database/credentials', {
      description: 'Aurora master credentials',
      source: { kind: 'secret', secret: credentials },
      scope: application,
    });
    const template = Template.fromStack(application);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/dev/database/credentials',
      Value: { Ref: Match.stringLikeRegexp('DatabaseCredentials') },
    });
    expect(Template.fromStack(operations).findResources('AWS::SSM::Parameter')).toEqual({});
    expect(application.dependencies).toEqual([]);
  });

  test('grants read of the secret and its parameter to a reader', () => {
    const { operations, registry } = fixture();
    const role = new iam.Role(operations, 'Pipeline', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    const { parameter } = registry.addSecret('api-key', {
      description: 'A third-party API key',
      source: { kind: 'existing', secretArn: EXISTING },
      readers: [role],
    });
    Template.fromStack(operations).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['ssm:GetParameter']),
            Resource: operations.resolve(parameter.parameterArn),
          }),
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: EXISTING,
          }),
        ]),
      },
    });
  });

  test('gives services the secret as ecs.Secret: execution role granted, nothing in plain Environment', () => {
    const { operations, registry } = fixture();
    const secret = registry.addSecret('database/credentials', {
      description: 'Aurora credentials',
      source: {
        kind: 'generated',
        generate: { secretStringTemplate: '{"username":"app"}', generateStringKey: 'password' },
      },
    });
    const taskDefinition = new ecs.FargateTaskDefinition(operations, 'Task');
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
      secrets: { DATABASE_PASSWORD: secret.ecsSecret('password') },
      environment: { LOG_LEVEL: 'info' },
    });
    const template = Template.fromStack(operations);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Secrets: [
            {
              Name: 'DATABASE_PASSWORD',
              ValueFrom: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
            },
          ],
          Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }],
        }),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(taskDefinition.executionRole!) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: operations.resolve(secret.secret.secretArn),
          }),
        ]),
      },
    });
    expect(secretLookingEnvironmentVariables(template)).toEqual([]);
  });

  test('records who looks a secret up, and grants its readers the secret and its key in their own policy', () => {
    const { registry, application } = fixture();
    const KEY = 'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000';
    registry.addSecret('datadog/api-key', {
      description: 'Datadog API key',
      source: { kind: 'existing', secretArn: EXISTING, encryptionKeyArn: KEY },
      readBy: ['the pipeline'],
    });
    const role = new iam.Role(application, 'Reader', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    registry.secretFor('datadog/api-key', 'service api').grantValueRead(role);
    registry.secretFor('datadog/api-key', 'service web');
    expect(registry.entries.find((e) => e.name === 'datadog/api-key')?.readers).toEqual([
      'service api',
      'service web',
      'the pipeline',
    ]);
    const statements = Template.fromStack(application).findResources('AWS::IAM::Policy');
    expect(Object.values(statements)[0].Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: EXISTING,
      }),
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: KEY,
        Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
      }),
    ]);
  });

  test('creates plain parameters under the same path', () => {
    const { operations, registry } = fixture();
    registry.addPlainParameter('cluster-name', {
      description: 'ECS cluster',
      value: 'dev-cluster',
    });
    Template.fromStack(operations).hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/dev/cluster-name',
      Value: 'dev-cluster',
    });
    expect(registry.entries.map((e) => e.kind)).toEqual(['plain']);
  });

  describe('fails when', () => {
    test('a name is not lowercase words', () => {
      expect(() =>
        fixture().registry.addPlainParameter('Cluster_Name', { description: 'x', value: 'y' }),
      ).toThrow(
        'SecretParameterRegistry: name "Cluster_Name" is not allowed; use lowercase letters, digits and "-", nested with "/" (e.g. "database/credentials")',
      );
    });

    test('a name is registered twice', () => {
      const { registry } = fixture();
      registry.addPlainParameter('cluster-name', { description: 'x', value: 'y' });
      expect(() =>
        registry.addPlainParameter('cluster-name', { description: 'x', value: 'y' }),
      ).toThrow('SecretParameterRegistry: "/dev/cluster-name" is registered twice');
    });

    test('a description is empty', () => {
      expect(() =>
        fixture().registry.addPlainParameter('cluster-name', { description: ' ', value: 'y' }),
      ).toThrow('SecretParameterRegistry: description of "cluster-name" is empty');
    });

    test('an existing secret ARN is not complete', () => {
      expect(() =>
        fixture().registry.addSecret('api-key', {
          description: 'x',
          source: {
            kind: 'existing',
            secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:api-key',
          },
        }),
      ).toThrow(
        /source\.secretArn ".*:secret:api-key" is not a complete Secrets Manager secret ARN/,
      );
    });

    test('the reason for not rotating is too short', () => {
      expect(() =>
        fixture().registry.addSecret('api-key', {
          description: 'x',
          source: { kind: 'generated', withoutRotationBecause: 'manual' },
        }),
      ).toThrow(/source\.withoutRotationBecause "manual" must explain in at least 40 characters/);
    });

    test('a registered secret is missing', () => {
      expect(() => fixture().registry.secret('nope')).toThrow(
        'SecretParameterRegistry: no secret "nope"; registered: none',
      );
    });

    test('a consumer looks up a name that is not registered, listing the registered secrets', () => {
      const { registry } = fixture();
      registry.addSecret('datadog/api-key', {
        description: 'Datadog API key',
        source: { kind: 'existing', secretArn: EXISTING },
      });
      expect(() => registry.secretFor('datadog/api-kee', 'service api')).toThrow(
        'SecretParameterRegistry: no secret "datadog/api-kee"; registered: datadog/api-key',
      );
    });

    test('a /<env>/ parameter bypasses the registry or a secret parameter holds no secret ARN', () => {
      const { operations, registry } = fixture();
      registry.addSecret('api-key', {
        description: 'x',
        source: { kind: 'existing', secretArn: EXISTING },
      });
      new ssm.StringParameter(operations, 'Stray', {
        parameterName: '/dev/stray',
        stringValue: 'x',
      });
      const template = Template.fromStack(operations);
      const tampered = Template.fromJSON({
        Resources: {
          ...template.toJSON().Resources,
          Fake: {
            Type: 'AWS::SSM::Parameter',
            Properties: { Name: '/dev/api-key', Type: 'String', Value: 'hunter2' },
          },
        },
      });
      expect(parameterProblems(registry, [template])).toEqual(['/dev/stray: not in the registry']);
      expect(
        parameterProblems(registry, [
          Template.fromJSON({ Resources: { Fake: tampered.toJSON().Resources.Fake } }),
        ]),
      ).toEqual(['/dev/api-key: value "hunter2" is not a secret ARN']);
    });

    test('a container has a secret-looking name in its plain environment', () => {
      const stack = new Stack(newTestApp(), 'Leaky');
      new ecs.FargateTaskDefinition(stack, 'Task').addContainer('app', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
        environment: { DD_API_KEY: 'abc', DB_PASSWORD: 'x', LOG_LEVEL: 'info' },
      });
      expect(secretLookingEnvironmentVariables(Template.fromStack(stack))).toEqual([
        expect.stringMatching(/^Task\w+\.app\.DD_API_KEY$/),
        expect.stringMatching(/^Task\w+\.app\.DB_PASSWORD$/),
      ]);
    });
  });
});

describe.each(shippedEnvironments.map((config) => config.name))('parameters of %s', (name) => {
  const { stage, template } = synthesized(name);
  const templates = stacksOf(stage).map((stack) => template(stack));

  test('every /<env>/ parameter is registered and every secret parameter holds a secret ARN', () => {
    expect(parameterProblems(stage.operations.operations.parameters, templates)).toEqual([]);
  });

  test('no container has a secret-looking name in its plain environment', () => {
    expect(templates.flatMap((t) => secretLookingEnvironmentVariables(t))).toEqual([]);
  });
});
