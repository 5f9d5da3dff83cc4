import * as fs from 'fs';
import * as path from 'path';
import { RULE_SETS, RuleSetName } from '../lib/compliance/rule-sets';
import { readAssemblyStacks } from './security-projection';

/** One finding of a rule set on one resource. */
export interface ComplianceFinding {
  /** The stage (`Dev`), or `''` for the stacks outside any stage (the GitHub OIDC stacks). */
  readonly stage: string;
  readonly ruleSet: RuleSetName;
  /** The rule, as its rule set names it (`NIST.800.53.R5-LambdaDLQ`, `sqs_dlq_check`). */
  readonly rule: string;
  /** The construct path of the resource. */
  readonly path: string;
  /** Why it is acknowledged; undefined for an open finding. */
  readonly reason?: string;
}

/** The findings of a synthesized app: the open ones and the acknowledged ones. */
export interface ComplianceFindings {
  readonly open: readonly ComplianceFinding[];
  readonly acknowledged: readonly ComplianceFinding[];
}

interface ValidationReport {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

const isRuleSet = (name: string): name is RuleSetName => name in RULE_SETS;

/** `Dev/Identity/...` is in stage `Dev`; `GitHubOidc-.../...` in none (`''`). */
function stageOf(constructPath: string, stages: ReadonlySet<string>): string {
  const first = constructPath.split('/')[0];
  return stages.has(first) ? first : '';
}

/** The rule set of an acknowledged rule id, as `Validations.acknowledge` recorded it. */
function ruleOfAcknowledgement(id: string): { ruleSet: RuleSetName; rule: string } | undefined {
  const namespaced = /^([^:]+)::(.+)$/.exec(id);
  if (namespaced && isRuleSet(namespaced[1])) {
    return { ruleSet: namespaced[1], rule: namespaced[2] };
  }
  const nag = (Object.keys(RULE_SETS) as RuleSetName[]).find((set) => id.startsWith(`${set}-`));
  return nag ? { ruleSet: nag, rule: id } : undefined;
}

/**
 * The findings in the `cdk synth` output in `directory`: the open ones from
 * the validation report the synth wrote (validation-report.json, one
 * evaluation per rule set), the acknowledged ones, with their reasons, from
 * the `cdk_nag.rules_to_suppress` metadata that every acknowledged resource
 * carries in its template (see `addRuleSets`).
 */
export function readComplianceFindings(directory: string): ComplianceFindings {
  const stacks = readAssemblyStacks(directory);
  const stages = new Set(
    stacks.filter((s) => s.stack.includes('/')).map((s) => s.stack.split('/')[0]),
  );
  const reportFile = path.join(directory, 'validation-report.json');
  const report: ValidationReport = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ValidationReport)
    : {};
  const open = (report.pluginReports ?? [])
    .filter((plugin) => isRuleSet(plugin.pluginName))
    .flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((resource) => ({
          stage: stageOf(resource.constructPath, stages),
          ruleSet: plugin.pluginName as RuleSetName,
          rule: violation.ruleName,
          // The same path an acknowledgement has: the L2 construct, without its `/Resource`.
          path: resource.constructPath.replace(/\/Resource$/, ''),
        })),
      ),
    );
  const acknowledged = stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {}).flatMap(([logicalId, resource]) => {
      const metadata = (resource as { Metadata?: Record<string, unknown> }).Metadata ?? {};
      const rules =
        (metadata.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)
          ?.rules_to_suppress ?? [];
      // The manifest's logical-ID map, which every synth writes (the template's
      // aws:cdk:path metadata is only there when the CLI asks for it).
      const relative = stack.paths.get(logicalId) ?? logicalId;
      const resourcePath = `${stack.stack}/${relative}`;
      return rules.flatMap(({ id, reason }) => {
        const rule = ruleOfAcknowledgement(id);
        return rule
          ? [{ stage: stageOf(resourcePath, stages), ...rule, path: resourcePath, reason }]
          : [];
      });
    }),
  );
  return { open, acknowledged };
}

/** One line of the summary table: a stage and a rule set. */
export interface ComplianceRow {
  readonly stage: string;
  readonly ruleSet: RuleSetName;
  /** Findings of the base that the head has neither open nor acknowledged; undefined without a base. */
  readonly fixed?: number;
  readonly acknowledged: number;
  readonly open: number;
}

const keyOf = (f: ComplianceFinding) => `${f.stage}|${f.ruleSet}|${f.rule}|${f.path}`;

/** The rows of the summary, per stage (in order of appearance) and rule set. */
export function complianceRows(
  head: ComplianceFindings,
  base?: ComplianceFindings,
): ComplianceRow[] {
  const all = [...head.open, ...head.acknowledged];
  const inHead = new Set(all.map(keyOf));
  const baseAll = base ? [...base.open, ...base.acknowledged] : [];
  const stages = [...new Set([...all, ...baseAll].map((f) => f.stage))];
  return stages.flatMap((stage) =>
    (Object.keys(RULE_SETS) as RuleSetName[]).map((ruleSet) => {
      const of = (findings: readonly ComplianceFinding[]) =>
        findings.filter((f) => f.stage === stage && f.ruleSet === ruleSet);
      return {
        stage,
        ruleSet,
        fixed: base
          ? new Set(
              of(baseAll)
                .filter((f) => !inHead.has(keyOf(f)))
                .map(keyOf),
            ).size
          : undefined,
        acknowledged: of(head.acknowledged).length,
        open: of(head.open).length,
      };
    }),
  );
}

/**
 * The report in Markdown: a table per stage and rule set, the open findings,
 * and the acknowledgements grouped by reason (most frequent first).
 */
export function renderCompliance(head: ComplianceFindings, base?: ComplianceFindings): string {
  const rows = complianceRows(head, base);
  const stageName = (stage: string) => (stage === '' ? '(outside stages)' : stage);
  const lines = [
    `| stage | rule set |${base ? ' fixed |' : ''} acknowledged | open |`,
    `| --- | --- |${base ? ' ---: |' : ''} ---: | ---: |`,
    ...rows.map(
      (row) =>
        `| ${stageName(row.stage)} | ${RULE_SETS[row.ruleSet]} |` +
        `${base ? ` ${row.fixed} |` : ''} ${row.acknowledged} | ${row.open} |`,
    ),
  ];
  if (head.open.length > 0) {
    lines.push('', '**Open findings** (synth fails on these):', '');
    lines.push(...head.open.map((f) => `- ${f.rule}: \`${f.path}\``));
  }
  const byReason = new Map<string, ComplianceFinding[]>();
  for (const ack of head.acknowledged) {
    byReason.set(ack.reason ?? '', [...(byReason.get(ack.reason ?? '') ?? []), ack]);
  }
  if (byReason.size > 0) {
    lines.push('', '<details><summary>Acknowledgements, by reason</summary>', '');
    for (const [reason, acks] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      const rules = [...new Set(acks.map((a) => a.rule))].join(', ');
      lines.push(`- **${acks.length}** × ${rules}: ${reason}`);
    }
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
