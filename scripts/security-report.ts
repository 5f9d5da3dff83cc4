/**
 * Prints the security-projection diff between two `cdk synth` outputs:
 *
 *   npm run security-report -- --base <dir> [--head cdk.out] [--stage Dev]
 *
 * `--stage` limits the report to one stage (`--stage ''`: the stacks outside
 * any stage, e.g. the GitHub OIDC stacks). Exit code 0 whether or not
 * something changed; 2 on bad arguments.
 */
import { diffProjections, projectSecurity, readAssemblyStacks } from '../tools/security-projection';
import { AssemblyOptions, assemblyOptions } from './assembly-options';

/** The report: the projection diff of `head` against `base`, or a one-line all-clear. */
export function securityReport(options: AssemblyOptions): string {
  const load = (dir: string) => projectSecurity(readAssemblyStacks(dir, options.stage));
  const diff = diffProjections(load(options.base), load(options.head));
  return diff === '' ? 'No security setting changed.\n' : `${diff}\n`;
}

function main(): number {
  const options = assemblyOptions('security-report');
  if (!options) {
    return 2;
  }
  try {
    process.stdout.write(securityReport(options));
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main();
}
