import { Arn, Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EnvironmentConfig, PipelineConfig } from '../../config';
import { pascalCase } from '../naming';

/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/**
 * CloudFront-scope resources (the edge stack: distribution, its WAF web ACL)
 * deploy to us-east-1 whatever the environment's region, through the
 * bootstrap roles of that region.
 */
export const EDGE_REGION = 'us-east-1';

/** The IAM role names the workflows assume, per environment. */
export const pipelineRoleNames = (environmentName: string) => ({
  deploy: `github-deploy-${environmentName}`,
  pullRequest: `github-pull-request-${environmentName}`,
});

/** Properties of {@link GitHubOidcStack}. */
export interface GitHubOidcStackProps extends StackProps {
  readonly pipeline: PipelineConfig;
  /** The environments deployed to this stack's account (one or more). */
  readonly environments: readonly EnvironmentConfig[];
  /** False when the account's GitHub OIDC provider exists already: it is referenced, not created. */
  readonly createProvider: boolean;
}

/**
 * Lets GitHub Actions deploy without long-lived keys, once per account: the
 * GitHub OIDC identity provider and, per environment of the account, a deploy
 * role (trusted only for jobs bound to the GitHub Environment of that name)
 * and a pull-request role (trusted only for pull-request jobs). Both may only
 * assume CDK bootstrap roles and read the environment's `/<env>/` parameters;
 * everything else happens through the bootstrap roles.
 */
export class GitHubOidcStack extends Stack {
  /** The deploy role and the pull-request role, by environment name. */
  readonly roles: ReadonlyMap<string, { deploy: iam.Role; pullRequest: iam.Role }>;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, props);
    const { owner, repository } = props.pipeline.github;
    const provider = props.createProvider
      ? new iam.OidcProviderNative(this, 'GitHubProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: [GITHUB_OIDC_AUDIENCE],
        })
      : iam.OidcProviderNative.fromOidcProviderArn(
          this,
          'GitHubProvider',
          `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`,
        );

    const trustedFor = (subject: string) =>
      new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${owner}/${repository}:${subject}`,
        },
      });

    const roles = new Map<string, { deploy: iam.Role; pullRequest: iam.Role }>();
    for (const env of props.environments) {
      const account = env.account ?? Aws.ACCOUNT_ID;
      const region = env.region ?? Aws.REGION;
      const names = pipelineRoleNames(env.name);
      // The bootstrap roles of the environment's region and of the edge region.
      const bootstrapRoles = (kind: string) =>
        [...new Set([region, EDGE_REGION])].map(
          (r) =>
            `arn:${Aws.PARTITION}:iam::${account}:role/cdk-${props.pipeline.cdkBootstrapQualifier}-${kind}-${account}-${r}`,
        );
      const parameters = new iam.PolicyStatement({
        sid: 'ReadEnvironmentParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [`/${env.name}`, `/${env.name}/*`].map((path) =>
          Arn.format(
            { service: 'ssm', account, region, resource: 'parameter', resourceName: path.slice(1) },
            this,
          ),
        ),
      });

      const id = pascalCase(env.name);
      const deploy = new iam.Role(this, `${id}Deploy`, {
        roleName: names.deploy,
        description: `GitHub Actions deploys ${env.name} (jobs bound to the GitHub Environment "${env.name}")`,
        assumedBy: trustedFor(`environment:${env.name}`),
      });
      // Deploy, file and image publishing, and lookup roles: the CLI does the rest through them.
      deploy.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole'],
          resources: bootstrapRoles('*'),
        }),
      );
      deploy.addToPolicy(parameters);

      const pullRequest = new iam.Role(this, `${id}PullRequest`, {
        roleName: names.pullRequest,
        description: `GitHub Actions pull requests diff ${env.name} (read-only: the CDK lookup role)`,
        assumedBy: trustedFor('pull_request'),
      });
      // Only the read-only lookup role: a pull request can read the deployed templates, never deploy.
      pullRequest.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeCdkLookupRole',
          actions: ['sts:AssumeRole'],
          resources: bootstrapRoles('lookup-role'),
        }),
      );
      pullRequest.addToPolicy(parameters);

      new CfnOutput(this, `${id}DeployRoleArn`, {
        description: `Variable AWS_DEPLOY_ROLE_ARN of the GitHub Environment "${env.name}"`,
        value: deploy.roleArn,
      });
      new CfnOutput(this, `${id}PullRequestRoleArn`, {
        description: `Entry "${env.name}" of the repository variable AWS_PULL_REQUEST_ROLE_ARNS`,
        value: pullRequest.roleArn,
      });
      roles.set(env.name, { deploy, pullRequest });
    }
    this.roles = roles;
  }
}
