import { z } from 'zod';
import { EnvironmentConfig } from './schema';
import { gitHubRepositorySchema } from './github-schema';
import { list, reportDuplicates } from './rules';
import { ConfigValidationError, describeIssue, problemsOf } from './validate';

/** The account key of environments that pin no account. */
export const CLI_ACCOUNT = 'cli-account';

/** `cdk bootstrap --qualifier`: at most 10 lowercase letters and digits. */
const BOOTSTRAP_QUALIFIER = /^[a-z0-9]{1,10}$/;

/**
 * The deployment pipeline's settings: one per repository, not per
 * environment. The single source of the shape: {@link PipelineConfig} is
 * inferred from it, and each key's documentation is shown on the inferred type.
 */
export const pipelineSchema = z.strictObject({
  /**
   * The GitHub repository whose workflows deploy the platform. `npm run
   * check:github` compares its immutable IDs with GitHub's.
   */
  github: gitHubRepositorySchema,
  /**
   * The qualifier the accounts are bootstrapped with (`cdk bootstrap
   * --qualifier`): it names the bootstrap roles the pipeline roles may assume
   * and the bootstrap execution policy and boundary. Allowed: 1-10 lowercase
   * letters and digits.
   * @default 'hnb659fds' (the CDK's default qualifier)
   */
  cdkBootstrapQualifier: z
    .string()
    .regex(
      BOOTSTRAP_QUALIFIER,
      'is not a bootstrap qualifier; allowed: 1-10 lowercase letters and digits',
    )
    .default('hnb659fds'),
  /**
   * Accounts where the GitHub OIDC identity provider already exists (created by
   * hand or by another app): their OIDC stack references it instead of
   * creating it, as IAM allows one provider per URL and account. Allowed: the
   * account ID of an environment, or `cli-account` for the environments
   * without a pinned account (they deploy to the account of the CLI's
   * credentials); each at most once.
   * @default [] (every OIDC stack creates its account's provider)
   */
  existingOidcProviderAccounts: z
    .array(z.string())
    .superRefine((accounts, ctx) => reportDuplicates(accounts, ctx, []))
    .default([]),
});

/** The validated pipeline settings (defaults applied). */
export type PipelineConfig = z.infer<typeof pipelineSchema>;

/** The pipeline settings as written in `config/pipeline.ts` (defaults may be left out). */
export type PipelineSettings = z.input<typeof pipelineSchema>;

/** The account key of an environment: its pinned account, or {@link CLI_ACCOUNT}. */
export function accountKeyOf(env: EnvironmentConfig): string {
  return env.account ?? CLI_ACCOUNT;
}

/**
 * Validates the pipeline settings against the (validated) environments and
 * throws one {@link ConfigValidationError} listing every problem.
 */
export function validatePipeline(
  raw: unknown,
  environments: readonly EnvironmentConfig[],
): PipelineConfig {
  const parsed = pipelineSchema.safeParse(raw, { error: describeIssue });
  if (!parsed.success) {
    throw new ConfigValidationError(
      problemsOf(raw, 'pipeline', parsed.error, 'config/pipeline.ts'),
    );
  }
  const accounts = [...new Set(environments.map(accountKeyOf))];
  const problems = parsed.data.existingOidcProviderAccounts.flatMap((account, index) =>
    accounts.includes(account)
      ? []
      : [
          `pipeline.existingOidcProviderAccounts.${index}: ${JSON.stringify(account)} is not the account of ` +
            `any environment; allowed: ${list(accounts)}`,
        ],
  );
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return parsed.data;
}
