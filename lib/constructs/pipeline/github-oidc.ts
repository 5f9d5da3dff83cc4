import { GitHubRepository } from '../../../config';

/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** The only branch that deploys. */
export const DEPLOY_BRANCH = 'main';

/**
 * The claims the repository's OIDC subject is made of, in this order
 * (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`, see the
 * README): the subject of a deploy job then names both its GitHub Environment
 * and its ref, `repo:<owner>/<repo>:environment:<env>:ref:refs/heads/main`, so
 * the deploy role can trust `main` alone with an exact match. See
 * https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository
 */
export const SUBJECT_CLAIM_KEYS = ['repo', 'context', 'ref'] as const;

/**
 * The `repo` claim of the repository: `<owner>/<repo>`, or
 * `<owner>@<id>/<repo>@<id>` with immutable subject claims.
 */
function repoClaim(github: GitHubRepository): string {
  const ids = github.immutableIds;
  return ids
    ? `${github.owner}@${ids.owner}/${github.repository}@${ids.repository}`
    : `${github.owner}/${github.repository}`;
}

/** The exact subject of a job bound to the GitHub Environment `environmentName` on `main`. */
export function deploySubject(github: GitHubRepository, environmentName: string): string {
  return `repo:${repoClaim(github)}:environment:${environmentName}:ref:refs/heads/${DEPLOY_BRANCH}`;
}

/**
 * The subject of every pull-request job: the `pull_request` context is given
 * to `pull_request` events only, and the wildcard stands for the pull
 * request's number in the ref GitHub creates (`refs/pull/<n>/merge`).
 */
export function pullRequestSubject(github: GitHubRepository): string {
  return `repo:${repoClaim(github)}:pull_request:ref:refs/pull/*/merge`;
}

/**
 * The exact subject of a job of another repository (a service's) that runs
 * on its `main` branch and is bound to no GitHub Environment, with GitHub's
 * default subject claims: `repo:<owner>/<repo>:ref:refs/heads/main`. The
 * token of a job in a reusable workflow carries its caller's subject. See
 * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
export function branchSubject(github: GitHubRepository): string {
  return `repo:${repoClaim(github)}:ref:refs/heads/${DEPLOY_BRANCH}`;
}
