import { Arn, ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GitHubRepository } from '../../../config';
import { deploySubject, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from './github-oidc';

/**
 * The environment name of the integration suite (test/integ/): its GitHub
 * Environment, its stage (`Integ`), its stacks (`Integ-*`) and its
 * permissions boundary (`integ-permissions-boundary`).
 */
export const INTEGRATION_ENVIRONMENT = 'integ';

/** The IAM role name `.github/workflows/integ.yml` assumes. */
export const INTEGRATION_ROLE_NAME = `github-${INTEGRATION_ENVIRONMENT}`;

/** Properties of {@link IntegrationRole}. */
export interface IntegrationRoleProps {
  /** The account's GitHub OIDC identity provider. */
  readonly provider: iam.IOidcProvider;
  /** The repository whose integration workflow assumes the role. */
  readonly github: GitHubRepository;
  /** `cdk bootstrap --qualifier` of the account. */
  readonly qualifier: string;
}

/**
 * The role of the integration workflow (`integ.yml`, `npm run integ`),
 * trusted only for jobs of `main` bound to the GitHub Environment `integ`
 * (exact subject, like the deploy roles; no other workflow names that
 * Environment, which a test checks). It deploys and destroys the `Integ`
 * stage in the region the run names and in us-east-1, so:
 * - it may assume the CDK deploy, file-publishing and image-publishing roles
 *   of any region of its account (the hello image is a container asset), and
 *   every change still goes through CloudFormation and the scoped execution
 *   role, whose boundary admits the `integ` roles;
 * - with its own credentials it may only do the clean-up CloudFormation
 *   cannot: list the `Integ-*` stacks' resources, empty their buckets
 *   (`integ-*`), and delete the log groups Lambda created for their
 *   functions (`/aws/lambda/Integ-*`).
 */
export class IntegrationRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string, resourceName: string, region = '*') =>
      Arn.format(
        {
          service,
          region,
          account: Aws.ACCOUNT_ID,
          resource,
          resourceName,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        },
        stack,
      );
    this.role = new iam.Role(this, 'Role', {
      roleName: INTEGRATION_ROLE_NAME,
      description: `GitHub Actions runs the integration suite (main, GitHub Environment "${INTEGRATION_ENVIRONMENT}")`,
      assumedBy: new iam.WebIdentityPrincipal(props.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: deploySubject(props.github, INTEGRATION_ENVIRONMENT),
        },
      }),
    });
    const bootstrapRoles = ['deploy-role', 'file-publishing-role', 'image-publishing-role'].map(
      (kind) =>
        Arn.format(
          {
            service: 'iam',
            region: '',
            account: Aws.ACCOUNT_ID,
            resource: 'role',
            resourceName: `cdk-${props.qualifier}-${kind}-${Aws.ACCOUNT_ID}-*`,
          },
          stack,
        ),
    );
    const statements = [
      new iam.PolicyStatement({
        sid: 'AssumeCdkDeployAndPublishingRoles',
        actions: ['sts:AssumeRole'],
        resources: bootstrapRoles,
      }),
      new iam.PolicyStatement({
        sid: 'ListTheIntegStacks',
        actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        resources: [arn('cloudformation', 'stack', 'Integ-*/*')],
      }),
      new iam.PolicyStatement({
        sid: 'EmptyTheIntegBuckets',
        actions: ['s3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: ['integ-*', 'integ-*/*'].map((resource) =>
          Arn.format({ service: 's3', region: '', account: '', resource }, stack),
        ),
      }),
      // Listing log groups supports no resource-level permission (see ReviewedWildcardPermissions).
      new iam.PolicyStatement({
        sid: 'ListLogGroups',
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DeleteTheIntegFunctionLogGroups',
        actions: ['logs:DeleteLogGroup'],
        resources: [
          Arn.format(
            {
              service: 'logs',
              region: '*',
              account: Aws.ACCOUNT_ID,
              resource: 'log-group',
              resourceName: '/aws/lambda/Integ-*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            stack,
          ),
        ],
      }),
    ];
    for (const statement of statements) {
      this.role.addToPolicy(statement);
    }
    acknowledgeWildcards(
      this.role.node.findChild('DefaultPolicy').node.defaultChild!,
      props.qualifier,
    );
  }
}

/**
 * Each wildcard of the role's policy (as cdk-nag names it), with the reason
 * a reviewer accepts it: the run's region is chosen when it starts, and the
 * names are fixed by the `Integ` stage while CloudFormation generates their
 * suffixes.
 */
function acknowledgeWildcards(policy: IConstruct, qualifier: string): void {
  const anyRegion =
    'the region of a run is an input of the workflow, so every region of the account';
  const account = '<AWS::AccountId>';
  const reasons: Record<string, string> = Object.fromEntries([
    ...['deploy-role', 'file-publishing-role', 'image-publishing-role'].map((kind) => [
      `arn:aws:iam::${account}:role/cdk-${qualifier}-${kind}-${account}-*`,
      `Only the account's CDK bootstrap ${kind} of the configured qualifier; ${anyRegion}.`,
    ]),
    [
      `arn:aws:cloudformation:*:${account}:stack/Integ-*/*`,
      `Only the integration stage's stacks (Integ-*), read-only; ${anyRegion}.`,
    ],
    [
      'arn:aws:s3:::integ-*',
      "Only the integration stage's buckets (CloudFormation names them after the Integ-* stacks): listing their versions to empty them.",
    ],
    [
      'arn:aws:s3:::integ-*/*',
      "Only the objects of the integration stage's buckets, deleted so that CloudFormation can delete the buckets.",
    ],
    [
      `arn:aws:logs:*:${account}:log-group:/aws/lambda/Integ-*`,
      `Only the log groups Lambda created for the integration stage's functions; ${anyRegion}.`,
    ],
  ]);
  for (const [resource, reason] of Object.entries(reasons)) {
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  }
}
