import { EnvironmentConfig } from '../../config';
import { GitHubGet, githubSettingsProblems } from '../../scripts/check-github-settings';
import { developmentConfig, productionConfig, validated } from '../helpers/config-builder';
import { shippedPipeline } from '../helpers/test-app';

const REPO = '/repos/example-org/user-management-platform';
// dev pins no region here, so its Environment needs the AWS_REGION variable.
const dev: EnvironmentConfig = { ...validated(developmentConfig()), region: undefined };
const prod = validated(productionConfig());
const environments: EnvironmentConfig[] = [dev, prod];

/** The REST API of a repository set up as the README says. */
function goodRepository(): Record<string, unknown> {
  const environment = (reviewed: boolean) => ({
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    protection_rules: reviewed
      ? [{ type: 'required_reviewers', prevent_self_review: true, reviewers: [{ type: 'Team' }] }]
      : [],
  });
  return {
    [`${REPO}/actions/oidc/customization/sub`]: {
      use_default: false,
      include_claim_keys: ['repo', 'context', 'ref'],
    },
    [`${REPO}/environments/dev`]: environment(false),
    [`${REPO}/environments/prod`]: environment(true),
    [`${REPO}/environments/dev/deployment-branch-policies`]: {
      branch_policies: [{ name: 'main', type: 'branch' }],
    },
    [`${REPO}/environments/prod/deployment-branch-policies`]: {
      branch_policies: [{ name: 'main', type: 'branch' }],
    },
    [`${REPO}/environments/dev/variables/AWS_DEPLOY_ROLE_ARN`]: {
      value: 'arn:aws:iam::111111111111:role/github-deploy-dev',
    },
    [`${REPO}/environments/dev/variables/AWS_REGION`]: { value: 'ap-northeast-1' },
    [`${REPO}/environments/prod/variables/AWS_DEPLOY_ROLE_ARN`]: {
      value: `arn:aws:iam::${prod.account}:role/github-deploy-prod`,
    },
    [`${REPO}/actions/variables/AWS_PULL_REQUEST_ROLE_ARNS`]: {
      value: JSON.stringify({ dev: 'arn:dev', prod: 'arn:prod' }),
    },
    [REPO]: { id: 456789, owner: { id: 123456 } },
  };
}

const apiOf =
  (responses: Record<string, unknown>): GitHubGet =>
  async <T>(path: string) =>
    path in responses ? { status: 200, body: responses[path] as T } : { status: 404 };

async function problemsWhen(
  change: (responses: Record<string, any>) => void,
  settings = shippedPipeline,
) {
  const responses = goodRepository();
  change(responses);
  return githubSettingsProblems(apiOf(responses), settings, environments);
}

describe('npm run check:github', () => {
  test('finds nothing in a repository set up as the README says', async () => {
    expect(await problemsWhen(() => undefined)).toEqual([]);
  });

  test('fails when the OIDC subject is the default one or lacks the ref', async () => {
    expect(
      await problemsWhen(
        (r) => (r[`${REPO}/actions/oidc/customization/sub`] = { use_default: true }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^OIDC subject of example-org\/user-management-platform: .*"include_claim_keys":\["repo","context","ref"\]/,
      ),
    ]);
    expect(
      await problemsWhen(
        (r) =>
          (r[`${REPO}/actions/oidc/customization/sub`] = {
            use_default: false,
            include_claim_keys: ['repo', 'context'],
          }),
      ),
    ).toHaveLength(1);
  });

  test('fails when a GitHub Environment does not exist', async () => {
    expect(await problemsWhen((r) => delete r[`${REPO}/environments/prod`])).toEqual([
      'GitHub Environment "prod": does not exist; create it (README, "GitHub Environments")',
    ]);
  });

  test('fails when an environment deploys from branches other than main', async () => {
    expect(
      await problemsWhen((r) => (r[`${REPO}/environments/dev`].deployment_branch_policy = null)),
    ).toEqual(['GitHub Environment "dev": deployment branches []; allow the branch "main" only']);
    expect(
      await problemsWhen(
        (r) =>
          (r[`${REPO}/environments/prod/deployment-branch-policies`].branch_policies = [
            { name: 'main', type: 'branch' },
            { name: 'release/*', type: 'branch' },
          ]),
      ),
    ).toEqual([
      'GitHub Environment "prod": deployment branches ["branch:main","branch:release/*"]; allow the branch "main" only',
    ]);
  });

  test('fails when a production environment has no reviewers, or lets them approve their own runs', async () => {
    expect(
      await problemsWhen((r) => (r[`${REPO}/environments/prod`].protection_rules = [])),
    ).toEqual([
      'GitHub Environment "prod": no required reviewers (tier production); add at least one',
    ]);
    expect(
      await problemsWhen(
        (r) => (r[`${REPO}/environments/prod`].protection_rules[0].prevent_self_review = false),
      ),
    ).toEqual([
      'GitHub Environment "prod": reviewers may approve their own deployments; turn on "Prevent self-review"',
    ]);
  });

  test('fails when the deploy role variable is missing or names another role or account', async () => {
    expect(
      await problemsWhen(
        (r) => delete r[`${REPO}/environments/prod/variables/AWS_DEPLOY_ROLE_ARN`],
      ),
    ).toEqual([
      expect.stringMatching(/^GitHub Environment "prod": variable AWS_DEPLOY_ROLE_ARN is missing/),
    ]);
    expect(
      await problemsWhen(
        (r) =>
          (r[`${REPO}/environments/prod/variables/AWS_DEPLOY_ROLE_ARN`].value =
            'arn:aws:iam::999999999999:role/github-deploy-prod'),
      ),
    ).toHaveLength(1);
  });

  test('fails when an environment without a pinned region has no AWS_REGION', async () => {
    const problems = await problemsWhen(
      (r) => delete r[`${REPO}/environments/dev/variables/AWS_REGION`],
    );
    expect(problems).toEqual(
      dev.region
        ? []
        : [
            'GitHub Environment "dev": variable AWS_REGION is missing (the environment pins no region)',
          ],
    );
  });

  test('fails when the pull-request roles variable is missing an environment or is not JSON', async () => {
    expect(
      await problemsWhen(
        (r) => (r[`${REPO}/actions/variables/AWS_PULL_REQUEST_ROLE_ARNS`].value = '{"dev":"arn"}'),
      ),
    ).toEqual([expect.stringMatching(/AWS_PULL_REQUEST_ROLE_ARNS: no role for prod;/)]);
    expect(
      await problemsWhen(
        (r) => (r[`${REPO}/actions/variables/AWS_PULL_REQUEST_ROLE_ARNS`].value = 'nope'),
      ),
    ).toEqual([
      expect.stringMatching(/is not JSON/),
      expect.stringMatching(/no role for dev, prod/),
    ]);
  });

  test("fails when the immutable IDs of config are not the repository's", async () => {
    const settings = {
      ...shippedPipeline,
      github: { ...shippedPipeline.github, immutableIds: { owner: 123456, repository: 1 } },
    };
    expect(await problemsWhen(() => undefined, settings)).toEqual([
      'pipeline.github.immutableIds: {"owner":123456,"repository":1}, but GitHub has {"owner":123456,"repository":456789}',
    ]);
  });
});
