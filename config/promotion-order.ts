import { BOOTSTRAP_VERSION } from './release-schema';
import { manifestPathOf } from './release-manifests';

/** A release manifest as written: the version of each service. */
export type ManifestVersions = Readonly<Record<string, string>>;

/** What {@link promotionProblems} compares. */
export interface PromotionInput {
  /** The environment names in deployment order (dev, stg, prod). */
  readonly order: readonly string[];
  /** The manifests of the pull request's base, by environment. */
  readonly base: Readonly<Record<string, ManifestVersions>>;
  /** The manifests of the pull request's head, by environment. */
  readonly head: Readonly<Record<string, ManifestVersions>>;
  /**
   * Every version each service has had in each environment's manifest on the
   * base branch, at any commit of its history: what has been released there.
   */
  readonly released: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * The promotion order: a version that a pull request gives a service in an
 * environment must have been released to the environment before it in
 * deployment order (dev, then stg, then prod), i.e. be in that environment's
 * manifest at some commit of the base branch. Merged versions deploy in that
 * order (deploy.yml), so this means "it ran in stg before it runs in prod".
 *
 * The first environment takes any version (the publish workflow proposes it
 * there); an unchanged version, or `bootstrap`, needs nothing. A rollback
 * passes: the version it returns to was released before. The rule needs the
 * base branch's history, which synth does not have (it runs from any copy of
 * the tree), so the pull-request workflow checks it (`npm run release-check`).
 */
export function promotionProblems(input: PromotionInput): string[] {
  return input.order.slice(1).flatMap((environment, index) => {
    const previous = input.order[index];
    const before = input.base[environment] ?? {};
    return Object.entries(input.head[environment] ?? {}).flatMap(([service, version]) =>
      version === BOOTSTRAP_VERSION ||
      version === before[service] ||
      (input.released[previous]?.[service] ?? []).includes(version)
        ? []
        : [
            `releases.${environment}.${service}: ${JSON.stringify(version)} was never released to ${previous} ` +
              `(no commit of the base branch has it in ${manifestPathOf(previous)}); promote it to ${previous} first`,
          ],
    );
  });
}
