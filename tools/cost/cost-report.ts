import { StackTemplate } from '../security-projection';
import { HOURS_PER_MONTH, Price, PRICE_TABLE, PricedDimension } from './price-table';
import { FREE, monthlyOf, PRICERS, USAGE_BASED } from './resource-pricing';

/**
 * The fixed monthly cost of each stage of a cloud assembly, from its
 * templates and the price table: what the environment costs before any
 * traffic, with the services at their desired counts as synthesized (zero in
 * bootstrap mode). Used by `npm run cost` and by the pull-request comment.
 */

/** One line of the report: the same item of one stack (or of one resource, for services), summed. */
export interface CostLine {
  /** Stack path, e.g. `Dev/Network`. */
  readonly stack: string;
  /** What is priced, with the resource for items priced per resource (services, the database). */
  readonly item: string;
  /** Size, architecture or other detail that sets the unit price. */
  readonly detail?: string;
  readonly count: number;
  /** USD a month of one unit. */
  readonly unitMonthly: number;
  /** USD a month of the line. */
  readonly monthly: number;
  readonly note?: string;
}

/** A resource type billed only by use, and how many the stage has. */
export interface UsageItem {
  readonly type: string;
  readonly count: number;
  readonly billedBy: string;
}

/** A resource the table cannot price: an unknown type or a price missing in its region. */
export interface NotPriced {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
  readonly reason: string;
}

/** The cost of one stage. */
export interface StageCost {
  readonly stage: string;
  readonly total: number;
  /** Lines by descending monthly cost. */
  readonly lines: readonly CostLine[];
  readonly usage: readonly UsageItem[];
  readonly notPriced: readonly NotPriced[];
}

/** Items priced per resource (named by its construct path), not summed per stack. */
const PER_RESOURCE_TYPES = new Set(['AWS::ECS::Service', 'AWS::RDS::DBInstance']);

const stageOf = (stack: StackTemplate) => stack.stack.split('/')[0];

/**
 * The cost of every stage of `stacks` (stacks outside a stage, e.g. the
 * GitHub OIDC stacks, are left out: they hold IAM only), by stage id.
 */
export function costOfStages(
  stacks: readonly StackTemplate[],
  table: Readonly<Record<string, Partial<Record<PricedDimension, Price>>>> = PRICE_TABLE,
): Map<string, StageCost> {
  const stages = [...new Set(stacks.filter((s) => s.stack.includes('/')).map(stageOf))];
  return new Map(
    stages.map((stage) => [
      stage,
      costOfStage(
        stage,
        stacks.filter((s) => stageOf(s) === stage && s.stack.includes('/')),
        table,
      ),
    ]),
  );
}

function costOfStage(
  stage: string,
  stacks: readonly StackTemplate[],
  table: Readonly<Record<string, Partial<Record<PricedDimension, Price>>>>,
): StageCost {
  const lines = new Map<string, CostLine>();
  const usage = new Map<string, number>();
  const notPriced: NotPriced[] = [];
  for (const stack of stacks) {
    const prices = table[stack.region ?? ''] ?? {};
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const resourcePath = stack.paths.get(logicalId) ?? logicalId;
      const pricer = PRICERS[resource.Type];
      if (!pricer) {
        if (USAGE_BASED[resource.Type] !== undefined) {
          usage.set(resource.Type, (usage.get(resource.Type) ?? 0) + 1);
        } else if (!FREE.includes(resource.Type)) {
          notPriced.push({
            stack: stack.stack,
            resource: resourcePath,
            type: resource.Type,
            reason: 'a type the price table does not know',
          });
        }
        continue;
      }
      for (const part of pricer(resource, { template: stack.template })) {
        const price = monthlyOf(part, prices);
        if (!price) {
          notPriced.push({
            stack: stack.stack,
            resource: resourcePath,
            type: resource.Type,
            reason:
              part.unpriced ??
              `no price for ${part.item} in ${stack.region ?? 'an unknown region'}`,
          });
          continue;
        }
        const item = PER_RESOURCE_TYPES.has(resource.Type)
          ? `${resourcePath}: ${part.item}`
          : part.item;
        const key = `${stack.stack}\n${item}\n${price.unitMonthly}`;
        const previous = lines.get(key);
        lines.set(key, {
          stack: stack.stack,
          item,
          detail: part.detail,
          count: (previous?.count ?? 0) + part.count,
          unitMonthly: price.unitMonthly,
          monthly: (previous?.monthly ?? 0) + price.monthly,
          note: part.note,
        });
      }
    }
  }
  const sorted = [...lines.values()].sort(
    (a, b) =>
      b.monthly - a.monthly || a.stack.localeCompare(b.stack) || a.item.localeCompare(b.item),
  );
  return {
    stage,
    total: sorted.reduce((sum, line) => sum + line.monthly, 0),
    lines: sorted,
    usage: [...usage]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, count]) => ({ type, count, billedBy: USAGE_BASED[type] })),
    notPriced,
  };
}

/** `$1,234.56` */
export const usd = (amount: number): string =>
  `${amount < 0 ? '-' : ''}$${Math.abs(amount).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

const describe = (line: CostLine) =>
  `${line.item}${line.detail ? ` (${line.detail})` : ''}${line.note ? ` [${line.note}]` : ''}`;

/** The plain-text report of one stage: one line per priced item, then usage and what is not priced. */
export function renderStageCost(cost: StageCost): string {
  const rows = cost.lines.map((line) => [
    line.stack,
    String(line.count),
    usd(line.unitMonthly),
    usd(line.monthly),
    describe(line),
  ]);
  const header = ['stack', 'count', 'unit/month', 'monthly', 'item'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) =>
        i === 1 || i === 2 || i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  const out = [
    `${cost.stage}: ${usd(cost.total)} a month fixed (on-demand list prices, ${HOURS_PER_MONTH} h a month, before traffic)`,
    `  ${format(header)}`,
    ...rows.map((row) => `  ${format(row)}`),
    `  Usage-based, not in the total: ${
      cost.usage.map((u) => `${u.type} x${u.count} (${u.billedBy})`).join('; ') || 'none'
    }`,
    `  Not priced: ${
      cost.notPriced.map((n) => `${n.stack}/${n.resource} (${n.type}): ${n.reason}`).join('; ') ||
      'none'
    }`,
  ];
  return `${out.join('\n')}\n`;
}

const lineKey = (line: CostLine) => `${line.stack}\n${line.item}`;

const signed = (amount: number) => (amount > 0 ? `+${usd(amount)}` : usd(amount));

const cell = (line: CostLine | undefined) =>
  line ? `${line.count} × ${usd(line.unitMonthly)} = ${usd(line.monthly)}` : '–';

/**
 * The cost section of a pull request's comment for one stage (Markdown): the
 * fixed monthly total before and after, and every line that moved, largest
 * change first.
 */
export function renderCostDiff(stage: string, base?: StageCost, head?: StageCost): string {
  const before = base?.total ?? 0;
  const after = head?.total ?? 0;
  const change = after - before;
  const percent =
    before === 0 ? '' : ` (${change >= 0 ? '+' : ''}${((change / before) * 100).toFixed(1)}%)`;
  const headline =
    `**Fixed monthly cost of \`${stage}\`: ${usd(before)} → ${usd(after)}**, ` +
    `${Math.abs(change) < 0.005 ? 'unchanged' : `${signed(change)}${percent}`} ` +
    `(on-demand list prices, ${HOURS_PER_MONTH} h, before traffic; \`npm run cost\`)`;
  const group = (lines: readonly CostLine[] = []) => {
    const byKey = new Map<string, CostLine>();
    for (const line of lines) {
      const previous = byKey.get(lineKey(line));
      byKey.set(
        lineKey(line),
        previous
          ? {
              ...line,
              count: previous.count + line.count,
              monthly: previous.monthly + line.monthly,
            }
          : line,
      );
    }
    return byKey;
  };
  const old = group(base?.lines);
  const now = group(head?.lines);
  const moved = [...new Set([...old.keys(), ...now.keys()])]
    .map((key) => ({ key, before: old.get(key), after: now.get(key) }))
    .filter(
      ({ before: b, after: a }) =>
        Math.abs((a?.monthly ?? 0) - (b?.monthly ?? 0)) >= 0.005 ||
        a?.count !== b?.count ||
        a?.detail !== b?.detail,
    )
    .sort(
      (x, y) =>
        Math.abs((y.after?.monthly ?? 0) - (y.before?.monthly ?? 0)) -
          Math.abs((x.after?.monthly ?? 0) - (x.before?.monthly ?? 0)) ||
        x.key.localeCompare(y.key),
    );
  const out = [headline, ''];
  if (moved.length === 0) {
    out.push('No priced line moved.');
  } else {
    out.push('| stack | item | before | after | change |', '|---|---|---:|---:|---:|');
    for (const { before: b, after: a } of moved) {
      const line = (a ?? b) as CostLine;
      const detail =
        b?.detail !== a?.detail && b?.detail && a?.detail
          ? ` (${b.detail} → ${a.detail})`
          : line.detail
            ? ` (${line.detail})`
            : '';
      out.push(
        `| ${line.stack} | ${line.item}${detail} | ${cell(b)} | ${cell(a)} | ${signed((a?.monthly ?? 0) - (b?.monthly ?? 0))} |`,
      );
    }
  }
  const notPriced = head?.notPriced ?? [];
  if (notPriced.length > 0) {
    out.push(
      '',
      `Not priced (add to tools/cost/): ${notPriced.map((n) => `${n.stack}/${n.resource} (${n.type})`).join(', ')}`,
    );
  }
  return `${out.join('\n')}\n`;
}
