/**
 * The fixed monthly cost of each environment, from its synthesized templates
 * and the price table in tools/cost/price-table.ts:
 *
 *   npm run cost                          every environment, synthesized here, as released
 *                                         (the release manifests: bootstrap services run no task)
 *   npm run cost -- --released            as if every service ran its configured task count
 *   npm run cost -- --assembly cdk.out    from a `cdk synth` output instead
 *   npm run cost -- --base <dir> [--head cdk.out] [--stage Dev]
 *                                         the pull request's cost section (Markdown): totals
 *                                         before and after and the lines that moved
 *
 * Exit code 0, or 2 on bad arguments or configuration.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { EnvironmentConfig, EnvironmentReleases, loadEnvironments, loadReleases } from '../config';
import { addPlatform, newPlatformApp } from '../lib/platform-app';
import { PlatformStage } from '../lib/stages/platform-stage';
import { costOfStages, renderCostDiff, renderStageCost } from '../tools/cost/cost-report';
import { readAssemblyStacks, stackTemplatesOf, StackTemplate } from '../tools/security-projection';
import { exitCodeOf } from './assembly-options';

/** The version given to bootstrap services by `--released` (never deployed: it is priced only). */
export const PRICED_VERSION = 'priced-as-released';

/** The releases with every bootstrap service given {@link PRICED_VERSION}. */
export function asReleased(
  releases: ReadonlyMap<string, EnvironmentReleases>,
): Map<string, EnvironmentReleases> {
  return new Map(
    [...releases].map(([env, services]) => [
      env,
      new Map(
        [...services].map(([name, release]) => [
          name,
          release.bootstrap ? { image: PRICED_VERSION, bootstrap: false } : release,
        ]),
      ),
    ]),
  );
}

/**
 * Synthesizes `environments` in this process, as `cdk synth` would (the
 * feature flags of cdk.json, and `context`), without bundling the Lambdas'
 * code: the cost does not depend on it.
 */
export function synthesizeStacks(
  environments: readonly EnvironmentConfig[],
  releases: ReadonlyMap<string, EnvironmentReleases>,
  context: Record<string, unknown> = {},
): StackTemplate[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
  try {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    };
    const app = newPlatformApp({
      outdir,
      context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context },
    });
    addPlatform(app, environments, releases);
    return stackTemplatesOf(app.synth());
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The plain-text report of every stage of `stacks`, those named in `order` first, in that order. */
export function costReport(
  stacks: readonly StackTemplate[],
  order: readonly string[] = [],
): string {
  const rank = (stage: string) => (order.includes(stage) ? order.indexOf(stage) : order.length);
  return [...costOfStages(stacks).values()]
    .sort((a, b) => rank(a.stage) - rank(b.stage))
    .map(renderStageCost)
    .join('\n');
}

/** The Markdown cost diff of `head` over `base`, per stage (one stage with `stage`). */
export function costDiff(base: string, head: string, stage?: string): string {
  const before = costOfStages(readAssemblyStacks(base, stage));
  const after = costOfStages(readAssemblyStacks(head, stage));
  const stages = [...new Set([...before.keys(), ...after.keys()])];
  return stages.map((id) => renderCostDiff(id, before.get(id), after.get(id))).join('\n');
}

function main(): number {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: 'cdk.out' },
      stage: { type: 'string' },
      assembly: { type: 'string' },
      released: { type: 'boolean', default: false },
    },
  });
  return exitCodeOf(() => {
    if (values.base !== undefined) {
      process.stdout.write(costDiff(values.base, values.head, values.stage));
      return 0;
    }
    const environments = loadEnvironments();
    let stacks: StackTemplate[];
    if (values.assembly !== undefined) {
      stacks = readAssemblyStacks(values.assembly, values.stage);
    } else {
      const releases = loadReleases(environments);
      stacks = synthesizeStacks(environments, values.released ? asReleased(releases) : releases);
    }
    // In deployment order: dev, stg, prod.
    process.stdout.write(
      costReport(
        stacks,
        environments.map((env) => PlatformStage.idOf(env.name)),
      ),
    );
    return 0;
  });
}

if (require.main === module) {
  process.exitCode = main();
}
