import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runActionlint } from '../helpers/actionlint';

const FILE = path.join(__dirname, '../../.github/workflows/publish-service.yml');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly environment?: unknown;
  readonly steps: Step[];
}
const workflow = parse(fs.readFileSync(FILE, 'utf8')) as {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};
const { publish, copy, propose } = workflow.jobs;
const actionsOf = (job: Job) => job.steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]);
const stepNamed = (job: Job, name: RegExp) => job.steps.find((s) => name.test(s.name ?? ''))!;

/** Runs a step's script with bash, with a fake `aws` CLI that answers from `answers`. */
function runWithFakeAws(script: string, env: Record<string, string>, answers: object) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
  fs.writeFileSync(path.join(bin, 'answers.json'), JSON.stringify(answers));
  fs.writeFileSync(
    path.join(bin, 'aws'),
    `#!/usr/bin/env node
const answers = require(${JSON.stringify(path.join(bin, 'answers.json'))});
const args = process.argv.slice(2);
const digest = (args.find((a) => a.startsWith('imageDigest=')) || '').slice('imageDigest='.length);
const command = args.slice(0, 3).join(' ');
if (command === 'ecr batch-get-image --repository-name') {
  process.stdout.write(JSON.stringify(answers.index) + '\\n');
} else if (args[1] === 'wait') {
  process.exit(answers.scanFailed === digest ? 255 : 0);
} else if (args[1] === 'describe-image-scan-findings') {
  process.stdout.write(JSON.stringify(answers.counts[digest] ?? null) + '\\n');
} else {
  process.stderr.write('unexpected aws ' + args.join(' '));
  process.exit(2);
}
`,
    { mode: 0o755 },
  );
  return spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', script], {
    env: { PATH: `${bin}:${process.env.PATH}`, ...env },
    encoding: 'utf8',
  });
}

describe('publishing a service (publish-service.yml, called by the service repositories)', () => {
  test('the caller of examples/hello-service passes actionlint and passes every input and the secret', async () => {
    const file = path.join(__dirname, '../../examples/hello-service/.github/workflows/publish.yml');
    const caller = fs.readFileSync(file, 'utf8');
    expect(await runActionlint(caller, 'publish.yml')).toEqual([]);
    const job = (parse(caller) as { jobs: Record<string, any> }).jobs.publish;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const required = (entries: Record<string, { required?: boolean }>) =>
      Object.entries(entries)
        .filter(([, e]) => e.required)
        .map(([name]) => name)
        .sort();
    expect(Object.keys(job.with).sort()).toEqual(required(workflow.on.workflow_call.inputs));
    expect(Object.keys(job.secrets).sort()).toEqual(required(workflow.on.workflow_call.secrets));
  });

  test('is a reusable workflow only, with no permissions of its own at the top', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.on.workflow_call.inputs).sort()).toEqual(
      [
        'app-client-id',
        'context',
        'dockerfile',
        'platform-repository',
        'service',
        'targets',
      ].sort(),
    );
    expect(Object.keys(workflow.on.workflow_call.secrets)).toEqual(['app-private-key']);
  });

  describe('publish', () => {
    test('reads the repository and holds only the OIDC token of the push role, bound to no Environment', () => {
      expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      // An Environment would change the subject the push role trusts (repo:<owner>/<repo>:ref:refs/heads/main).
      expect(publish.environment).toBeUndefined();
      expect(actionsOf(publish)).toEqual([
        'actions/checkout',
        'aws-actions/configure-aws-credentials',
        'aws-actions/amazon-ecr-login',
        'docker/setup-qemu-action',
        'docker/setup-buildx-action',
        'docker/build-push-action',
      ]);
    });

    test('refuses any ref but main before anything else runs', () => {
      expect(publish.steps[0].if).toBe("github.ref != 'refs/heads/main'");
      expect(publish.steps[0].run).toMatch(/exit 1\s*$/);
    });

    test('builds with Buildx for amd64 and arm64 and pushes the commit SHA as the tag', () => {
      const build = publish.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
      expect(build.with).toEqual(
        expect.objectContaining({
          platforms: 'linux/amd64,linux/arm64',
          push: true,
          tags: '${{ steps.target.outputs.repository }}:${{ github.sha }}',
        }),
      );
    });

    describe('the scan gate', () => {
      const gate = stepNamed(publish, /^Wait for the scan on push/);
      const index = {
        manifests: [
          { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
          { digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64' } },
          // Buildx's provenance attestation: ECR does not scan it.
          { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
        ],
      };
      const env = { REPOSITORY_NAME: 'dev/api', DIGEST: 'sha256:index' };

      test('runs on the digest of the pushed image', () => {
        expect(gate.env).toEqual({
          REPOSITORY_NAME: '${{ steps.target.outputs.name }}',
          DIGEST: '${{ steps.image.outputs.digest }}',
        });
      });

      test('passes when no platform image has a CRITICAL finding', () => {
        const result = runWithFakeAws(gate.run!, env, {
          index,
          counts: { 'sha256:amd': { HIGH: 2 }, 'sha256:arm': null },
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('linux/amd64 (sha256:amd): {"HIGH":2}');
        expect(result.stdout).toContain('linux/arm64 (sha256:arm): {}');
      });

      test('fails on a CRITICAL finding in any platform image, naming the platform', () => {
        const result = runWithFakeAws(gate.run!, env, {
          index,
          counts: { 'sha256:amd': { HIGH: 1 }, 'sha256:arm': { CRITICAL: 1, HIGH: 3 } },
        });
        expect(result.status).toBe(1);
        expect(result.stdout).toContain(
          '::error::The linux/arm64 image has 1 CRITICAL finding(s): see the scan findings of sha256:arm in ECR.',
        );
      });

      test('fails when a scan does not complete (an unscanned image does not pass)', () => {
        const result = runWithFakeAws(gate.run!, env, {
          index,
          counts: {},
          scanFailed: 'sha256:arm',
        });
        expect(result.status).not.toBe(0);
      });

      test('fails when the digest is not an image index with platform images', () => {
        const result = runWithFakeAws(gate.run!, env, { index: { manifests: [] }, counts: {} });
        expect(result.status).toBe(1);
        expect(result.stdout).toContain('is not an image index with platform images');
      });
    });

    test('rejects targets that are not the platform outputs', () => {
      const read = publish.steps.find((s) => s.id === 'target')!;
      const run = (targets: string) =>
        spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', read.run!], {
          env: { PATH: process.env.PATH, TARGETS: targets, GITHUB_OUTPUT: '/dev/null' },
          encoding: 'utf8',
        });
      const repository = '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/dev-api';
      const good = JSON.stringify([
        { environment: 'e', role: 'arn:aws:iam::1:role/r', repository },
      ]);
      expect(run(good).status).toBe(0);
      for (const bad of [
        '[]',
        'not json',
        JSON.stringify([{ environment: 'e', role: 'r', repository: 'docker.io/x' }]),
      ]) {
        expect(run(bad).stdout).toContain('::error::targets must be a non-empty JSON list');
      }
    });
  });

  test('copies the same digest to the further targets, with their push roles only', () => {
    expect(copy.needs).toBe('publish');
    expect(copy.permissions).toEqual({ 'id-token': 'write' });
    expect(actionsOf(copy)).toEqual([
      'aws-actions/configure-aws-credentials',
      'aws-actions/amazon-ecr-login',
      'aws-actions/configure-aws-credentials',
      'aws-actions/amazon-ecr-login',
      'docker/setup-buildx-action',
    ]);
    expect(copy.steps.at(-1)!.run).toBe(
      'docker buildx imagetools create --tag "${TARGET}:${GITHUB_SHA}" "${SOURCE}@${DIGEST}"',
    );
  });

  test('refuses a copy within one registry, where one login cannot serve two roles', () => {
    const read = copy.steps.find((s) => s.id === 'repositories')!;
    const run = (target: string) =>
      spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', read.run!], {
        env: {
          PATH: process.env.PATH,
          SOURCE: '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/dev-api',
          TARGET: target,
          GITHUB_OUTPUT: '/dev/null',
        },
        encoding: 'utf8',
      });
    expect(run('222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/stg-api').status).toBe(0);
    const same = run('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/stg-api');
    expect(same.status).toBe(1);
    expect(same.stdout).toContain('give each environment its own account or region');
  });

  describe('propose', () => {
    test('runs only after the scan gate passed, with no permission in the service repository', () => {
      expect(propose.needs).toEqual(['publish', 'copy']);
      expect(propose.if).toContain("needs.publish.result == 'success'");
      expect(propose.permissions).toEqual({});
    });

    test('opens the pull request with a GitHub App token for the platform repository, contents and pull requests only', () => {
      const app = propose.steps.find((s) =>
        s.uses?.startsWith('actions/create-github-app-token@'),
      )!;
      expect(app.with).toEqual({
        'client-id': '${{ inputs.app-client-id }}',
        'private-key': '${{ secrets.app-private-key }}',
        owner: '${{ steps.platform.outputs.owner }}',
        repositories: '${{ steps.platform.outputs.name }}',
        'permission-contents': 'write',
        'permission-pull-requests': 'write',
      });
      expect(actionsOf(propose)).toEqual(['actions/create-github-app-token']);
    });

    test('sets the service to the commit SHA with its image digest in the first target environment manifest, keeping the file as prettier writes it', () => {
      const script = stepNamed(propose, /^Open or update the pull request/).run!;
      const version = script.match(/version="(.+?)"\n/)![1];
      const edit = script.match(/updated=\$\((jq .+?) <<< "\$\{current\}"\)/)![1];
      const manifest = '{\n  "web": "bootstrap",\n  "api": "bootstrap"\n}\n';
      const digest = `sha256:${'a'.repeat(64)}`;
      const updated = execFileSync('bash', ['-c', `version="${version}"; ${edit} <<< "$CURRENT"`], {
        env: {
          PATH: process.env.PATH,
          SERVICE: 'api',
          GITHUB_SHA: 'f'.repeat(40),
          DIGEST: digest,
          CURRENT: manifest,
        },
        encoding: 'utf8',
      });
      expect(updated).toBe(`{\n  "web": "bootstrap",\n  "api": "${'f'.repeat(40)}@${digest}"\n}\n`);
      expect(script).toContain('manifest="config/releases/${ENVIRONMENT}.json"');
      expect(script).toContain('gh pr create');
      expect(script).toContain('gh pr edit');
    });
  });
});
