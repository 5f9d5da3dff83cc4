/**
 * Prints the security-projection diff between two `cdk synth` outputs:
 *
 *   npm run security-report -- --base <dir> [--head cdk.out] [--stage Dev]
 *
 * `--stage` limits the report to one stage (`--stage ''`: the stacks outside
 * any stage, e.g. the GitHub OIDC stacks). Exit code 0 whether or not
 * something changed; 2 on bad arguments.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import {
  diffProjections,
  projectSecurity,
  readStackTemplates,
  stacksOfStage,
} from '../tools/security-projection';

/** The report: the projection diff of `head` against `base`, or a one-line all-clear. */
export function securityReport(options: { base: string; head: string; stage?: string }): string {
  for (const dir of [options.base, options.head]) {
    if (!fs.existsSync(`${dir}/manifest.json`)) {
      throw new Error(
        `${dir}: not a cloud assembly (no manifest.json); run npx cdk synth -o ${dir}`,
      );
    }
  }
  const load = (dir: string) => {
    const stacks = readStackTemplates(dir);
    return projectSecurity(
      options.stage === undefined ? stacks : stacksOfStage(stacks, options.stage),
    );
  };
  const diff = diffProjections(load(options.base), load(options.head));
  return diff === '' ? 'No security setting changed.\n' : `${diff}\n`;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: 'cdk.out' },
      stage: { type: 'string' },
    },
  });
  if (!values.base) {
    process.stderr.write(
      'usage: npm run security-report -- --base <cdk.out of the base> [--head cdk.out] [--stage <Stage>]\n',
    );
    return 2;
  }
  try {
    process.stdout.write(
      securityReport({ base: values.base, head: values.head, stage: values.stage }),
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main();
}
