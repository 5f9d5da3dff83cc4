/**
 * Synth benchmark: `npm run bench:synth [-- --runs N] [-- --ratio-only]`.
 *
 * Times, in one run and as the CDK CLI would (a fresh Node process with the
 * cdk.json context), a bare app with one empty stack and the full app with
 * every environment, cdk-nag and the CloudFormation validator. Their runs
 * alternate, so both see the same load on a shared machine. Prints the median
 * of each, their ratio, and the resource count of every stack.
 * Target: full app <= 2x the bare app.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const TARGET_RATIO = 2;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
/** Skips the scaling runs (one environment with 1 to 50 services). */
const RATIO_ONLY = process.argv.includes('--ratio-only');

// What `cdk synth` hands the app: cdk.json's context plus the CLI's own keys
// (stack traces are only collected with --debug).
const context = {
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context,
  'aws:cdk:disable-stack-trace': true,
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
};

/** Runs an app entry point once in a new process; returns seconds and the assembly directory. */
function synthOnce(
  entry: string,
  env: Record<string, string> = {},
): { seconds: number; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${entry} failed:\n${result.stderr}`);
  }
  return { seconds, outdir };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Resource count of every template in an assembly, nested stage assemblies included. */
function resourceCounts(outdir: string): [string, number][] {
  const counts: [string, number][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name.startsWith('assembly-')) {
        walk(full);
      } else if (entry.name.endsWith('.template.json')) {
        const template = JSON.parse(fs.readFileSync(full, 'utf8'));
        counts.push([path.relative(outdir, full), Object.keys(template.Resources ?? {}).length]);
      }
    }
  };
  walk(outdir);
  return counts.sort(([a], [b]) => a.localeCompare(b));
}

interface Measurement {
  readonly label: string;
  readonly entry: string;
  readonly env?: Record<string, string>;
}

/**
 * Times each measurement `runs` times, one run of each in turn, after one
 * warm-up run each; prints the medians and returns them with the last output.
 */
function measure(
  measurements: readonly Measurement[],
  runs = RUNS,
): { median: number; lastOutdir: string }[] {
  for (const { entry, env } of measurements) {
    fs.rmSync(synthOnce(entry, env).outdir, { recursive: true, force: true }); // warm caches
  }
  const times = measurements.map((): number[] => []);
  const lastOutdirs = measurements.map(() => '');
  for (let run = 0; run < runs; run++) {
    measurements.forEach(({ entry, env }, i) => {
      const { seconds, outdir } = synthOnce(entry, env);
      times[i].push(seconds);
      if (lastOutdirs[i]) {
        fs.rmSync(lastOutdirs[i], { recursive: true, force: true });
      }
      lastOutdirs[i] = outdir;
    });
  }
  return measurements.map(({ label }, i) => {
    console.log(
      `${label.padEnd(34)} median ${median(times[i]).toFixed(2)} s  (runs: ${times[i].map((t) => t.toFixed(2)).join(', ')})`,
    );
    return { median: median(times[i]), lastOutdir: lastOutdirs[i] };
  });
}

console.log(
  `synth benchmark: ${RUNS} runs each, node ${process.version}, ${os.cpus().length} cores\n`,
);
const [bare, full] = measure([
  { label: 'bare app (1 empty stack)', entry: path.join('bench', 'bare-app.ts') },
  { label: 'full app (every environment)', entry: path.join('bin', 'app.ts') },
]);
const ratio = full.median / bare.median;
console.log(
  `\nratio full / bare: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
);

console.log('\nresources per stack:');
for (const [template, count] of resourceCounts(full.lastOutdir)) {
  console.log(`  ${String(count).padStart(4)}  ${template}`);
}
for (const dir of [bare.lastOutdir, full.lastOutdir]) {
  fs.rmSync(dir, { recursive: true, force: true });
}

// Scaling: one environment with 1, 10, 30 and 50 services. Targets: time grows
// at most linearly (50 services <= 5x the time of 10), resources per service
// stay flat, and no stack passes the 450-resource budget.
function scalingRuns(): void {
  const RESOURCE_BUDGET = 450;
  const SCALING_RUNS = Math.min(RUNS, 3);
  console.log(`\nscaling (one environment, ${SCALING_RUNS} runs each):`);
  const scaling = new Map<number, number>();
  for (const services of [1, 10, 30, 50]) {
    const [result] = measure(
      [
        {
          label: `${services} service(s)`,
          entry: path.join('bench', 'scaling-app.ts'),
          env: { BENCH_SERVICES: String(services) },
        },
      ],
      SCALING_RUNS,
    );
    scaling.set(services, result.median);
    const counts = resourceCounts(result.lastOutdir);
    const serviceStacks = counts.filter(([template]) => template.includes('Services'));
    const perService = serviceStacks.reduce((sum, [, n]) => sum + n, 0) / services;
    const largest = Math.max(...counts.map(([, n]) => n));
    console.log(
      `    ${counts.length} stacks, largest ${largest} resources (budget ${RESOURCE_BUDGET}: ${largest <= RESOURCE_BUDGET ? 'met' : 'NOT met'}), ` +
        `${perService.toFixed(1)} resources per service`,
    );
    for (const [template, count] of counts) {
      console.log(`      ${String(count).padStart(4)}  ${template}`);
    }
    fs.rmSync(result.lastOutdir, { recursive: true, force: true });
  }
  const growth = scaling.get(50)! / scaling.get(10)!;
  console.log(
    `\n50 services / 10 services: ${growth.toFixed(2)}x (target <= 5x: ${growth <= 5 ? 'met' : 'NOT met'})`,
  );
}

if (!RATIO_ONLY) {
  scalingRuns();
}
