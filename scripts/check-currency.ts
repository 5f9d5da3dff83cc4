/**
 * Says which external pins need a look:
 *
 *   npm run check:currency [-- --today YYYY-MM-DD] [--within 30]
 *
 * Lists the pins of lib/pins.ts past their review date or due within
 * `--within` days, and the deprecation and end-of-support warnings of a
 * synth of every environment (offline, no bundling), as Markdown on stdout.
 * Exit code 0 when nothing is due, 1 when something is (the weekly workflow
 * then opens or updates an issue), 2 on bad arguments. Not part of
 * `npm test`: a test must not fail because the calendar moved.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as cdkJson from '../cdk.json';
import { loadEnvironments, pipeline, validatePipeline } from '../config';
import { PINS } from '../lib/pins';
import { addPipeline, addPlatform, newPlatformApp } from '../lib/platform-app';
import {
  currencyReport,
  CurrencyWarning,
  currencyWarnings,
  isCurrencyNotice,
  needsAction,
  pinsDue,
} from '../tools/currency';

/** Synthesizes every environment as `cdk synth` does and returns its currency warnings. */
function synthWarnings(): CurrencyWarning[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'currency-'));
  const printed: string[] = [];
  const warn = console.warn;
  // jsii reports deprecated APIs on the console, not in the assembly.
  console.warn = (...args: unknown[]) => printed.push(args.map(String).join(' '));
  try {
    // Currency notices come from the constructs, not from the rule sets that gate `cdk synth`.
    const app = newPlatformApp(
      { outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } },
      { ruleSets: false },
    );
    const environments = loadEnvironments();
    addPlatform(app, environments);
    addPipeline(app, environments, validatePipeline(pipeline, environments));
    return [
      ...currencyWarnings(app.synth()),
      ...printed.filter(isCurrencyNotice).map((message) => ({ path: '(console)', message })),
    ];
  } finally {
    console.warn = warn;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): number {
  const { values } = parseArgs({
    options: {
      today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      within: { type: 'string', default: '30' },
    },
  });
  const withinDays = Number(values.within);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(values.today) ||
    !Number.isInteger(withinDays) ||
    withinDays < 0
  ) {
    process.stderr.write(
      'usage: npm run check:currency -- [--today YYYY-MM-DD] [--within <days>]\n',
    );
    return 2;
  }
  const due = pinsDue(PINS, values.today, withinDays);
  const warnings = synthWarnings();
  process.stdout.write(currencyReport({ today: values.today, withinDays, due, warnings }));
  return needsAction(due, warnings) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main();
}
