import { securityFixtureTemplates } from '../helpers/security-fixture';
import {
  CfnTemplate,
  diffProjections,
  maskVolatile,
  projectSecurity,
  renderProjection,
  StackTemplate,
  stacksOfStage,
} from '../../tools/security-projection';

const HASH = 'a'.repeat(64);

/** A hand-written stack whose logical IDs carry `suffix` as their hash. */
function handWritten(suffix: string, assetHash: string): StackTemplate {
  const template: CfnTemplate = {
    Resources: {
      [`Role${suffix}`]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
          },
        },
      },
      [`Policy${suffix}`]: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: `Role${suffix}` }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: `arn:aws:s3:::assets/${assetHash}.zip`,
              },
              {
                Effect: 'Allow',
                Action: ['sqs:SendMessage'],
                Resource: { 'Fn::ImportValue': `Other:ExportsOutputFnGetAttQueue${suffix}Arn` },
              },
            ],
          },
        },
      },
      [`Topic${suffix}`]: {
        Type: 'AWS::SNS::Topic',
        Properties: { DisplayName: 'not a security setting' },
      },
      [`Dashboard${suffix}`]: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} },
    },
  };
  return {
    stack: 'Stage/Stack',
    template,
    paths: new Map([
      [`Role${suffix}`, 'Function/Role'],
      [`Policy${suffix}`, 'Function/Role/DefaultPolicy'],
      [`Topic${suffix}`, 'Topic'],
      [`Dashboard${suffix}`, 'Dashboard'],
    ]),
  };
}

// Each fixture is a small synth; on a busy machine the first one pays for loading aws-cdk-lib.
jest.setTimeout(60_000);

describe('security projection', () => {
  const base = projectSecurity(securityFixtureTemplates());

  test('a loosened security-group rule (0.0.0.0/0 ingress) changes the projection and shows in the diff', () => {
    const loosened = projectSecurity(securityFixtureTemplates({ openSsh: true }));
    expect(loosened).not.toEqual(base);
    const diff = diffProjections(base, loosened);
    expect(diff).toMatch(/^\+\s+- CidrIp: 0\.0\.0\.0\/0$/m);
    expect(diff).toMatch(/^\+\s+Description: SSH from anywhere$/m);
    expect(diff).toMatch(/^- base/);
    expect(diff).toMatch(/^@@ .* @@ Fixture: Group \(AWS::EC2::SecurityGroup\)$/m);
  });

  test('an unrelated code change (a new asset hash) does not change the projection', () => {
    const changedCode = projectSecurity(
      securityFixtureTemplates({ code: 'exports.handler = () => 2;' }),
    );
    expect(changedCode).toEqual(base);
    expect(diffProjections(base, changedCode)).toBe('');
  });

  test('masks asset hashes and logical-ID hash suffixes, and reads references as construct paths', () => {
    const a = projectSecurity([handWritten('1A2B3C4D', HASH)]);
    const b = projectSecurity([handWritten('9F8E7D6C', 'b'.repeat(64))]);
    expect(a).toEqual(b);
    expect(renderProjection(a)).toBe(
      [
        'Stage/Stack:',
        '  Function/Role (AWS::IAM::Role):',
        '    AssumeRolePolicyDocument:',
        '      Statement:',
        '        - Effect: Allow',
        '          Principal:',
        '            Service: lambda.amazonaws.com',
        '  Function/Role/DefaultPolicy (AWS::IAM::Policy):',
        '    PolicyDocument:',
        '      Statement:',
        '        - Action: s3:GetObject',
        '          Effect: Allow',
        '          Resource: arn:aws:s3:::assets/[ASSET HASH].zip',
        '        - Action:',
        '            - sqs:SendMessage',
        '          Effect: Allow',
        '          Resource: ${import:Other:ExportsOutputFnGetAttQueueArn}',
        '    Roles:',
        '      - ${Function/Role}',
        '  Topic (AWS::SNS::Topic): {}',
        '',
      ].join('\n'),
    );
  });

  test('orders lists stably: reordered statements and rules project the same', () => {
    const stack = handWritten('1A2B3C4D', HASH);
    const policy = stack.template.Resources![`Policy1A2B3C4D`].Properties as any;
    const reversed: StackTemplate = {
      ...stack,
      template: {
        Resources: {
          ...stack.template.Resources,
          Policy1A2B3C4D: {
            Type: 'AWS::IAM::Policy',
            Properties: {
              ...policy,
              PolicyDocument: { Statement: [...policy.PolicyDocument.Statement].reverse() },
            },
          },
        },
      },
    };
    expect(projectSecurity([reversed])).toEqual(projectSecurity([stack]));
  });

  test('resolves an imported value to the exporting stack and construct path', () => {
    const exporter: StackTemplate = {
      stack: 'Stage/Network',
      template: {
        Resources: {},
        Outputs: {
          Out: {
            Value: { 'Fn::GetAtt': ['QueueAB12CD34', 'Arn'] },
            Export: { Name: 'Other:ExportsOutputFnGetAttQueue1A2B3C4DArn' },
          },
        },
      },
      paths: new Map([['QueueAB12CD34', 'Jobs/Queue']]),
    };
    const projection = projectSecurity([exporter, handWritten('1A2B3C4D', HASH)]);
    expect(projection['Stage/Stack']['Function/Role/DefaultPolicy (AWS::IAM::Policy)']).toEqual(
      expect.objectContaining({
        PolicyDocument: {
          Statement: expect.arrayContaining([
            {
              Effect: 'Allow',
              Action: ['sqs:SendMessage'],
              Resource: '${Stage/Network:Jobs/Queue.Arn}',
            },
          ]),
        },
      }),
    );
  });

  test('resolves a weak cross-stack reference (Fn::GetStackOutput) to the producing construct', () => {
    const producer: StackTemplate = {
      stack: 'Stage/Application',
      stackName: 'Stage-Application',
      template: {
        Outputs: {
          PublishOutputFnGetAttLogsKeyFE4C4A83Arn: {
            Value: { 'Fn::GetAtt': ['LogsKeyFE4C4A83', 'Arn'] },
          },
        },
      },
      paths: new Map([['LogsKeyFE4C4A83', 'LogsKey/Key']]),
    };
    const consumer: StackTemplate = {
      stack: 'Stage/Services',
      template: {
        Resources: {
          Logs: {
            Type: 'AWS::Logs::LogGroup',
            Properties: {
              KmsKeyId: {
                'Fn::GetStackOutput': {
                  StackName: 'Stage-Application',
                  OutputName: 'PublishOutputFnGetAttLogsKeyFE4C4A83Arn',
                },
              },
            },
          },
        },
      },
      paths: new Map([['Logs', 'AppLogs']]),
    };
    expect(projectSecurity([producer, consumer])['Stage/Services']).toEqual({
      'AppLogs (AWS::Logs::LogGroup)': { KmsKeyId: '${Stage/Application:LogsKey/Key.Arn}' },
    });
  });

  test('keeps only security-relevant types; a whole service with ::* (WAF) is covered', () => {
    const stack: StackTemplate = {
      stack: 'Edge',
      template: {
        Resources: {
          Acl: {
            Type: 'AWS::WAFv2::WebACL',
            Properties: { Scope: 'CLOUDFRONT', DefaultAction: { Block: {} } },
          },
          Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'dev' } },
        },
      },
      paths: new Map(),
    };
    expect(projectSecurity([stack])).toEqual({
      Edge: { 'Acl (AWS::WAFv2::WebACL)': { DefaultAction: { Block: {} }, Scope: 'CLOUDFRONT' } },
    });
  });

  test('selects the stacks of one stage, or those outside every stage', () => {
    const stacks = [
      { stack: 'Dev/Network', template: {}, paths: new Map() },
      { stack: 'DevTools/Network', template: {}, paths: new Map() },
      { stack: 'GitHubOidc-CliAccount', template: {}, paths: new Map() },
    ];
    expect(stacksOfStage(stacks, 'Dev').map((s) => s.stack)).toEqual(['Dev/Network']);
    expect(stacksOfStage(stacks, '').map((s) => s.stack)).toEqual(['GitHubOidc-CliAccount']);
  });

  test('masks hash suffixes only, not account IDs, UUIDs or ordinary words', () => {
    expect(
      maskVolatile(
        'from ProdApplicationMeshSecurityGroupE6FC3828:3000 arn:aws:iam::222222222222:root ' +
          'certificate/00000000-0000-4000-8000-000000000000 ELBSecurityPolicy-TLS13-1-2-2021-06',
      ),
    ).toBe(
      'from ProdApplicationMeshSecurityGroup:3000 arn:aws:iam::222222222222:root ' +
        'certificate/00000000-0000-4000-8000-000000000000 ELBSecurityPolicy-TLS13-1-2-2021-06',
    );
  });
});
