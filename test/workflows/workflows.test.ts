import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { environmentMatrix } from '../../scripts/environments';
import { runActionlint as runLint } from '../helpers/actionlint';
import { shippedEnvironments } from '../helpers/test-app';

const GITHUB = path.join(__dirname, '../../.github');
const WORKFLOWS = path.join(GITHUB, 'workflows');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
  readonly env?: Record<string, string>;
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
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const jobs = (file: string) => Object.values(workflow(file).jobs);
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');
const usesOf = (job: Job, action: string) =>
  job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const tokenJobs = (file: string) =>
  jobs(file).filter((job) => job.permissions?.['id-token'] === 'write');
const allJobs = files.flatMap((file) => jobs(file).map((job) => [file, job] as const));

/** The reusable workflow a service repository calls to publish its image. */
const PUBLISH = 'publish-service.yml';
/** The integration suite against the sandbox (its own role, see below). */
const INTEG = 'integ.yml';

const deployJobs = () => jobs('deploy.yml').filter((job) => /cdk deploy/.test(runs(job)));
const credentialSteps = (file: string) =>
  jobs(file).flatMap((job) => usesOf(job, 'aws-actions/configure-aws-credentials'));

/**
 * What a job with `id-token: write` may run: the pinned CDK CLI installed
 * from the lockfile without install scripts, and that CLI, on a downloaded
 * cloud assembly. Nothing else from the repository or its dependencies.
 */
const TOKEN_JOB_COMMANDS = [
  /^npm ci --ignore-scripts --no-audit --no-fund$/,
  /^node_modules\/\.bin\/cdk deploy --app cdk\.out "\$\{STAGE\}\/\*" --require-approval never --progress events$/,
  /^node_modules\/\.bin\/cdk diff --app cdk\.out "\$\{STAGE\}\/\*" --method=template --no-color > "\.\.\/\$\{STAGE\}\.diff\.txt" 2>&1$/,
];
/** The actions a token job may use, besides its run steps. */
const TOKEN_JOB_ACTIONS = [
  'actions/setup-node',
  'actions/download-artifact',
  'aws-actions/configure-aws-credentials',
  'actions/upload-artifact',
];

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
      expect(files.filter((file) => /cdk deploy/.test(text(file)))).toEqual(['deploy.yml']);
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

    test('refuses a workflow_dispatch of any ref but main before anything else runs', () => {
      const { build } = workflow('deploy.yml').jobs;
      const [guard] = build.steps;
      expect(guard.if).toBe("github.ref != 'refs/heads/main'");
      expect(guard.run).toMatch(/exit 1\s*$/);
      expect(deployJobs()[0].needs).toBe('build');
    });

    test('binds every deploy job to the GitHub Environment of its name, one deployment at a time', () => {
      for (const job of deployJobs()) {
        expect(job.environment).toBe('${{ matrix.name }}');
        expect(job.concurrency?.group).toContain('${{ matrix.name }}');
        expect(job.concurrency?.['cancel-in-progress']).toBe(false);
      }
    });

    test('tests and synthesizes the commit in a job without a token, each service at its manifest version', () => {
      const { build } = workflow('deploy.yml').jobs;
      expect(build.permissions).toEqual({ contents: 'read' });
      expect(runs(build)).toContain('npm test');
      expect(runs(build)).toMatch(/^npx cdk synth --quiet --output cloud-assembly\/cdk\.out$/m);
      expect(text('deploy.yml')).not.toMatch(/imageTag|image-tag|IMAGE_TAG/);
      expect(Object.keys(workflow('deploy.yml').on.workflow_dispatch.inputs)).toEqual([
        'environment',
      ]);
      expect(usesOf(build, 'actions/upload-artifact')[0].with?.name).toBe('cloud-assembly');
    });

    test('deploys the downloaded assembly with the environment role (OIDC)', () => {
      const [job] = deployJobs();
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(usesOf(job, 'actions/download-artifact')[0].with?.name).toBe('cloud-assembly');
      const [credentials] = credentialSteps('deploy.yml');
      expect(credentials.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
      expect(runs(job)).toContain('cdk deploy --app cdk.out "${STAGE}/*"');
    });
  });

  describe('pull requests (pr.yml)', () => {
    const { check, gates, diff, comment } = workflow('pr.yml').jobs;

    test('lints, tests and synthesizes the head and the base, and writes the security diffs, without a token', () => {
      expect(check.permissions).toEqual({ contents: 'read' });
      for (const command of ['npm ci', 'npm run lint', 'npm run test:unit', 'npx cdk synth']) {
        expect(runs(check)).toContain(command);
      }
      expect(runs(check)).toContain('npm run --silent security-report -- --base cdk.out.base');
      expect(runs(check)).toContain(
        'npm run --silent compliance -- --base cdk.out.base --head cloud-assembly/cdk.out --stage "${stage}" > "security/${stage}.compliance.md"',
      );
      expect(text('pr.yml')).not.toMatch(/imageTag/);
    });

    test('checks the promotion order of the release manifests over the base branch history', () => {
      expect(check.steps[0].with?.['fetch-depth']).toBe(0);
      const promotion = check.steps.find((step) => step.run?.includes('release-check'))!;
      expect(promotion.env?.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
      expect(promotion.run).toContain('npm run --silent release-check -- --base "${BASE_SHA}"');
    });

    test('runs the replacement guard per environment in the job without a token', () => {
      const guard = check.steps.find((step) => step.run?.includes('replacement-report'))!;
      expect(guard.run).toContain(
        'npm run --silent replacement-report -- --base cdk.out.base --head cloud-assembly/cdk.out --stage "${stage}" > "replacements/${stage}.txt"',
      );
      expect(guard.run).toContain('echo "accepted=${accepted}" >> "$GITHUB_OUTPUT"');
      expect(usesOf(check, 'actions/upload-artifact').map((s) => s.with?.name)).toContain(
        'replacement-reports',
      );
    });

    test('fails the pull request on an unaccepted replacement, after the comments, in a job without a token', () => {
      const step = gates.steps.find((s) => s.if?.includes('replacements-accepted'))!;
      expect(step.if).toBe("needs.check.outputs.replacements-accepted != 'true'");
      expect(step.run).toMatch(/exit 1\s*$/);
      expect(comment.needs).not.toContain('gates');
    });

    test('writes the cost diff of each environment in the job without a token', () => {
      const cost = check.steps.find((step) => step.run?.includes('npm run --silent cost'))!;
      expect(cost.run).toContain(
        'npm run --silent cost -- --base cdk.out.base --head cloud-assembly/cdk.out --stage "${stage}" > "cost/${stage}.md"',
      );
      expect(usesOf(check, 'actions/upload-artifact').map((s) => s.with?.name)).toContain(
        'cost-reports',
      );
      expect(usesOf(comment, 'actions/download-artifact').map((s) => s.with?.name)).toContain(
        'cost-reports',
      );
    });

    test('shows the replacement guard first in each comment, then the security settings, the rule-set compliance and the cost', () => {
      const compose = comment.steps.find((s) => s.name === 'Compose the comment')!.run!;
      const order = [
        'replacements/${STAGE}.txt',
        'security/${STAGE}.txt',
        'security/${STAGE}.compliance.md',
        'cost/${STAGE}.md',
        'diff/${STAGE}.diff.txt',
      ];
      const positions = order.map((file) => compose.lastIndexOf(file));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });

    test("keeps each comment under GitHub's 65,536 characters: the sections' budgets leave room for the headings", () => {
      const compose = comment.steps.find((s) => s.name === 'Compose the comment')!.run!;
      const budgets = [
        ...[...compose.matchAll(/^\s*fence \S+ "[^"]+" (\d+)$/gm)].map((m) => Number(m[1])),
        ...[...compose.matchAll(/^\s*head -c (\d+) "/gm)].map((m) => Number(m[1])),
      ];
      expect(budgets).toHaveLength(5);
      expect(budgets.reduce((sum, budget) => sum + budget, 0)).toBeLessThanOrEqual(64_000);
    });

    test('fails the pull request on a broken promotion order, in a job without a token', () => {
      expect(gates.needs).toBe('check');
      expect(gates.permissions).toEqual({});
      const step = gates.steps.find((s) => s.if?.includes('promotion-kept'))!;
      expect(step.if).toBe("needs.check.outputs.promotion-kept != 'true'");
      expect(step.run).toMatch(/exit 1\s*$/);
    });

    test('diffs every environment of the matrix with the pull-request role, from the downloaded assembly', () => {
      expect(diff.strategy?.matrix?.include).toMatch(
        /fromJSON\(needs\.check\.outputs\.environments\)/,
      );
      expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(usesOf(diff, 'actions/download-artifact')[0].with?.name).toBe('cloud-assembly');
      expect(runs(diff)).toContain('--method=template');
    });

    test('skips the diff and the comment for pull requests from forks', () => {
      const sameRepository = 'github.event.pull_request.head.repo.full_name == github.repository';
      expect(diff.if).toBe(sameRepository);
      expect(comment.if).toContain(sameRepository);
    });

    test('keeps one sticky comment per environment, posted by a job without a token', () => {
      expect(text('pr.yml')).toContain(
        'const marker = `<!-- cdk-diff:${process.env.ENV_NAME} -->`',
      );
      expect(comment.env?.ENV_NAME).toBe('${{ matrix.name }}');
      expect(comment.permissions).toEqual({ 'pull-requests': 'write' });
    });
  });

  describe('jobs of this repository that can mint an AWS token (id-token: write)', () => {
    const withToken = files
      .filter((file) => file !== PUBLISH && file !== INTEG)
      .flatMap((file) => tokenJobs(file).map((job) => [file, job] as const));

    test('are the deploy and pull-request diff jobs (and the publish jobs a service repository runs)', () => {
      expect(withToken.map(([file]) => file).sort()).toEqual(['deploy.yml', 'pr.yml']);
      expect(
        Object.keys(workflow(PUBLISH).jobs).filter(
          (id) => workflow(PUBLISH).jobs[id].permissions?.['id-token'],
        ),
      ).toEqual(['publish', 'copy']);
    });

    test.each(withToken)(
      '%s: runs only the pinned CDK CLI, installed without install scripts',
      (_file, job) => {
        const commands = job.steps
          .filter((s) => s.run)
          .map((s) => s.run!.replace(/\s+/g, ' ').trim());
        expect(commands.length).toBeGreaterThan(0);
        expect(
          commands.filter((c) => !TOKEN_JOB_COMMANDS.some((allowed) => allowed.test(c))),
        ).toEqual([]);
        expect(commands.join('\n')).not.toMatch(/npm (test|run)|npx |tsx/);
      },
    );

    test.each(withToken)('%s: checks out no code and restores no cache', (_file, job) => {
      const actions = job.steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0]);
      expect(actions.filter((a) => !TOKEN_JOB_ACTIONS.includes(a))).toEqual([]);
      for (const step of usesOf(job, 'actions/setup-node')) {
        expect(step.with?.cache).toBeUndefined();
        expect(step.with?.['package-manager-cache']).toBe(false);
      }
    });
  });

  describe('integration suite (integ.yml)', () => {
    const integ = workflow(INTEG);

    test('runs by hand only, in the region its input names', () => {
      expect(Object.keys(integ.on)).toEqual(['workflow_dispatch']);
      expect(integ.on.workflow_dispatch.inputs.region).toEqual(
        expect.objectContaining({ required: true, type: 'string' }),
      );
      expect(integ.concurrency).toEqual({ group: 'integ', 'cancel-in-progress': false });
    });

    test('checks the suite offline in a job without a token, from main only', () => {
      const check = integ.jobs.check;
      expect(check.permissions).toEqual({ contents: 'read' });
      expect(check.steps[0]).toEqual(
        expect.objectContaining({ if: "github.ref != 'refs/heads/main'" }),
      );
      expect(runs(check)).toContain('npx jest test/integ test/tools/integ-run.test.ts');
    });

    test('runs the suite with the integration role, bound to the Environment "integ", after the check', () => {
      const run = integ.jobs.run;
      expect(run.needs).toBe('check');
      expect(run.environment).toBe('integ');
      expect(run.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(run.steps.filter((s) => s.run).map((s) => s.run!.replace(/\s+/g, ' ').trim())).toEqual(
        ['npm ci --ignore-scripts --no-audit --no-fund', 'npm run integ -- --region "${REGION}"'],
      );
      const [credentials] = usesOf(run, 'aws-actions/configure-aws-credentials');
      expect(credentials.with?.['role-to-assume']).toBe('${{ vars.AWS_INTEG_ROLE_ARN }}');
      // The hello image is built for the tasks' ARM64 architecture on an x86 runner.
      const [qemu] = usesOf(run, 'docker/setup-qemu-action');
      expect(qemu.with?.platforms).toBe('arm64');
      for (const step of usesOf(run, 'actions/setup-node')) {
        expect(step.with?.['package-manager-cache']).toBe(false);
      }
    });

    test('is the only workflow bound to the Environment "integ", which the role trusts', () => {
      const bound = allJobs.filter(([, job]) => job.environment === 'integ');
      expect(bound.map(([file]) => file)).toEqual([INTEG]);
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
      '%s grants permissions per job, nothing at the top beyond contents: read',
      (file) => {
        const wf = workflow(file);
        expect(wf.permissions === undefined || Object.keys(wf.permissions).length <= 1).toBe(true);
        if (wf.permissions && Object.keys(wf.permissions).length === 0) {
          for (const job of jobs(file)) {
            expect(job.permissions).toBeDefined();
          }
        }
      },
    );

    test.each(files)(
      '%s pins every action to a full commit SHA with its version as a comment',
      (file) => {
        const lines = text(file)
          .split('\n')
          .filter((line) => /^\s*(- )?uses:/.test(line));
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        }
      },
    );

    test('pins each action to one commit in every workflow', () => {
      const pins = new Map<string, Set<string>>();
      for (const [, job] of allJobs) {
        for (const step of job.steps.filter((s) => s.uses)) {
          const [action, sha] = step.uses!.split('@');
          pins.set(action, new Set([...(pins.get(action) ?? []), sha]));
        }
      }
      expect([...pins].filter(([, shas]) => shas.size > 1)).toEqual([]);
    });

    test('sets up Node 24 in every job that sets up Node', () => {
      const setups = allJobs.flatMap(([, job]) => usesOf(job, 'actions/setup-node'));
      expect(setups.length).toBeGreaterThan(0);
      for (const step of setups) {
        expect(step.with?.['node-version']).toBe(24);
      }
    });

    test('checks out without persisting the token in the git config', () => {
      for (const [, job] of allJobs) {
        for (const step of usesOf(job, 'actions/checkout')) {
          expect(step.with?.['persist-credentials']).toBe(false);
        }
      }
    });

    test.each(files.filter((file) => /npx cdk|bin\/cdk/.test(text(file))))(
      '%s turns off CDK CLI telemetry',
      (file) => {
        const wf = workflow(file);
        expect(
          jobs(file).every(
            (job) =>
              (job.env ?? {}).CDK_DISABLE_CLI_TELEMETRY === 'true' ||
              wf.env?.CDK_DISABLE_CLI_TELEMETRY === 'true',
          ),
        ).toBe(true);
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
      expect(runs(check)).toContain('npm run --silent pins:digests >> currency-report.md');
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

  describe('Dependabot (.github/dependabot.yml)', () => {
    const config = parse(fs.readFileSync(path.join(GITHUB, 'dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string; schedule: { interval: string }; groups?: object }[];
    };

    test('updates the actions and the npm dependencies every week, in grouped pull requests', () => {
      expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
        'github-actions',
        'npm',
      ]);
      for (const update of config.updates) {
        expect(update.schedule.interval).toBe('weekly');
        expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
      }
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
