import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PipelineConfig } from '../../config';
import { addPipeline } from '../../lib/platform-app';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { productionConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, shippedPipeline } from '../helpers/test-app';

const REPO = `repo:${shippedPipeline.github.owner}/${shippedPipeline.github.repository}`;
const HOST = 'token.actions.githubusercontent.com';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, string>>;
}

/** Role name -> its trust statements and the statements of its policies (resolved, joins flattened). */
function rolesOf(stack: Stack) {
  const template = Template.fromStack(stack);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return new Map(
    Object.entries(template.findResources('AWS::IAM::Role')).map(([logicalId, role]) => [
      role.Properties.RoleName as string,
      {
        trust: role.Properties.AssumeRolePolicyDocument.Statement as Statement[],
        statements: policies
          .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === logicalId))
          .flatMap((p) => p.Properties.PolicyDocument.Statement) as Statement[],
        managedPolicies: role.Properties.ManagedPolicyArns,
      },
    ]),
  );
}

/** A resource as text: `Fn::Join` flattened, `Ref`s as `${Name}`. */
const flat = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/\{"Fn::Join":\["",\[|\]\]\}/g, '')
    .replace(/","?|"?,"/g, '')
    .replace(/\{"Ref":"([^"]+)"\}/g, '${$1}')
    .replace(/arn:(aws|\$\{AWS::Partition\}):/g, 'arn:<partition>:');

describe('pipeline roles', () => {
  const stacks = addPipeline(newTestApp(), shippedEnvironments, shippedPipeline);

  describe.each(shippedEnvironments.map((env) => [env.name, env] as const))(
    'environment %s',
    (name, env) => {
      const stack = stacks.find((s) => s.roles.has(name))!;
      const roles = rolesOf(stack);
      const deploy = roles.get(`github-deploy-${name}`)!;
      const pullRequest = roles.get(`github-pull-request-${name}`)!;
      const account = env.account ?? '${AWS::AccountId}';
      const region = env.region ?? '${AWS::Region}';

      test('trusts the deploy role only for main in the GitHub Environment of that name, exactly', () => {
        expect(deploy.trust).toEqual([
          expect.objectContaining({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${HOST}:aud`]: 'sts.amazonaws.com',
                [`${HOST}:sub`]: `${REPO}:environment:${name}:ref:refs/heads/main`,
              },
            },
          }),
        ]);
      });

      test('trusts the pull-request role only for pull-request jobs, whatever their number', () => {
        expect(pullRequest.trust).toEqual([
          expect.objectContaining({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { [`${HOST}:aud`]: 'sts.amazonaws.com' },
              StringLike: { [`${HOST}:sub`]: `${REPO}:pull_request:ref:refs/pull/*/merge` },
            },
          }),
        ]);
      });

      test('lets the deploy role assume only the CDK deploy and file-publishing roles (region and us-east-1)', () => {
        expect(deploy.managedPolicies).toBeUndefined();
        expect(deploy.statements.map((s) => [s.Effect, s.Action])).toEqual([
          ['Allow', 'sts:AssumeRole'],
        ]);
        const resources = deploy.statements[0].Resource as unknown[];
        expect(resources.map(flat).sort()).toEqual(
          [region, 'us-east-1']
            .flatMap((r) =>
              ['deploy-role', 'file-publishing-role'].map(
                (kind) =>
                  `arn:<partition>:iam::${account}:role/cdk-hnb659fds-${kind}-${account}-${r}`,
              ),
            )
            .map((arn) => JSON.stringify(arn))
            .sort(),
        );
      });

      test('lets the pull-request role only read the templates of its own stacks: no sts:AssumeRole, no lookups', () => {
        expect(pullRequest.managedPolicies).toBeUndefined();
        expect(pullRequest.statements).toHaveLength(1);
        const [statement] = pullRequest.statements;
        expect(statement.Effect).toBe('Allow');
        expect(statement.Action).toEqual([
          'cloudformation:DescribeStacks',
          'cloudformation:GetTemplate',
        ]);
        const stage = PlatformStage.idOf(name);
        expect((statement.Resource as unknown[]).map(flat).sort()).toEqual(
          [region, 'us-east-1']
            .map((r) =>
              JSON.stringify(`arn:<partition>:cloudformation:${r}:${account}:stack/${stage}-*/*`),
            )
            .sort(),
        );
      });
    },
  );

  describe('the integration role (github-integ, integ.yml)', () => {
    const cliStack = stacks.find((s) => s.roles.has('dev'))!;
    const integration = rolesOf(cliStack).get('github-integ')!;

    test('exists only in the sandbox, the account of the CLI (dev), not in the pinned accounts', () => {
      expect(integration).toBeDefined();
      expect(
        stacks.filter((s) => s !== cliStack).map((s) => rolesOf(s).has('github-integ')),
      ).toEqual([false, false]);
    });

    test('trusts only main in the GitHub Environment "integ", exactly', () => {
      expect(integration.trust).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${HOST}:aud`]: 'sts.amazonaws.com',
              [`${HOST}:sub`]: `${REPO}:environment:integ:ref:refs/heads/main`,
            },
          },
        }),
      ]);
    });

    test("may assume the bootstrap's deploy and publishing roles, and clean up the Integ stage only", () => {
      expect(integration.managedPolicies).toBeUndefined();
      expect(
        integration.statements.map((s) => ({ action: s.Action, resource: flat(s.Resource) })),
      ).toEqual([
        {
          action: 'sts:AssumeRole',
          // One statement, its resources as `flat` renders them (joined, one after the other).
          resource: `["${['deploy-role', 'file-publishing-role', 'image-publishing-role']
            .map(
              (kind) =>
                `arn:<partition>:iam::\${AWS::AccountId}:role/cdk-hnb659fds-${kind}-\${AWS::AccountId}-*`,
            )
            .join('')}"]`,
        },
        {
          action: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
          resource: '"arn:<partition>:cloudformation:*:${AWS::AccountId}:stack/Integ-*/*"',
        },
        {
          action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ListBucketVersions'],
          resource: '["arn:<partition>:s3:::integ-*arn:<partition>:s3:::integ-*/*"]',
        },
        { action: 'logs:DescribeLogGroups', resource: '"*"' },
        {
          action: 'logs:DeleteLogGroup',
          resource: '"arn:<partition>:logs:*:${AWS::AccountId}:log-group:/aws/lambda/Integ-*"',
        },
      ]);
    });
  });

  test('trusts the immutable subject of a repository with immutable IDs', () => {
    const pipeline: PipelineConfig = {
      ...shippedPipeline,
      github: {
        owner: 'acme',
        repository: 'platform',
        immutableIds: { owner: 123456, repository: 456789 },
      },
    };
    const [stack] = addPipeline(newTestApp(), [validated(productionConfig())], pipeline);
    const roles = rolesOf(stack);
    expect(roles.get('github-deploy-prod')!.trust[0].Condition?.StringEquals[`${HOST}:sub`]).toBe(
      'repo:acme@123456/platform@456789:environment:prod:ref:refs/heads/main',
    );
    expect(
      roles.get('github-pull-request-prod')!.trust[0].Condition?.StringLike[`${HOST}:sub`],
    ).toBe('repo:acme@123456/platform@456789:pull_request:ref:refs/pull/*/merge');
  });
});
