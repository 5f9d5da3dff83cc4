import { z } from 'zod';
import { wholeNumber } from './rules';

/** See https://docs.github.com/en/enterprise-cloud@latest/admin/identity-and-access-management/iam-configuration-reference/username-considerations-for-external-authentication */
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * A GitHub repository whose workflows an IAM role trusts through GitHub's
 * OIDC tokens. The case of owner and name must match GitHub's: IAM compares
 * the token's `sub` exactly.
 */
export const gitHubRepositorySchema = z.strictObject({
  /**
   * The user or organisation that owns the repository, e.g. `example-org`.
   * Allowed: 1-39 letters, digits and single `-`, not at either end. The case
   * must match GitHub's: IAM compares the OIDC token's `sub` exactly.
   */
  owner: z
    .string()
    .regex(
      GITHUB_OWNER,
      'is not a GitHub user or organisation; allowed: 1-39 letters, digits and single "-", not at either end',
    ),
  /**
   * The repository name, e.g. `user-management-platform`. Allowed: 1-100 of
   * `A-Z a-z 0-9 . _ -`, not `.` or `..`; the case must match GitHub's.
   */
  repository: z
    .string()
    .regex(
      GITHUB_REPOSITORY,
      'is not a GitHub repository name; allowed: 1-100 of A-Z a-z 0-9 . _ -',
    )
    .refine((name) => name !== '.' && name !== '..', {
      message: 'is not a GitHub repository name; "." and ".." are reserved',
    }),
  /**
   * The numeric IDs of the owner and the repository, for a repository whose
   * OIDC tokens use immutable subject claims (`repo:<owner>@<id>/<repo>@<id>:...`):
   * every repository created, renamed or transferred since 2026-06-18, and
   * older ones that opted in. Read them with
   * `gh api repos/<owner>/<repo> --jq '{owner: .owner.id, repository: .id}'`.
   * Allowed: whole numbers of 1 or more.
   * See https://github.blog/changelog/2026-04-23-immutable-subject-claims-for-github-actions-oidc-tokens
   * (checked 2026-12).
   * @default - the subject names the owner and repository only (repositories older than 2026-06-18)
   */
  immutableIds: z
    .strictObject({
      /** The owner's ID (`.owner.id` of the repository). */
      owner: wholeNumber(1),
      /** The repository's ID (`.id`). */
      repository: wholeNumber(1),
    })
    .optional(),
});

/** A GitHub repository, validated. */
export type GitHubRepository = z.infer<typeof gitHubRepositorySchema>;
