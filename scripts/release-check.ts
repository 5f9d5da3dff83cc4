/**
 * Checks the promotion order of the release manifests in a pull request:
 *
 *   npm run release-check -- --base <commit>   # the pull request's base commit
 *
 * Compares the manifests of the working tree with those of the base commit,
 * and the environment before each in deployment order with every version its
 * manifest has had on the base branch (`git log`, so the checkout needs the
 * base's history). Prints the problems and exits 1, or says the order is kept.
 * The rule: `promotionProblems` in config/promotion-order.ts.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigValidationError, loadEnvironments } from '../config';
import { ManifestVersions, promotionProblems } from '../config/promotion-order';
import { manifestPathOf, readReleaseFiles, RELEASES_DIR } from '../config/release-manifests';

const ROOT = path.join(__dirname, '..');

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The string versions of a parsed manifest; anything else is synth's to report. */
function versionsOf(manifest: unknown): ManifestVersions {
  return manifest !== null && typeof manifest === 'object'
    ? Object.fromEntries(
        Object.entries(manifest).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      )
    : {};
}

/** The manifest of `environment` at `commit`, or `{}` where it does not exist or is not JSON. */
function manifestAt(commit: string, environment: string, cwd: string): ManifestVersions {
  try {
    return versionsOf(JSON.parse(git(['show', `${commit}:${manifestPathOf(environment)}`], cwd)));
  } catch {
    return {};
  }
}

/** Every version of every service in the manifest of `environment`, over the history of `base`. */
export function releasedVersions(
  base: string,
  environment: string,
  cwd: string = ROOT,
): Record<string, string[]> {
  const commits = git(['log', '--format=%H', base, '--', manifestPathOf(environment)], cwd)
    .split('\n')
    .filter(Boolean);
  const released: Record<string, string[]> = {};
  for (const commit of commits) {
    for (const [service, version] of Object.entries(manifestAt(commit, environment, cwd))) {
      released[service] = [...new Set([...(released[service] ?? []), version])];
    }
  }
  return released;
}

/** The promotion problems of the working tree's manifests against `base`. */
export function releaseCheck(
  base: string,
  cwd: string = ROOT,
  releasesDir = RELEASES_DIR,
): string[] {
  const order = loadEnvironments().map((env) => env.name);
  const head = Object.fromEntries(
    Object.entries(readReleaseFiles(releasesDir)).map(([env, manifest]) => [
      env,
      versionsOf(manifest),
    ]),
  );
  return promotionProblems({
    order,
    head,
    base: Object.fromEntries(order.map((env) => [env, manifestAt(base, env, cwd)])),
    released: Object.fromEntries(order.map((env) => [env, releasedVersions(base, env, cwd)])),
  });
}

if (require.main === module) {
  const { values } = parseArgs({ options: { base: { type: 'string' } } });
  if (!values.base) {
    process.stderr.write('usage: npm run release-check -- --base <commit>\n');
    process.exit(2);
  }
  try {
    const problems = releaseCheck(values.base);
    process.stdout.write(
      problems.length === 0
        ? 'Promotion order kept: every changed version was released to the environment before it.\n'
        : `Promotion order broken (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    process.exitCode = problems.length === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(
      `${error instanceof ConfigValidationError ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
