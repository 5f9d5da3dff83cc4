import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { stringify } from 'yaml';
import { CLI_ACCOUNT } from '../../config';
import { addPipeline, gitHubOidcStackIdOf } from '../../lib/platform-app';
import { GitHubOidcStack } from '../../lib/stacks/github-oidc-stack';
import { developmentConfig, productionConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, shippedPipeline } from '../helpers/test-app';

const roleNamesOf = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Role')).map((r) => r.Properties.RoleName);

describe('GitHub OIDC stacks', () => {
  // The OIDC stacks alone: no need to synthesize every environment's stacks here.
  const app = newTestApp();
  const pipelineStacks = addPipeline(app, shippedEnvironments, shippedPipeline);
  const assembly = app.synth();

  test('one stack per account: pinned accounts, and the CLI account for dev', () => {
    const expected = [...new Set(shippedEnvironments.map((env) => env.account ?? CLI_ACCOUNT))];
    expect(pipelineStacks.map((stack) => stack.stackName).sort()).toEqual(
      expected.map(gitHubOidcStackIdOf).sort(),
    );
    const prodStack = pipelineStacks.find((stack) => stack.roles.has('prod'))!;
    expect(prodStack.account).toBe('333333333333');
    expect(prodStack.terminationProtection).toBe(true);
  });

  describe.each(pipelineStacks.map((stack) => [stack.stackName, stack] as const))(
    '%s',
    (_, stack) => {
      const template = Template.fromStack(stack);
      const artifact = assembly.getStackArtifact(stack.artifactId);

      test('has the GitHub OIDC provider of its account', () => {
        template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
        template.hasResourceProperties('AWS::IAM::OIDCProvider', {
          Url: 'https://token.actions.githubusercontent.com',
          ClientIdList: ['sts.amazonaws.com'],
        });
      });

      test('is deployed with the administrator credentials of the CLI, before and without the bootstrap', () => {
        // No bootstrap roles: nothing a pipeline deployment runs as can change this stack.
        expect(artifact.assumeRoleArn).toBeUndefined();
        expect(artifact.cloudFormationExecutionRoleArn).toBeUndefined();
        expect(artifact.requiresBootstrapStackVersion).toBeUndefined();
        expect(template.toJSON().Parameters?.BootstrapVersion).toBeUndefined();
        // The CLI sends a template of at most 50 KiB inline, without the bootstrap bucket.
        expect(stringify(template.toJSON()).length).toBeLessThan(50 * 1024);
      });

      test('holds the execution policy and boundary of the bootstrap and prints the bootstrap options', () => {
        for (const name of [
          'cdk-hnb659fds-cfn-execution-policy',
          'cdk-hnb659fds-cfn-execution-boundary',
        ]) {
          template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: name });
        }
        expect(JSON.stringify(template.toJSON().Outputs.CdkBootstrapOptions.Value)).toContain(
          ' --custom-permissions-boundary cdk-hnb659fds-cfn-execution-boundary',
        );
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
    expect(roleNamesOf(template).sort()).toEqual([
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
    const providerArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: stack.resolve(providerArn) } })],
      },
    });
  });
});
