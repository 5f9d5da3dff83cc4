/**
 * Checks the GitHub side of the pipeline set-up through the GitHub REST API:
 *
 *   GH_TOKEN=$(gh auth token) npm run check:github
 *
 * - the repository's OIDC subject customization (`repo`, `context`, `ref`),
 *   and its immutable IDs when config/pipeline.ts names them;
 * - per environment of config: the GitHub Environment exists, deploys from
 *   `main` only, has required reviewers who may not approve their own runs
 *   (staging and production tiers), and has its variables;
 * - the repository variable of the pull-request roles.
 * Without GITHUB_TOKEN or GH_TOKEN it prints that it skipped (offline) and
 * exits 0; otherwise it exits 1 when something is missing, listing everything.
 * A token that can read the repository's administration settings is needed
 * (classic: `repo`; fine-grained: Administration, Environments and Variables: read).
 */
import {
  EnvironmentConfig,
  loadEnvironments,
  pipeline,
  PipelineConfig,
  validatePipeline,
} from '../config';
import { DEPLOY_BRANCH, SUBJECT_CLAIM_KEYS } from '../lib/constructs/pipeline/github-oidc';
import { pipelineRoleNames } from '../lib/constructs/pipeline/pipeline-roles';

/** A response of the GitHub REST API (no body on 404). */
export interface GitHubResponse<T> {
  readonly status: number;
  readonly body?: T;
}

/** GET of a REST API path (`/repos/...`). */
export type GitHubGet = <T>(path: string) => Promise<GitHubResponse<T>>;

/** The parts of the API's answers that the checks read. */
interface SubjectTemplate {
  readonly use_default?: boolean;
  readonly include_claim_keys?: readonly string[];
}
interface Repository {
  readonly id?: number;
  readonly owner?: { readonly id?: number };
}
interface GitHubEnvironment {
  readonly deployment_branch_policy?: { readonly custom_branch_policies?: boolean } | null;
  readonly protection_rules?: readonly {
    readonly type: string;
    readonly prevent_self_review?: boolean;
    readonly reviewers?: readonly unknown[];
  }[];
}
interface BranchPolicies {
  readonly branch_policies?: readonly { readonly name: string; readonly type?: string }[];
}
interface Variable {
  readonly value?: string;
}

/** The tiers whose deployments wait for a reviewer. */
export const REVIEWED_TIERS: readonly EnvironmentConfig['tier'][] = ['staging', 'production'];

const same = (a: readonly unknown[], b: readonly unknown[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Every problem of the repository's settings, as sentences naming the setting and what to do. */
export async function githubSettingsProblems(
  get: GitHubGet,
  settings: PipelineConfig,
  environments: readonly EnvironmentConfig[],
): Promise<string[]> {
  const { owner, repository, immutableIds } = settings.github;
  const repo = `/repos/${owner}/${repository}`;
  const problems: string[] = [];

  const subject = await get<SubjectTemplate>(`${repo}/actions/oidc/customization/sub`);
  if (
    subject.body?.use_default !== false ||
    !same(subject.body?.include_claim_keys ?? [], SUBJECT_CLAIM_KEYS)
  ) {
    problems.push(
      `OIDC subject of ${owner}/${repository}: ${JSON.stringify(subject.body)}; set ` +
        `{"use_default":false,"include_claim_keys":${JSON.stringify(SUBJECT_CLAIM_KEYS)}} (README, "OIDC subject")`,
    );
  }
  if (immutableIds) {
    const { body } = await get<Repository>(repo);
    if (body?.owner?.id !== immutableIds.owner || body?.id !== immutableIds.repository) {
      problems.push(
        `pipeline.github.immutableIds: ${JSON.stringify(immutableIds)}, but GitHub has ` +
          `${JSON.stringify({ owner: body?.owner?.id, repository: body?.id })}`,
      );
    }
  }

  for (const env of environments) {
    const where = `GitHub Environment "${env.name}"`;
    const environment = await get<GitHubEnvironment>(`${repo}/environments/${env.name}`);
    if (environment.status === 404) {
      problems.push(`${where}: does not exist; create it (README, "GitHub Environments")`);
      continue;
    }
    const branchPolicy = environment.body?.deployment_branch_policy;
    const branches =
      branchPolicy?.custom_branch_policies === true
        ? ((
            await get<BranchPolicies>(`${repo}/environments/${env.name}/deployment-branch-policies`)
          ).body?.branch_policies ?? [])
        : [];
    const branchNames = branches.map((b) => `${b.type ?? 'branch'}:${b.name}`);
    if (!same(branchNames, [`branch:${DEPLOY_BRANCH}`])) {
      problems.push(
        `${where}: deployment branches ${JSON.stringify(branchNames)}; allow the branch "${DEPLOY_BRANCH}" only`,
      );
    }
    if (REVIEWED_TIERS.includes(env.tier)) {
      const reviewers = (environment.body?.protection_rules ?? []).find(
        (rule) => rule.type === 'required_reviewers',
      );
      if (!reviewers || (reviewers.reviewers ?? []).length === 0) {
        problems.push(`${where}: no required reviewers (tier ${env.tier}); add at least one`);
      } else if (reviewers.prevent_self_review !== true) {
        problems.push(
          `${where}: reviewers may approve their own deployments; turn on "Prevent self-review"`,
        );
      }
    }
    const role = await get<Variable>(
      `${repo}/environments/${env.name}/variables/AWS_DEPLOY_ROLE_ARN`,
    );
    const expected = `:role/${pipelineRoleNames(env.name).deploy}`;
    const value = String(role.body?.value ?? '');
    if (
      role.status === 404 ||
      !value.endsWith(expected) ||
      (env.account && !value.includes(`::${env.account}:`))
    ) {
      problems.push(
        `${where}: variable AWS_DEPLOY_ROLE_ARN is ${role.status === 404 ? 'missing' : JSON.stringify(value)}; ` +
          `set the output ...DeployRoleArn of the GitHubOidc stack (arn:aws:iam::${env.account ?? '<account>'}${expected})`,
      );
    }
    if (
      !env.region &&
      (await get<Variable>(`${repo}/environments/${env.name}/variables/AWS_REGION`)).status === 404
    ) {
      problems.push(`${where}: variable AWS_REGION is missing (the environment pins no region)`);
    }
  }

  const pullRequestRoles = await get<Variable>(
    `${repo}/actions/variables/AWS_PULL_REQUEST_ROLE_ARNS`,
  );
  let arns: Record<string, unknown> = {};
  try {
    arns = pullRequestRoles.status === 404 ? {} : JSON.parse(String(pullRequestRoles.body?.value));
  } catch {
    problems.push(
      'repository variable AWS_PULL_REQUEST_ROLE_ARNS: is not JSON; set {"<env>": "<role ARN>", ...}',
    );
  }
  const missing = environments
    .filter((env) => typeof arns[env.name] !== 'string')
    .map((env) => env.name);
  if (missing.length > 0) {
    problems.push(
      `repository variable AWS_PULL_REQUEST_ROLE_ARNS: no role for ${missing.join(', ')}; ` +
        'their pull requests get no cdk diff (outputs ...PullRequestRoleArn of the GitHubOidc stacks)',
    );
  }
  return problems;
}

/** A {@link GitHubGet} over `fetch`, authenticated with `token`. */
export function restApi(token: string, baseUrl = 'https://api.github.com'): GitHubGet {
  return async <T>(path: string): Promise<GitHubResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
      },
    });
    if (response.status !== 404 && !response.ok) {
      throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return {
      status: response.status,
      body: response.status === 404 ? undefined : ((await response.json()) as T),
    };
  };
}

async function main(): Promise<number> {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token) {
    process.stdout.write('check:github skipped: no GITHUB_TOKEN or GH_TOKEN (offline).\n');
    return 0;
  }
  const environments = loadEnvironments();
  const settings = validatePipeline(pipeline, environments);
  const problems = await githubSettingsProblems(
    restApi(token, process.env.GITHUB_API_URL),
    settings,
    environments,
  );
  const name = `${settings.github.owner}/${settings.github.repository}`;
  process.stdout.write(
    problems.length === 0
      ? `GitHub settings of ${name}: as the pipeline expects.\n`
      : `GitHub settings of ${name} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
          problems.map((p) => `  - ${p}`).join('\n') +
          '\n',
  );
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
