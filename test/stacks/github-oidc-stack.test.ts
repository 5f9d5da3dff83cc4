import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CLI_ACCOUNT } from '../../config';
import { addPipeline, gitHubOidcStackIdOf } from '../../lib/platform-app';
import { GitHubOidcStack } from '../../lib/stacks/github-oidc-stack';
import { developmentConfig, productionConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, shippedPipeline } from '../helpers/test-app';

const REPO = `repo:${shippedPipeline.github.owner}/${shippedPipeline.github.repository}`;

interface RoleStatement {
  readonly Action: string;
  readonly Condition: Record<string, Record<string, string>>;
  readonly Principal: { Federated: unknown };
}

/** Role name -> its trust statement and the statements of its policies. */
function rolesOf(template: Template) {
  const roles = template.findResources('AWS::IAM::Role');
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return new Map(
    Object.entries(roles).map(([logicalId, role]) => [
      role.Properties.RoleName as string,
      {
        trust: role.Properties.AssumeRolePolicyDocument.Statement as RoleStatement[],
        statements: policies
          .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === logicalId))
          .flatMap((p) => p.Properties.PolicyDocument.Statement),
      },
    ]),
  );
}

describe('GitHub OIDC stacks', () => {
  // The OIDC stacks alone: no need to synthesize every environment's stacks here.
  const pipelineStacks = addPipeline(newTestApp(), shippedEnvironments, shippedPipeline);

  test('one stack per account: pinned accounts, and the CLI account for dev', () => {
    const expected = [...new Set(shippedEnvironments.map((env) => env.account ?? CLI_ACCOUNT))];
    expect(pipelineStacks.map((stack) => stack.stackName).sort()).toEqual(
      expected.map(gitHubOidcStackIdOf).sort(),
    );
    const prodStack = pipelineStacks.find((stack) => stack.roles.has('prod'))!;
    expect(prodStack.account).toBe('333333333333');
    expect(prodStack.terminationProtection).toBe(true);
  });

  describe.each(shippedEnvironments.map((env) => [env.name, env] as const))(
    'environment %s',
    (name, env) => {
      const stack = pipelineStacks.find((s) => s.roles.has(name))!;
      const template = Template.fromStack(stack);
      const roles = rolesOf(template);
      const account = env.account ?? Aws.ACCOUNT_ID;
      const region = env.region ?? Aws.REGION;
      /** The CDK bootstrap roles of a kind, in the environment's region and in us-east-1 (the edge stack's). */
      const bootstrapRoles = (kind: string) =>
        [...new Set([region, 'us-east-1'])].map((roleRegion) =>
          stack.resolve(
            `arn:${Aws.PARTITION}:iam::${account}:role/cdk-hnb659fds-${kind}-${account}-${roleRegion}`,
          ),
        );
      /** The environment's `/<env>/` parameters, the path itself and everything below it. */
      const environmentParameters = [`/${name}`, `/${name}/*`].map((path) =>
        stack.resolve(`arn:aws:ssm:${region}:${account}:parameter${path}`),
      );
      const readParameters = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'];

      test('has the GitHub OIDC provider of its account', () => {
        template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
        template.hasResourceProperties('AWS::IAM::OIDCProvider', {
          Url: 'https://token.actions.githubusercontent.com',
          ClientIdList: ['sts.amazonaws.com'],
        });
      });

      test('trusts the deploy role only for jobs bound to the GitHub Environment of that name', () => {
        const { trust } = roles.get(`github-deploy-${name}`)!;
        expect(trust).toHaveLength(1);
        expect(trust[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
        expect(trust[0].Condition).toEqual({
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `${REPO}:environment:${name}`,
          },
        });
      });

      test('trusts the pull-request role only for pull-request jobs', () => {
        const { trust } = roles.get(`github-pull-request-${name}`)!;
        expect(trust).toHaveLength(1);
        expect(trust[0].Condition).toEqual({
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `${REPO}:pull_request`,
          },
        });
      });

      test('lets the deploy role only assume bootstrap roles and read its /<env>/ parameters', () => {
        // CloudFront-scope resources (the edge stack) deploy through the us-east-1 bootstrap roles.
        expect(roles.get(`github-deploy-${name}`)!.statements).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: bootstrapRoles('*'),
          }),
          expect.objectContaining({
            Effect: 'Allow',
            Action: readParameters,
            Resource: environmentParameters,
          }),
        ]);
      });

      test('lets the pull-request role assume only the read-only lookup role', () => {
        expect(roles.get(`github-pull-request-${name}`)!.statements).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: bootstrapRoles('lookup-role'),
          }),
          expect.objectContaining({
            Effect: 'Allow',
            Action: readParameters,
            Resource: environmentParameters,
          }),
        ]);
      });
    },
  );

  test('two environments in one account share one provider and keep their own roles', () => {
    const stg = { ...productionConfig('stg'), tier: 'staging' as const };
    const stacks = addPipeline(
      newTestApp(),
      [validated(stg), validated(productionConfig())],
      shippedPipeline,
    );
    expect(stacks).toHaveLength(1);
    const template = Template.fromStack(stacks[0]);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect([...rolesOf(template).keys()].sort()).toEqual([
      'github-deploy-prod',
      'github-deploy-stg',
      'github-pull-request-prod',
      'github-pull-request-stg',
    ]);
  });

  test('references an existing provider instead of creating a second one', () => {
    const [stack] = addPipeline(newTestApp(), [validated(developmentConfig())], {
      ...shippedPipeline,
      existingOidcProviderAccounts: [CLI_ACCOUNT],
    });
    const template = Template.fromStack(stack as GitHubOidcStack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const existing = stack.resolve(
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
    );
    template.allResourcesProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: existing } })],
      },
    });
  });
});
