import { z } from 'zod';
import { EnvironmentConfig } from './schema';
import { CLI_ACCOUNT, PipelineConfig } from './pipeline';
import { list, reportDuplicates } from './rules';
import { ConfigValidationError, describeIssue, problemsOf } from './validate';

/** See https://docs.github.com/en/enterprise-cloud@latest/admin/identity-and-access-management/iam-configuration-reference/username-considerations-for-external-authentication */
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** `cdk bootstrap --qualifier`: at most 10 lowercase letters and digits. */
const BOOTSTRAP_QUALIFIER = /^[a-z0-9]{1,10}$/;

const pipelineSchema = z.strictObject({
  github: z.strictObject({
    owner: z
      .string()
      .regex(
        GITHUB_OWNER,
        'is not a GitHub user or organisation; allowed: 1-39 letters, digits and single "-", not at either end',
      ),
    repository: z
      .string()
      .regex(
        GITHUB_REPOSITORY,
        'is not a GitHub repository name; allowed: 1-100 of A-Z a-z 0-9 . _ -',
      )
      .refine((name) => name !== '.' && name !== '..', {
        message: 'is not a GitHub repository name; "." and ".." are reserved',
      }),
  }),
  cdkBootstrapQualifier: z
    .string()
    .regex(
      BOOTSTRAP_QUALIFIER,
      'is not a bootstrap qualifier; allowed: 1-10 lowercase letters and digits',
    ),
  existingOidcProviderAccounts: z
    .array(z.string())
    .superRefine((accounts, ctx) => reportDuplicates(accounts, ctx, [])),
});

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
