/**
 * The deployment pipeline's settings: one per repository, not per environment.
 * Validated by `validatePipeline` in `pipeline-schema.ts`.
 */
export interface PipelineConfig {
  /** The GitHub repository whose workflows deploy the platform. */
  readonly github: {
    /** The user or organisation, e.g. `example-org`. */
    readonly owner: string;
    /** The repository name, e.g. `user-management-platform`. */
    readonly repository: string;
  };
  /**
   * The qualifier the accounts were bootstrapped with (`cdk bootstrap
   * --qualifier`); the pipeline roles may assume only the bootstrap roles that
   * carry it. Default of the CDK: `hnb659fds`.
   */
  readonly cdkBootstrapQualifier: string;
  /**
   * Accounts where the GitHub OIDC identity provider already exists (created by
   * hand or by another app): their OIDC stack references it instead of
   * creating it, as IAM allows one provider per URL and account. Use an
   * account ID, or `cli-account` for the environments without a pinned account
   * (they deploy to the account of the CLI's credentials).
   */
  readonly existingOidcProviderAccounts: readonly string[];
}

/** The account key of environments that pin no account. */
export const CLI_ACCOUNT = 'cli-account';

/** Replace owner and repository with your repository's. */
export const pipeline = {
  github: { owner: 'example-org', repository: 'user-management-platform' },
  cdkBootstrapQualifier: 'hnb659fds',
  existingOidcProviderAccounts: [],
} satisfies PipelineConfig;
