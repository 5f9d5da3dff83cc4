/**
 * The integration suite against a sandbox account, with the caller's credentials:
 *
 *   npm run integ -- --region <region> [--keep]
 *
 * 1. synthesizes test/integ/integ.platform.ts for the region, with a run ID
 *    of its own (the Cognito domain prefixes are unique per region);
 * 2. deploys every stack of its `Integ` stage (the region's stacks and the
 *    us-east-1 edge stack) and then its assertion stack, whose custom
 *    resources make the assertions through the real APIs while CloudFormation
 *    creates them; their results are the stack's `AssertionResults*` outputs;
 * 3. destroys everything, even after a failure (unless `--keep`): empties the
 *    stacks' buckets, `cdk destroy`s the stage, deletes the log groups Lambda
 *    created outside CloudFormation, and checks that no `Integ-*` stack is left;
 * 4. prints a short report and exits 1 unless everything passed.
 * Both regions must be bootstrapped (README, "Set-up of an account", step 3);
 * Docker builds the hello image during the deployment.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { KNOWN_REGIONS } from '../config/rules';
import {
  assertionResultsOf,
  AssertionResult,
  deleteLogGroups,
  emptyBucketsOf,
  formatReport,
  IntegRunReport,
  passed,
  stackExists,
  stacksOf,
} from '../tools/integ-run';
import { PlatformStage } from '../lib/stages/platform-stage';
import { INTEG_ENVIRONMENT } from '../test/integ/integ-environment';

const ROOT = path.join(__dirname, '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const STAGE = PlatformStage.idOf(INTEG_ENVIRONMENT);

function usage(message: string): never {
  console.error(`${message}\nusage: npm run integ -- --region <region> [--keep]`);
  process.exit(2);
}

function argsOf(argv: readonly string[]): { region: string; keep: boolean } {
  const index = argv.indexOf('--region');
  const region = index >= 0 ? argv[index + 1] : undefined;
  if (region === undefined) {
    usage('--region is required');
  }
  if (!KNOWN_REGIONS.includes(region)) {
    usage(`--region: "${region}" is not a known AWS region`);
  }
  return { region, keep: argv.includes('--keep') };
}

/** Runs the project's CDK CLI from the repository root; true when it exited 0. */
function cdk(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return spawnSync(CDK, args, { cwd: ROOT, env, stdio: 'inherit' }).status === 0;
}

/** Runs one phase and records its duration; a phase that throws has failed, and its error is shown. */
async function timed(
  name: string,
  phases: IntegRunReport['phases'][number][],
  run: () => Promise<boolean> | boolean,
) {
  const start = Date.now();
  const ok = await Promise.resolve()
    .then(run)
    .catch((error: unknown) => {
      console.error(`${name} failed:`, error instanceof Error ? error.message : error);
      return false;
    });
  phases.push({ name, seconds: (Date.now() - start) / 1000, ok });
  return ok;
}

async function main(): Promise<void> {
  const { region, keep } = argsOf(process.argv.slice(2));
  const runId = `r${Date.now().toString(36)}`;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  const env = {
    ...process.env,
    CDK_INTEG_REGION: region,
    INTEG_RUN_ID: runId,
    AWS_REGION: region,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  const phases: IntegRunReport['phases'][number][] = [];
  let assertions: AssertionResult[] = [];
  const cleaned: string[] = [];
  const leftovers: string[] = [];

  const synthesized = await timed('synth', phases, () =>
    cdk(['synth', '-q', '--app', 'node --import tsx test/integ/integ.platform.ts', '-o', out], env),
  );
  if (!synthesized) {
    console.log(formatReport({ region, runId, phases, assertions, cleaned, leftovers }));
    process.exit(1);
  }
  const stacks = stacksOf(out);
  const outputsFile = path.join(out, 'outputs.json');
  try {
    await timed('deploy and assertions', phases, () =>
      cdk(
        [
          'deploy',
          '--app',
          out,
          `${STAGE}/*`,
          '--require-approval',
          'never',
          '--progress',
          'events',
          '--outputs-file',
          outputsFile,
        ],
        env,
      ),
    );
    if (fs.existsSync(outputsFile)) {
      assertions = assertionResultsOf(JSON.parse(fs.readFileSync(outputsFile, 'utf8')));
    }
  } finally {
    if (!keep) {
      await timed('destroy', phases, async () => {
        for (const stack of stacks) {
          const buckets = await emptyBucketsOf(
            new CloudFormationClient({ region: stack.region }),
            new S3Client({ region: stack.region }),
            stack.stackName,
          );
          cleaned.push(...buckets.map((bucket) => `objects of ${bucket}`));
        }
        const destroyed = cdk(['destroy', '--app', out, `${STAGE}/*`, '--force'], env);
        for (const stackRegion of new Set(stacks.map((stack) => stack.region))) {
          const logs = new CloudWatchLogsClient({ region: stackRegion });
          cleaned.push(...(await deleteLogGroups(logs, `/aws/lambda/${STAGE}-`)));
          for (const stack of stacks.filter((s) => s.region === stackRegion)) {
            if (
              await stackExists(new CloudFormationClient({ region: stackRegion }), stack.stackName)
            ) {
              leftovers.push(`${stack.stackName} (${stackRegion})`);
            }
          }
        }
        return destroyed;
      });
    }
    const report = { region, runId, phases, assertions, cleaned, leftovers };
    console.log(formatReport(report));
    fs.rmSync(out, { recursive: true, force: true });
    process.exitCode = passed(report) ? 0 : 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
