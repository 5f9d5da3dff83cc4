import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { denyRemovingBoundaries } from '../security/permissions-boundary';
import { CdkExecutionPolicy } from './cdk-execution-policy';
import { GITHUB_OIDC_HOST } from './github-oidc';
import { acknowledgeBoundaryCeiling } from '../../compliance/acknowledge';

/** Properties of {@link CdkExecutionBoundary}. */
export interface CdkExecutionBoundaryProps {
  /** The bootstrap qualifier (`cdk bootstrap --qualifier`). */
  readonly qualifier: string;
  /**
   * The names of the permissions boundaries every role a deployment creates
   * must carry: the `<env>-permissions-boundary` of each environment of the
   * account.
   */
  readonly roleBoundaryNames: readonly string[];
  /** The roles of the pipeline itself (GitHub deploy and pull-request roles), by name. */
  readonly pipelineRoleNames: readonly string[];
}

/**
 * The permissions boundary of the CDK bootstrap's CloudFormation execution
 * role (`cdk bootstrap --custom-permissions-boundary <name>`). The execution
 * policy says what a deployment may do; this ceiling makes sure the roles a
 * deployment creates stay under the platform's boundary and that a
 * deployment cannot loosen the pipeline that runs it:
 * - a role is created (or re-bounded) only with an environment's
 *   `<env>-permissions-boundary`, and no boundary is ever removed;
 * - the bootstrap roles, this boundary, the execution policy, the GitHub
 *   pipeline roles and the GitHub OIDC provider are out of reach: only an
 *   administrator changes them.
 * See https://docs.aws.amazon.com/cdk/v2/guide/customize-permissions-boundaries.html
 */
export class CdkExecutionBoundary extends Construct {
  /** The boundary's name, unique in the account. */
  static nameOf(qualifier: string): string {
    return `cdk-${qualifier}-cfn-execution-boundary`;
  }

  /** The managed policy. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: CdkExecutionBoundaryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const iamArn = (resource: string, resourceName: string) =>
      Arn.format(
        {
          service: 'iam',
          region: '',
          resource,
          resourceName,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        },
        stack,
      );
    const bootstrapRoles = iamArn('role', `cdk-${props.qualifier}-*`);
    const pipelinePolicies = [
      iamArn('policy', CdkExecutionBoundary.nameOf(props.qualifier)),
      iamArn('policy', CdkExecutionPolicy.nameOf(props.qualifier)),
    ];

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: CdkExecutionBoundary.nameOf(props.qualifier),
      description:
        'Permissions boundary of the CDK CloudFormation execution role: roles only with the platform boundary',
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowWhatTheExecutionPolicyGrants',
          actions: ['*'],
          resources: ['*'],
        }),
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary
        new iam.PolicyStatement({
          sid: 'DenyRolesWithoutThePlatformBoundary',
          effect: iam.Effect.DENY,
          actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
          // Every role, no exception: the platform creates no role without its boundary.
          resources: ['*'],
          conditions: {
            StringNotEquals: {
              'iam:PermissionsBoundary': props.roleBoundaryNames.map((name) =>
                iamArn('policy', name),
              ),
            },
          },
        }),
        denyRemovingBoundaries(),
        new iam.PolicyStatement({
          sid: 'DenyChangingThePipeline',
          effect: iam.Effect.DENY,
          actions: ['iam:*'],
          resources: [
            bootstrapRoles,
            ...props.pipelineRoleNames.map((name) => iamArn('role', name)),
            ...pipelinePolicies,
            iamArn('oidc-provider', GITHUB_OIDC_HOST),
          ],
        }),
      ],
    });
    const ceiling =
      "A permissions boundary is a ceiling, not a grant: Allow * only lets through what the execution role's own " +
      'policy grants, and the Deny statements keep roles under the platform boundary and the pipeline out of reach.';
    acknowledgeBoundaryCeiling(this.policy, ceiling);
  }
}
