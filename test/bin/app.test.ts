import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigValidationError, loadEnvironments, validateEnvironments } from '../../config';
import { prod } from '../../config/prod';
import { stg } from '../../config/stg';
import { App } from 'aws-cdk-lib';
import { addPlatform } from '../../lib/platform-app';
import { dev as brokenDev } from '../fixtures/broken-config/dev';

const ROOT = path.join(__dirname, '..', '..');
/** Makes the real entry point load test/fixtures/broken-config/dev.ts as config/dev.ts. */
const BROKEN_DEV_CONFIG = path.join(
  ROOT,
  'test',
  'fixtures',
  'broken-config',
  'use-broken-dev-config.js',
);
const CDK_CLI = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args(output directory)>` in the repository root with a throw-away output directory. */
function run(args: (outdir: string) => string[], env: Record<string, string> = {}): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-entry-'));
  try {
    const result = spawnSync(process.execPath, args(outdir), {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_DISABLE_CLI_TELEMETRY: 'true', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** bin/app.ts as cdk.json runs it (through tsx), with `-c` values. */
function runApp(context: Record<string, unknown>, preload: string[] = []): Run {
  return run(() => [...preload, '--import', 'tsx', 'bin/app.ts'], {
    CDK_CONTEXT_JSON: JSON.stringify(context),
  });
}

/** The message a ConfigValidationError thrown by `fail` carries. */
function messageOf(fail: () => unknown): string {
  try {
    fail();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.message;
    }
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('the app entry point (bin/app.ts)', () => {
  // The message of the error the app throws for each mistake, computed in process.
  const brokenConfig = messageOf(() => validateEnvironments([brokenDev, stg, prod]));

  test('fails when a config file is invalid: it prints the problem list alone and exits 1', () => {
    const result = runApp({}, ['--require', BROKEN_DEV_CONFIG]);

    expect(brokenConfig).toMatch(
      /^Invalid environment configuration \(2 problems\):\n {2}- dev\.tier: /,
    );
    expect(result).toEqual({ status: 1, stdout: '', stderr: `${brokenConfig}\n` });
  });

  test('fails when a config file is invalid under `cdk synth`: the list, then the CLI’s one line', () => {
    const result = run(
      (outdir) => [CDK_CLI, 'synth', '--quiet', '--no-notices', '--output', outdir],
      {
        NODE_OPTIONS: `--require ${BROKEN_DEV_CONFIG}`,
      },
    );

    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: `${brokenConfig}\nnode --import tsx bin/app.ts: Subprocess exited with error 1\n`,
    });
  });

  test('fails when `-c env` names no configured environment', () => {
    expect(runApp({ env: 'qa' })).toEqual({
      status: 1,
      stdout: '',
      stderr: `${messageOf(() => loadEnvironments('qa'))}\n`,
    });
  });

  test('fails when the retired `-c imageTag` is given', () => {
    const retired = () =>
      addPlatform(new App({ context: { imageTag: 'latest' } }), loadEnvironments('dev'));
    expect(runApp({ env: 'dev', imageTag: 'latest' })).toEqual({
      status: 1,
      stdout: '',
      stderr: `${messageOf(retired)}\n`,
    });
  });
});
