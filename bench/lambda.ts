/**
 * Trigger benchmark: `npm run bench:lambda [-- --invocations N]`.
 *
 * For each Cognito trigger: the size of the bundle as deployed (minified, AWS
 * SDK from the runtime) against the same code bundled unminified with the SDK
 * included; the cold init time (loading the bundle in a fresh Node process,
 * median of 5); warm p50/p99 over N invocations (default 1000) against an
 * embedded PostgreSQL server with the schema applied; and Secrets Manager
 * calls per N invocations. Prints each figure against its target; no test
 * asserts timing.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { handlerBuildOptions } from '../lib/constructs/identity/handler-bundle';
import { TRIGGER_HANDLERS, TriggerHandler } from '../lib/constructs/identity/trigger-function';
import { startServer } from '../test/helpers/embedded-postgres-server';
import { createTestDatabase } from '../test/helpers/postgres';
import {
  postConfirmationEvent,
  preSignUpEvent,
  preTokenEvent,
  triggerEnvironment,
} from '../test/helpers/trigger-container';

const ROOT = path.join(__dirname, '..');
// Inside the project, so the externalised AWS SDK resolves from node_modules as the runtime's would.
const OUT = path.join(ROOT, 'node_modules', '.cache', 'bench-lambda');
const arg = process.argv.indexOf('--invocations');
const INVOCATIONS = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
const WARM_UP = 50;
const COLD_RUNS = 5;
const TARGETS = { sizeRatio: 1 / 3, coldMs: 300, noDbP99Ms: 5, dbP99Ms: 25, secretCalls: 1 };

type Handler = (event: unknown) => Promise<unknown>;

/** Loads a bundle as the Lambda runtime does (CommonJS). */
const loadBundle = createRequire(__filename);

async function bundle(handler: TriggerHandler, deployed: boolean): Promise<string> {
  const outfile = path.join(OUT, deployed ? 'deployed' : 'reference', handler, 'index.js');
  const asDeployed = handlerBuildOptions(handler);
  // The reference: the same code unminified, with the AWS SDK inside the bundle.
  const reference = { minify: false, sourcemap: false, external: ['pg-native'] };
  await esbuild.build({
    ...asDeployed,
    ...(deployed ? {} : reference),
    outfile,
    write: true,
    logLevel: 'silent',
  });
  return outfile;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Milliseconds to load the bundle (and the SDK it imports) in a fresh process. */
function coldInitMs(bundleFile: string, env: NodeJS.ProcessEnv): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundleFile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = Array.from({ length: COLD_RUNS }, () => {
    const result = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`loading ${bundleFile} failed: ${result.stderr}`);
    }
    return Number(result.stdout);
  });
  return median(runs);
}

async function timeInvocations(handler: Handler, event: () => unknown, expectFailure = false) {
  const run = async () => {
    const started = performance.now();
    try {
      await handler(event());
      if (expectFailure) throw new Error('expected the trigger to reject the event');
    } catch (error) {
      if (!expectFailure) throw error;
    }
    return performance.now() - started;
  };
  for (let i = 0; i < WARM_UP; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < INVOCATIONS; i += 1) times.push(await run());
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function main(): Promise<void> {
  const server = await startServer();
  const db = await createTestDatabase(server);
  try {
    const env = { ...process.env, ...triggerEnvironment(db) };
    Object.assign(process.env, env);
    const companyId = randomUUID();
    await db.admin.query("INSERT INTO companies (id, name) VALUES ($1, 'Bench KK')", [companyId]);
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify(db.triggerRole.login) });
    mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: 'bench' });

    // A user for pre token generation to find.
    const knownSub = randomUUID();
    await db.admin.query(
      "INSERT INTO users (cognito_sub, company_id, user_pool, login_id, email, roles) VALUES ($1, $2, 'product', 'bench', 'bench@example.com', ARRAY['user-admin'])",
      [knownSub, companyId],
    );

    const scenarios: {
      trigger: TriggerHandler;
      name: string;
      database: boolean;
      event: () => unknown;
      rejects?: boolean;
    }[] = [
      {
        trigger: 'pre-sign-up',
        name: 'pre sign-up, rejected login ID (no database)',
        database: false,
        event: () => preSignUpEvent('Taro Yamada', companyId),
        rejects: true,
      },
      {
        trigger: 'pre-sign-up',
        name: 'pre sign-up, accepted (company lookup)',
        database: true,
        event: () => preSignUpEvent('taro', companyId),
      },
      {
        trigger: 'post-confirmation',
        name: 'post confirmation (upsert + publish)',
        database: true,
        event: () => postConfirmationEvent(randomUUID(), companyId, `u${randomUUID().slice(0, 8)}`),
      },
      {
        trigger: 'pre-token-generation',
        name: 'pre token generation (claims)',
        database: true,
        event: () => preTokenEvent(knownSub, companyId, 'bench'),
      },
    ];

    const rows: string[] = [];
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const loaded = new Map<TriggerHandler, Handler>();
    for (const trigger of TRIGGER_HANDLERS) {
      const deployed = await bundle(trigger, true);
      const reference = await bundle(trigger, false);
      const size = fs.statSync(deployed).size;
      const referenceSize = fs.statSync(reference).size;
      const ratio = size / referenceSize;
      const cold = coldInitMs(deployed, env);
      rows.push(
        `${trigger}: bundle ${(size / 1024).toFixed(1)} KiB vs ${(referenceSize / 1024).toFixed(1)} KiB unminified with SDK ` +
          `(ratio ${ratio.toFixed(3)}, target <= ${TARGETS.sizeRatio.toFixed(3)}: ${verdict(ratio <= TARGETS.sizeRatio)}); ` +
          `cold init ${cold.toFixed(1)} ms (target <= ${TARGETS.coldMs}: ${verdict(cold <= TARGETS.coldMs)})`,
      );
      // One "container" per trigger: the bundle's own module state (pool, secret cache).
      loaded.set(trigger, (loadBundle(deployed) as { handler: Handler }).handler);
    }
    for (const scenario of scenarios) {
      const before = secrets.commandCalls(GetSecretValueCommand).length;
      const { p50, p99 } = await timeInvocations(
        loaded.get(scenario.trigger)!,
        scenario.event,
        scenario.rejects,
      );
      const calls = secrets.commandCalls(GetSecretValueCommand).length - before;
      const target = scenario.database ? TARGETS.dbP99Ms : TARGETS.noDbP99Ms;
      rows.push(
        `${scenario.name}: warm p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms ` +
          `(target <= ${target}: ${verdict(p99 <= target)}); Secrets Manager calls per ${INVOCATIONS + WARM_UP} invocations: ${calls}`,
      );
    }
    const totalCalls = secrets.commandCalls(GetSecretValueCommand).length;
    rows.push(
      `Secrets Manager calls in total: ${totalCalls} for ${TRIGGER_HANDLERS.length} containers ` +
        `(target: ${TARGETS.secretCalls} per container per TTL: ${verdict(totalCalls <= TRIGGER_HANDLERS.length * TARGETS.secretCalls)})`,
    );
    console.log(
      `Trigger benchmark (node ${process.version}, ${INVOCATIONS} warm invocations each)`,
    );
    for (const row of rows) console.log(`  ${row}`);
  } finally {
    await db.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
