import { dev } from './dev';
import { EnvironmentConfig, EnvironmentSettings } from './schema';
import { prod } from './prod';
import { stg } from './stg';
import { ConfigValidationError, validateEnvironments } from './validate';

export * from './environment-config';
export * from './schema';
export { CLOUDFRONT_REGION } from './edge-schema';
export { BLOCKED_MANAGED_DOMAIN_LISTS } from './dns-firewall-lists';
export type { ManagedDomainListName } from './dns-firewall-lists';
export { FIREWALL_SUBNET_MASK } from './network-schema';
export { subnetsAfter } from './cidr';
export { ECR_PUBLIC_DOMAINS, platformEgressDomains } from './egress-domains';
export { TRAIL_ARCHIVE_TRANSITION_DAYS } from './security-schema';
export { removalPolicyOf, TIER_POLICIES } from './tier-policy';
export type { TierPolicy } from './tier-policy';
export { ConfigValidationError, validateEnvironments } from './validate';
export { BOOTSTRAP_VERSION } from './release-schema';
export type { EnvironmentReleases, ServiceRelease } from './release-schema';
export type { GitHubRepository } from './github-schema';
export { bootstrapReleases, loadReleases, manifestPathOf } from './release-manifests';
export { loadAcceptedReplacements } from './accepted-replacement-rules';
export type { AcceptedReplacement } from './accepted-replacement-schema';

/**
 * Every environment, in deployment order. To add one, create `<name>.ts`
 * beside this file and list it here.
 */
export const ENVIRONMENT_FILES: readonly EnvironmentSettings[] = [dev, stg, prod];

/** Overrides given on the command line (`-c mesh=app-mesh`), applied to every environment. */
export interface ConfigOverrides {
  /** Replaces every environment's `application.mesh` (validated like the file value). */
  readonly mesh?: unknown;
}

function withOverrides(files: readonly unknown[], overrides: ConfigOverrides): unknown[] {
  if (overrides.mesh === undefined) {
    return [...files];
  }
  return files.map((file) => {
    const env = file as { application?: object };
    return { ...env, application: { ...env.application, mesh: overrides.mesh } };
  });
}

/**
 * Validates all environments (cross-environment rules need all of them) and
 * returns the one named by `selected`, or all of them when it is undefined.
 */
export function loadEnvironments(
  selected?: string,
  files: readonly unknown[] = ENVIRONMENT_FILES,
  overrides: ConfigOverrides = {},
): EnvironmentConfig[] {
  const environments = validateEnvironments(withOverrides(files, overrides));
  if (selected === undefined) {
    return environments;
  }
  const match = environments.find((env) => env.name === selected);
  if (!match) {
    throw new ConfigValidationError([
      `env: ${JSON.stringify(selected)} is not a configured environment; allowed: ${environments
        .map((env) => env.name)
        .join(', ')}`,
    ]);
  }
  return [match];
}

export * from './pipeline';
export { accountKeyOf, validatePipeline } from './pipeline-schema';
