import { parseArgs } from 'util';

/** The options of a report that compares two `cdk synth` outputs. */
export interface AssemblyOptions {
  /** The `cdk synth` output of the base. */
  readonly base: string;
  /** The `cdk synth` output of the head (default `cdk.out`). */
  readonly head: string;
  /** One stage (`Prod`); every stack when undefined. */
  readonly stage?: string;
}

/**
 * `--base <dir> [--head cdk.out] [--stage <Stage>]` of `npm run <script>`,
 * or undefined after printing the usage when `--base` is missing.
 */
export function assemblyOptions(script: string): AssemblyOptions | undefined {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: 'cdk.out' },
      stage: { type: 'string' },
    },
  });
  if (!values.base) {
    process.stderr.write(
      `usage: npm run ${script} -- --base <cdk.out of the base> [--head cdk.out] [--stage <Stage>]\n`,
    );
    return undefined;
  }
  return { base: values.base, head: values.head, stage: values.stage };
}

/**
 * The exit code of a report's `run`: its own, or 2 after printing the
 * message of what it threw (a configuration mistake's list of problems, a
 * directory that is no synth output), without a stack trace.
 */
export function exitCodeOf(run: () => number): number {
  try {
    return run();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
