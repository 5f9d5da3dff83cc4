import { ConfigValidationError } from '../config/validate';

/**
 * Runs the `main` of a command-line entry point (`bin/app.ts` under
 * `cdk synth`, `npm run diagram`, ...). A mistake in its input, reported as a
 * {@link ConfigValidationError} (a config file, `-c env`, `-c imageTag`, ...),
 * is printed as its message alone, the list of every problem, and the process
 * exits with 1: the person who made the mistake needs the list, not Node's
 * stack trace and a dump of the error. Any other error is a defect: it is
 * rethrown, so Node prints its stack as usual.
 */
export function runEntryPoint(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) {
      throw error;
    }
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
