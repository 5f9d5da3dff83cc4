import { Arn, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CLOUDFRONT_REGION, EnvironmentConfig, PipelineConfig } from '../../../config';
import {
  deploySubject,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  pullRequestSubject,
} from './github-oidc';

/** The IAM role names the workflows assume, per environment. */
export const pipelineRoleNames = (environmentName: string) => ({
  deploy: `github-deploy-${environmentName}`,
  pullRequest: `github-pull-request-${environmentName}`,
});

/** Properties of {@link PipelineRoles}. */
export interface PipelineRolesProps {
  /** The account's GitHub OIDC identity provider. */
  readonly provider: iam.IOidcProvider;
  readonly pipeline: PipelineConfig;
  /** The environment the roles deploy and diff. */
  readonly environment: EnvironmentConfig;
  /** The prefix of the environment's stack names: `<StageId>-` (`Dev-Network`, `Dev-Edge`, ...). */
  readonly stackNamePrefix: string;
}

/**
 * The two roles GitHub Actions assumes for one environment:
 * - `github-deploy-<env>`: trusted only for jobs of `main` bound to the
 *   GitHub Environment `<env>`; may only assume the environment's CDK deploy
 *   and file-publishing roles (in its region and in us-east-1), so every
 *   change goes through CloudFormation and the scoped execution role.
 * - `github-pull-request-<env>`: trusted only for pull-request jobs; may
 *   only read the templates of the environment's own stacks, which is all
 *   that `cdk diff --method=template` needs (see the README, "The
 *   roles"). No other role, no lookups, no parameters.
 */
export class PipelineRoles extends Construct {
  readonly deploy: iam.Role;
  readonly pullRequest: iam.Role;

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const env = props.environment;
    const { github, cdkBootstrapQualifier: qualifier } = props.pipeline;
    const account = env.account ?? Aws.ACCOUNT_ID;
    // The edge stack deploys to the CloudFront region whatever the environment's, through its bootstrap roles.
    const regions = [...new Set([env.region ?? Aws.REGION, CLOUDFRONT_REGION])];
    const names = pipelineRoleNames(env.name);
    const audience = { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE };
    const subject = (value: string) => ({ [`${GITHUB_OIDC_HOST}:sub`]: value });
    const trustedFor = (conditions: iam.Conditions) =>
      new iam.WebIdentityPrincipal(props.provider.oidcProviderArn, conditions);

    this.deploy = new iam.Role(this, 'Deploy', {
      roleName: names.deploy,
      description: `GitHub Actions deploys ${env.name} (main, GitHub Environment "${env.name}")`,
      assumedBy: trustedFor({
        StringEquals: { ...audience, ...subject(deploySubject(github, env.name)) },
      }),
    });
    this.deploy.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkDeployAndFilePublishingRoles',
        actions: ['sts:AssumeRole'],
        resources: regions.flatMap((region) =>
          ['deploy-role', 'file-publishing-role'].map((kind) =>
            Arn.format(
              {
                service: 'iam',
                region: '',
                account,
                resource: 'role',
                resourceName: `cdk-${qualifier}-${kind}-${account}-${region}`,
              },
              Stack.of(this),
            ),
          ),
        ),
      }),
    );

    // The pull request's number is in its ref, so the subject is matched with one wildcard.
    this.pullRequest = new iam.Role(this, 'PullRequest', {
      roleName: names.pullRequest,
      description: `GitHub Actions pull requests diff ${env.name} (read-only: its stacks' templates)`,
      assumedBy: trustedFor({
        StringEquals: audience,
        StringLike: subject(pullRequestSubject(github)),
      }),
    });
    this.pullRequest.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheEnvironmentTemplates',
        actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'],
        resources: regions.map((region) =>
          Arn.format(
            {
              service: 'cloudformation',
              region,
              account,
              resource: 'stack',
              resourceName: `${props.stackNamePrefix}*/*`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            },
            Stack.of(this),
          ),
        ),
      }),
    );
  }
}
