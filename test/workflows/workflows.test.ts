import { runActionlint as runLint } from '../helpers/actionlint';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { environmentMatrix } from '../../scripts/environments';
import { shippedEnvironments } from '../helpers/test-app';

const WORKFLOWS = path.join(__dirname, '../../.github/workflows');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
}

interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: unknown;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly strategy?: { 'max-parallel'?: number; matrix?: { include?: unknown } };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

interface Workflow {
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const jobs = (file: string) => Object.values(workflow(file).jobs);
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

const deployFiles = files.filter((file) => /cdk deploy/.test(text(file)));
const deployJobs = () => jobs('deploy.yml').filter((job) => /cdk deploy/.test(runs(job)));
const credentialSteps = (file: string) =>
  jobs(file).flatMap((job) =>
    job.steps.filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@')),
  );

describe('GitHub workflows', () => {
  test.each(files)('%s passes actionlint', async (file) => {
    expect(await runLint(text(file), `.github/workflows/${file}`)).toEqual([]);
  });

  test('actionlint catches a broken workflow (the check is not vacuous)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n';
    expect(await runLint(broken, 'broken.yml')).toEqual([
      expect.objectContaining({ kind: 'expression', line: 6 }),
    ]);
  });

  describe('deployment (deploy.yml)', () => {
    test('is the one workflow that deploys, for every environment', () => {
      expect(deployFiles).toEqual(['deploy.yml']);
      expect(deployJobs()).toHaveLength(1);
    });

    test('deploys on push to main, in sequence, and one environment on workflow_dispatch', () => {
      const { on } = workflow('deploy.yml');
      expect(on.push.branches).toEqual(['main']);
      expect(on.workflow_dispatch.inputs.environment.required).toBe(true);
      const [job] = deployJobs();
      expect(job.strategy?.['max-parallel']).toBe(1);
      expect(job.strategy?.matrix?.include).toMatch(
        /^\$\{\{ fromJSON\(needs\.\w+\.outputs\.\w+\) \}\}$/,
      );
      expect(text('deploy.yml')).toMatch(/npm run --silent environments -- --only "\$\{ONLY\}"/);
    });

    test('binds every deploy job to the GitHub Environment of its name, one deployment at a time', () => {
      for (const job of deployJobs()) {
        expect(job.environment).toBe('${{ matrix.name }}');
        expect(job.concurrency?.group).toContain('${{ matrix.name }}');
        expect(job.concurrency?.['cancel-in-progress']).toBe(false);
      }
    });

    test('assumes the environment role with OIDC (id-token: write), reads its parameters, deploys the commit', () => {
      const [job] = deployJobs();
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(job.steps.map((s) => s.uses ?? s.run)).toEqual(
        expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm test']),
      );
      const [credentials] = credentialSteps('deploy.yml');
      expect(credentials.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
      expect(runs(job)).toContain('aws ssm get-parameters-by-path --path "/${ENV_NAME}/"');
      expect(runs(job)).toContain('::add-mask::');
      expect(runs(job)).toMatch(/npx cdk deploy "\$\{STAGE\}\/\*"/);
      expect(runs(job)).toContain('--require-approval never');
      expect(runs(job)).toContain('-c imageTag="${IMAGE_TAG}"');
      expect(job.env?.IMAGE_TAG).toContain('github.sha');
    });
  });

  describe('pull requests (pr.yml)', () => {
    const [diffJob] = jobs('pr.yml').filter((job) => /cdk diff/.test(runs(job)));

    test('lints, tests and synthesizes, then diffs every environment of the matrix', () => {
      const all = jobs('pr.yml').map(runs).join('\n');
      for (const command of ['npm ci', 'npm run lint', 'npm run test:unit', 'npx cdk synth']) {
        expect(all).toContain(command);
      }
      expect(diffJob.strategy?.matrix?.include).toMatch(
        /fromJSON\(needs\.\w+\.outputs\.environments\)/,
      );
      expect(runs(diffJob)).toContain('npm run --silent security-report -- --base');
    });

    test('skips the diff for pull requests from forks', () => {
      expect(diffJob.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    });

    test('keeps one sticky comment per environment', () => {
      expect(text('pr.yml')).toContain(
        'const marker = `<!-- cdk-diff:${process.env.ENV_NAME} -->`',
      );
      expect(diffJob.env?.ENV_NAME).toBe('${{ matrix.name }}');
      expect(diffJob.permissions).toEqual({
        contents: 'read',
        'id-token': 'write',
        'pull-requests': 'write',
      });
    });
  });

  describe('every workflow', () => {
    test.each(files)('%s uses no long-lived AWS keys', (file) => {
      expect(text(file)).not.toMatch(
        /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|secrets\.AWS/i,
      );
      for (const step of credentialSteps(file)) {
        expect(Object.keys(step.with ?? {}).sort()).toEqual(
          ['aws-region', 'role-session-name', 'role-to-assume'].sort(),
        );
      }
    });

    test.each(files)('%s names no environment: environments are data from config', (file) => {
      for (const env of shippedEnvironments) {
        expect(text(file)).not.toMatch(new RegExp(`\\b${env.name}\\b`, 'i'));
      }
    });

    test.each(files)(
      '%s grants minimal permissions per job and pins actions by version',
      (file) => {
        const wf = workflow(file);
        expect(wf.permissions === undefined || Object.keys(wf.permissions).length <= 1).toBe(true);
        for (const job of jobs(file)) {
          if (wf.permissions && Object.keys(wf.permissions).length === 0) {
            expect(job.permissions).toBeDefined();
          }
          for (const step of job.steps.filter((s) => s.uses)) {
            expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/);
            if (step.uses!.startsWith('actions/setup-node@')) {
              expect([20, 24]).toContain(step.with?.['node-version']);
            }
          }
        }
      },
    );

    test.each(files.filter((file) => /npx cdk/.test(text(file))))(
      '%s turns off CDK CLI telemetry',
      (file) => {
        const wf = workflow(file);
        const everyJob = jobs(file).every(
          (job) =>
            (job.env ?? wf.env)?.CDK_DISABLE_CLI_TELEMETRY === 'true' ||
            wf.env?.CDK_DISABLE_CLI_TELEMETRY === 'true',
        );
        expect(everyJob).toBe(true);
      },
    );
  });

  describe('currency check (currency.yml)', () => {
    test('runs check:currency every week with read access only, on Node 24, actions pinned by SHA', () => {
      const wf = workflow('currency.yml');
      expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* 1$/) }]);
      expect(wf.permissions).toEqual({});
      const { check } = wf.jobs;
      expect(check.permissions).toEqual({ contents: 'read' });
      expect(runs(check)).toContain('npm run --silent check:currency');
      for (const step of check.steps.filter((s) => s.uses)) {
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      }
      expect(check.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toEqual(
        expect.objectContaining({ 'node-version': 24 }),
      );
    });

    test('opens, updates or closes its issue from a job that runs only the GitHub CLI', () => {
      const { report } = workflow('currency.yml').jobs;
      expect(report.permissions).toEqual({ issues: 'write' });
      expect(report.steps.every((s) => s.uses === undefined)).toBe(true);
      for (const command of ['gh issue create', 'gh issue edit', 'gh issue close']) {
        expect(runs(report)).toContain(command);
      }
      expect(runs(report)).not.toContain('${{');
    });
  });

  test('the environment matrix is the config, in deployment order', () => {
    expect(environmentMatrix()).toEqual(
      shippedEnvironments.map((env) => expect.objectContaining({ name: env.name })),
    );
    expect(environmentMatrix(shippedEnvironments[0].name)).toHaveLength(1);
    expect(() => environmentMatrix('no-such-environment')).toThrow(/not a configured environment/);
  });
});
