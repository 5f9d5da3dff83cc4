import type { PipelineSettings } from './pipeline-schema';

export { CLI_ACCOUNT } from './pipeline-schema';
export type { PipelineConfig, PipelineSettings } from './pipeline-schema';

/**
 * The deployment pipeline's settings (validated by `validatePipeline`; every
 * setting is documented in `pipeline-schema.ts`). Replace owner and repository
 * with your repository's.
 */
export const pipeline = {
  github: { owner: 'example-org', repository: 'user-management-platform' },
  cdkBootstrapQualifier: 'hnb659fds',
  existingOidcProviderAccounts: [],
} satisfies PipelineSettings;
