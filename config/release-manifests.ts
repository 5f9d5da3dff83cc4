import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BOOTSTRAP_VERSION,
  EnvironmentReleases,
  namesDigest,
  releaseManifestSchema,
  ServiceRelease,
} from './release-schema';
import { list } from './rules';
import { EnvironmentConfig } from './schema';
import { TIER_POLICIES } from './tier-policy';
import { ConfigValidationError, describeIssue, problemsOf } from './validate';

/** Where the release manifests live: one `<environment>.json` each. */
export const RELEASES_DIR = path.join(__dirname, 'releases');

/** The manifest file of an environment, relative to the repository root. */
export const manifestPathOf = (environmentName: string) =>
  `config/releases/${environmentName}.json`;

/** The manifests in `dir`, by environment name, parsed as JSON but not yet validated. */
export function readReleaseFiles(dir: string = RELEASES_DIR): Record<string, unknown> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [path.basename(file, '.json'), readJson(path.join(dir, file))]),
  );
}

/** A file's JSON, or the parse error's message as a {@link ManifestSyntaxError}. */
function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return new ManifestSyntaxError(error instanceof Error ? error.message : String(error));
  }
}

/** A manifest that is not JSON; reported with the environment's other problems. */
class ManifestSyntaxError {
  constructor(readonly reason: string) {}
}

/**
 * Validates the release manifest of every environment: each lists exactly
 * the environment's services, each with an image tag, a digest or
 * `bootstrap`. Pass every environment (a manifest of an unknown environment
 * is reported). Throws one {@link ConfigValidationError} listing every problem.
 */
export function loadReleases(
  environments: readonly EnvironmentConfig[],
  files: Readonly<Record<string, unknown>> = readReleaseFiles(),
): ReadonlyMap<string, EnvironmentReleases> {
  const problems: string[] = [];
  const releases = new Map<string, EnvironmentReleases>();
  const names = environments.map((env) => env.name);
  for (const stray of Object.keys(files).filter((name) => !names.includes(name))) {
    problems.push(
      `releases.${stray}: ${manifestPathOf(stray)} is the manifest of no configured environment; allowed: ${list(names)}`,
    );
  }
  for (const env of environments) {
    const label = `releases.${env.name}`;
    const raw = files[env.name];
    const services = env.application.services.map((service) => service.name);
    if (raw === undefined || raw instanceof ManifestSyntaxError) {
      problems.push(
        raw === undefined
          ? `${label}: is missing; create ${manifestPathOf(env.name)} with every service of ${env.name}, e.g. ` +
              `{${services.map((name) => `"${name}": "${BOOTSTRAP_VERSION}"`).join(', ')}}`
          : `${label}: ${manifestPathOf(env.name)} is not JSON (${raw.reason})`,
      );
      continue;
    }
    const parsed = releaseManifestSchema.safeParse(raw, { error: describeIssue });
    if (!parsed.success) {
      problems.push(...problemsOf(raw, label, parsed.error, manifestPathOf(env.name)));
      continue;
    }
    const listed = Object.keys(parsed.data);
    for (const unknown of listed.filter((name) => !services.includes(name))) {
      problems.push(
        `${label}.${unknown}: is not a service of ${env.name}; allowed: ${list(services)}`,
      );
    }
    for (const missing of services.filter((name) => !listed.includes(name))) {
      problems.push(
        `${label}.${missing}: is missing; every service of ${env.name} needs a version in ${manifestPathOf(env.name)}: ` +
          `an image tag, a digest, or "${BOOTSTRAP_VERSION}" (zero tasks)`,
      );
    }
    if (TIER_POLICIES[env.tier].requiresImageDigest) {
      for (const [service, release] of Object.entries(parsed.data)) {
        if (!release.bootstrap && !namesDigest(release.image)) {
          problems.push(
            `${label}.${service}: "${release.image}" names no digest; ${env.tier} runs images pinned by digest: ` +
              `"<tag>@sha256:<64 hex digits>" (what the publish workflow proposes), "sha256:<64 hex digits>" or "${BOOTSTRAP_VERSION}"`,
          );
        }
      }
    }
    releases.set(env.name, new Map(Object.entries(parsed.data)));
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return releases;
}

/** Every service of `environment` in bootstrap mode: zero tasks, no image needed. */
export function bootstrapReleases(environment: EnvironmentConfig): EnvironmentReleases {
  const bootstrap: ServiceRelease = { image: BOOTSTRAP_VERSION, bootstrap: true };
  return new Map(environment.application.services.map((service) => [service.name, bootstrap]));
}
