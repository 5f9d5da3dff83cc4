import { dev } from './dev';
import { EnvironmentConfig } from './environment-config';
import { prod } from './prod';
import { stg } from './stg';
import { ConfigValidationError, validateEnvironments } from './validate';

export * from './environment-config';
export { ConfigValidationError, validateEnvironments } from './validate';

/**
 * Every environment, in deployment order. To add one, create `<name>.ts`
 * beside this file and list it here.
 */
export const ENVIRONMENT_FILES: readonly EnvironmentConfig[] = [dev, stg, prod];

/**
 * Validates all environments (cross-environment rules need all of them) and
 * returns the one named by `selected`, or all of them when it is undefined.
 */
export function loadEnvironments(
  selected?: string,
  files: readonly unknown[] = ENVIRONMENT_FILES,
): EnvironmentConfig[] {
  const environments = validateEnvironments(files);
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
