/**
 * Prints, per stage and rule set, the findings of the published rule sets in
 * a `cdk synth` output: acknowledged (with the reasons) and open, and with
 * `--base` also those fixed since the base:
 *
 *   npm run compliance -- [--head cdk.out] [--base <dir>] [--stage Dev]
 *
 * `--stage ''` is the stacks outside any stage (the GitHub OIDC stacks).
 * Exit code 0 (synth itself fails on an open finding); 2 on bad arguments or
 * a directory that is no cloud assembly.
 */
import { parseArgs } from 'util';
import { ComplianceFindings, readComplianceFindings, renderCompliance } from '../tools/compliance';

/** The findings of `directory`, of one stage when `stage` is given. */
function findingsOf(directory: string, stage?: string): ComplianceFindings {
  const all = readComplianceFindings(directory);
  const keep = (f: { stage: string }) => stage === undefined || f.stage === stage;
  return { open: all.open.filter(keep), acknowledged: all.acknowledged.filter(keep) };
}

/** The report of `head` (against `base` when given). */
export function complianceReport(options: {
  readonly head: string;
  readonly base?: string;
  readonly stage?: string;
}): string {
  const base = options.base === undefined ? undefined : findingsOf(options.base, options.stage);
  return renderCompliance(findingsOf(options.head, options.stage), base);
}

function main(): number {
  try {
    const { values } = parseArgs({
      options: {
        base: { type: 'string' },
        head: { type: 'string', default: 'cdk.out' },
        stage: { type: 'string' },
      },
    });
    process.stdout.write(
      complianceReport({ head: values.head, base: values.base, stage: values.stage }),
    );
    return 0;
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: npm run compliance -- [--head cdk.out] [--base <dir>] [--stage <Stage>]\n`,
    );
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main();
}
