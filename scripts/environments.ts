/**
 * Prints the environments as the workflows' matrix, in deployment order:
 *
 *   npm run --silent environments                 # every environment
 *   npm run --silent environments -- --only stg   # one (fails if unknown)
 *
 * Output: `[{"name":"dev","stage":"Dev","region":"ap-northeast-1"}, ...]`.
 * The workflows take environment names from here, never from their own text.
 */
import { parseArgs } from 'util';
import { ConfigValidationError, loadEnvironments } from '../config';
import { PlatformStage } from '../lib/stages/platform-stage';

/** One matrix entry. */
export interface EnvironmentEntry {
  readonly name: string;
  readonly stage: string;
  /** The pinned region, or null when the GitHub Environment's AWS_REGION variable decides. */
  readonly region: string | null;
}

/** The matrix entries of every environment, or of `only`. */
export function environmentMatrix(only?: string): EnvironmentEntry[] {
  return loadEnvironments(only).map((env) => ({
    name: env.name,
    stage: PlatformStage.idOf(env.name),
    region: env.region ?? null,
  }));
}

if (require.main === module) {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  try {
    process.stdout.write(`${JSON.stringify(environmentMatrix(values.only || undefined))}\n`);
  } catch (error) {
    process.stderr.write(
      `${error instanceof ConfigValidationError ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
