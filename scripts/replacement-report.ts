/**
 * Lists the stateful resources that deploying one `cdk synth` output over
 * another would replace or delete (the replacement guard):
 *
 *   npm run replacement-report -- --base <dir> [--head cdk.out] [--stage Prod]
 *
 * Each entry names the environment, stack, resource, the properties behind
 * it and what happens to the data, and whether `config/accepted-replacements.ts`
 * accepts it. Exit code 0 when nothing is replaced or everything is accepted,
 * 1 when an entry is not accepted, 2 on bad arguments.
 */
import { AcceptedReplacement, loadAcceptedReplacements, loadEnvironments } from '../config';
import { PlatformStage } from '../lib/stages/platform-stage';
import { StatefulChange, statefulChanges } from '../tools/replacement-guard';
import { readAssemblyStacks } from '../tools/security-projection';
import { AssemblyOptions, assemblyOptions, exitCodeOf } from './assembly-options';

/** What {@link replacementReport} reads. */
export interface ReplacementReportOptions extends AssemblyOptions {
  /** The accepted replacements (validated). */
  readonly accepted: readonly AcceptedReplacement[];
  /** The environment name of a stage id (`Prod` -> `prod`). */
  readonly environmentOf: (stage: string) => string;
}

/** The report and whether it has an entry no accepted replacement covers. */
export interface ReplacementReport {
  readonly text: string;
  readonly unaccepted: number;
}

const VERB: Record<StatefulChange['kind'], string> = {
  replace: 'replaced',
  'may-replace': 'may be replaced',
  delete: 'deleted',
  orphan: 'removed from its stack (kept)',
};

function entryOf(
  change: StatefulChange,
  environment: string,
  accepted?: AcceptedReplacement,
): string {
  const inStack = change.path.split('/').slice(2).join('/');
  const because = change.properties.length > 0 ? `: ${change.properties.join(', ')} changed` : '';
  const lines = [
    `${accepted ? 'ACCEPTED' : 'NOT ACCEPTED'}  ${environment}  ${change.stackName}  ${inStack} (${change.type})`,
    `  ${change.fixedAtCreation ? 'needs a new resource' : VERB[change.kind]}${because}`,
    `  ${change.consequence}`,
  ];
  if (accepted) {
    lines.push(`  Accepted until ${accepted.until}: ${accepted.reason}`);
  } else {
    lines.push(
      '  If this is intended, say so in config/accepted-replacements.ts:',
      `    { environment: '${environment}', path: '${change.path}', reason: '<why, and what happens to the data>', until: '<YYYY-MM-DD>' }`,
    );
  }
  return lines.join('\n');
}

/** The replacement guard's report of `head` over `base`. */
export function replacementReport(options: ReplacementReportOptions): ReplacementReport {
  const changes = statefulChanges(
    readAssemblyStacks(options.base, options.stage),
    readAssemblyStacks(options.head, options.stage),
  );
  if (changes.length === 0) {
    return { text: 'No stateful resource replaced or deleted.\n', unaccepted: 0 };
  }
  const entries = changes.map((change) => {
    const environment = options.environmentOf(change.stage);
    const accepted = options.accepted.find(
      (entry) => entry.environment === environment && entry.path === change.path,
    );
    return { text: entryOf(change, environment, accepted), accepted: accepted !== undefined };
  });
  const unaccepted = entries.filter((entry) => !entry.accepted).length;
  const heading =
    `${changes.length} stateful resource${changes.length === 1 ? '' : 's'} replaced or deleted, ` +
    `${unaccepted} not accepted:`;
  return { text: `${[heading, ...entries.map((e) => e.text)].join('\n\n')}\n`, unaccepted };
}

function main(): number {
  const options = assemblyOptions('replacement-report');
  if (!options) {
    return 2;
  }
  return exitCodeOf(() => {
    const environments = loadEnvironments();
    const byStage = new Map(environments.map((env) => [PlatformStage.idOf(env.name), env.name]));
    const report = replacementReport({
      ...options,
      accepted: loadAcceptedReplacements(environments),
      environmentOf: (stage) => byStage.get(stage) ?? stage,
    });
    process.stdout.write(report.text);
    return report.unaccepted > 0 ? 1 : 0;
  });
}

if (require.main === module) {
  process.exitCode = main();
}
