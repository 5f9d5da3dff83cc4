import { Aws, CfnOutput, LegacyStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EnvironmentConfig, PipelineConfig } from '../../config';
import { CdkExecutionBoundary } from '../constructs/pipeline/cdk-execution-boundary';
import { CdkExecutionPolicy } from '../constructs/pipeline/cdk-execution-policy';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../constructs/pipeline/github-oidc';
import {
  INTEGRATION_ENVIRONMENT,
  INTEGRATION_ROLE_NAME,
  IntegrationRole,
} from '../constructs/pipeline/integration-role';
import { pipelineRoleNames, PipelineRoles } from '../constructs/pipeline/pipeline-roles';
import { pascalCase } from '../naming';
import { PlatformStage } from '../stages/platform-stage';

/** Properties of {@link GitHubOidcStack}. */
export interface GitHubOidcStackProps extends StackProps {
  readonly pipeline: PipelineConfig;
  /** The environments deployed to this stack's account (one or more). */
  readonly environments: readonly EnvironmentConfig[];
  /** False when the account's GitHub OIDC provider exists already: it is referenced, not created. */
  readonly createProvider: boolean;
  /**
   * Whether the integration suite runs in this account (the sandbox: the
   * account of the CLI's credentials, like dev): the role of its workflow,
   * and room in the bootstrap's boundary for the `Integ` stage's roles.
   * @default false
   */
  readonly integrationSuite?: boolean;
}

/**
 * What the pipeline needs in one account, deployed by an administrator's
 * own credentials before `cdk bootstrap` (no bootstrap roles are used, so
 * nothing the pipeline deploys can change it): the GitHub OIDC provider, the
 * scoped execution policy and boundary of the CDK bootstrap, and per
 * environment of the account the deploy and pull-request roles.
 */
export class GitHubOidcStack extends Stack {
  /** The deploy role and the pull-request role, by environment name. */
  readonly roles: ReadonlyMap<string, PipelineRoles>;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, { ...props, synthesizer: new LegacyStackSynthesizer() });
    const qualifier = props.pipeline.cdkBootstrapQualifier;
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

    const executionPolicy = new CdkExecutionPolicy(this, 'CdkExecutionPolicy', {
      qualifier,
      integrationSuite: props.integrationSuite,
    });
    const stageNames = [
      ...props.environments.map((env) => env.name),
      ...(props.integrationSuite ? [INTEGRATION_ENVIRONMENT] : []),
    ];
    new CdkExecutionBoundary(this, 'CdkExecutionBoundary', {
      qualifier,
      roleBoundaryNames: stageNames.map((name) => `${name}-permissions-boundary`),
      pipelineRoleNames: [
        ...props.environments.flatMap((env) => Object.values(pipelineRoleNames(env.name))),
        ...(props.integrationSuite ? [INTEGRATION_ROLE_NAME] : []),
      ],
    });
    new CfnOutput(this, 'CdkBootstrapOptions', {
      description: 'Options of `cdk bootstrap` in every region of this account (see the README)',
      value: [
        `--cloudformation-execution-policies ${executionPolicy.policy.managedPolicyArn}`,
        `--custom-permissions-boundary ${CdkExecutionBoundary.nameOf(qualifier)}`,
      ].join(' '),
    });

    const roles = new Map<string, PipelineRoles>();
    for (const env of props.environments) {
      const id = pascalCase(env.name);
      const pipelineRoles = new PipelineRoles(this, id, {
        provider,
        pipeline: props.pipeline,
        environment: env,
        stackNamePrefix: `${PlatformStage.idOf(env.name)}-`,
      });
      new CfnOutput(this, `${id}DeployRoleArn`, {
        description: `Variable AWS_DEPLOY_ROLE_ARN of the GitHub Environment "${env.name}"`,
        value: pipelineRoles.deploy.roleArn,
      });
      new CfnOutput(this, `${id}PullRequestRoleArn`, {
        description: `Entry "${env.name}" of the repository variable AWS_PULL_REQUEST_ROLE_ARNS`,
        value: pipelineRoles.pullRequest.roleArn,
      });
      roles.set(env.name, pipelineRoles);
    }
    this.roles = roles;
    if (props.integrationSuite) {
      const integration = new IntegrationRole(this, 'Integration', {
        provider,
        github: props.pipeline.github,
        qualifier,
      });
      new CfnOutput(this, 'IntegrationRoleArn', {
        description: `Variable AWS_INTEG_ROLE_ARN of the GitHub Environment "${INTEGRATION_ENVIRONMENT}"`,
        value: integration.role.roleArn,
      });
    }
  }
}
