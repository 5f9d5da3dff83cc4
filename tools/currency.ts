import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Pin } from '../lib/pins';

/** A pin of the register with its name. */
export interface NamedPin extends Pin {
  readonly name: string;
}

/** The pins a review is due for, as of one day. */
export interface PinsDue {
  /** Deployable pins whose review date has passed. */
  readonly past: readonly NamedPin[];
  /** Deployable pins whose review date comes within the window. */
  readonly upcoming: readonly NamedPin[];
  /** Pins of the App Mesh reference design: reported, never due. */
  readonly referenceDesign: readonly NamedPin[];
}

/** A warning of a synth that says something stops being supported. */
export interface CurrencyWarning {
  /** The construct path the warning is on. */
  readonly path: string;
  /** The warning's text. */
  readonly message: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deprecated APIs (`Annotations.addDeprecation`, jsii) and end-of-support notices. */
const CURRENCY_WARNING = /is deprecated|\[ack: Deprecated:|end of support|end-of-support/i;

/** The register's pins that are due on `today` (YYYY-MM-DD) or within `withinDays` after it. */
export function pinsDue(
  pins: Readonly<Record<string, Pin>>,
  today: string,
  withinDays: number,
): PinsDue {
  const named = Object.entries(pins).map(([name, pin]): NamedPin => ({ name, ...pin }));
  const deployable = named.filter((pin) => !pin.referenceDesignOnly);
  const horizon = new Date(Date.parse(today) + withinDays * DAY_MS).toISOString().slice(0, 10);
  return {
    past: deployable.filter((pin) => pin.reviewBy < today),
    upcoming: deployable.filter((pin) => pin.reviewBy >= today && pin.reviewBy <= horizon),
    referenceDesign: named.filter((pin) => pin.referenceDesignOnly),
  };
}

/**
 * The warnings of a synthesized assembly (nested stage assemblies included)
 * that announce a deprecation or an end of support: each is a pin, an API or
 * a service that is about to stop being supported.
 */
export function currencyWarnings(assembly: CloudAssembly): CurrencyWarning[] {
  return assembly.stacksRecursively.flatMap((stack) =>
    stack.messages
      .filter((message) => message.level === 'warning')
      .map((message) => ({ path: message.id, message: String(message.entry.data) }))
      .filter((warning) => CURRENCY_WARNING.test(warning.message)),
  );
}

/** Whether a line printed during synth (jsii's deprecation notices go to the console) is one. */
export function isCurrencyNotice(line: string): boolean {
  return CURRENCY_WARNING.test(line);
}

function pinTable(pins: readonly NamedPin[]): string[] {
  return [
    '| pin | value | review by | why | source |',
    '| --- | --- | --- | --- | --- |',
    ...pins.map(
      (pin) =>
        `| ${pin.name} | \`${pin.value}\` | ${pin.reviewBy} | ${pin.reviewReason} | ${pin.source} |`,
    ),
  ];
}

/** Whether the report holds anything to act on. */
export function needsAction(due: PinsDue, warnings: readonly CurrencyWarning[]): boolean {
  return due.past.length + due.upcoming.length + warnings.length > 0;
}

/** The report, in Markdown: what is due, what a synth warns about, and the reference-only pins. */
export function currencyReport(options: {
  readonly today: string;
  readonly withinDays: number;
  readonly due: PinsDue;
  readonly warnings: readonly CurrencyWarning[];
}): string {
  const { due, warnings } = options;
  const section = (title: string, lines: readonly string[]) =>
    lines.length === 0 ? [] : ['', `## ${title}`, '', ...lines];
  return [
    `# Currency of the pins in lib/pins.ts (${options.today})`,
    '',
    needsAction(due, warnings)
      ? 'Verify each value below at its source, then update `value`, `source`, `checked` and `reviewBy` together in lib/pins.ts.'
      : `Nothing is due: no pin reaches its review date within ${options.withinDays} days and synth warns of no deprecation.`,
    ...section('Past their review date', due.past.length ? pinTable(due.past) : []),
    ...section(
      `Due within ${options.withinDays} days`,
      due.upcoming.length ? pinTable(due.upcoming) : [],
    ),
    ...section(
      'Deprecation and end-of-support warnings of `cdk synth`',
      warnings.map((w) => `- \`${w.path}\`: ${w.message}`),
    ),
    ...section(
      'Reference design only (App Mesh: not deployable, never due)',
      due.referenceDesign.map(
        (pin) => `- ${pin.name}: \`${pin.value}\` (${pin.reviewReason}, ${pin.reviewBy})`,
      ),
    ),
    '',
  ].join('\n');
}
