/**
 * Checks, or records, the digests of the container images of lib/pins.ts:
 *
 *   npm run pins:digests [-- --write]
 *
 * Asks ECR Public (online, anonymous) for the digest each pinned tag serves
 * and compares it with lib/image-digests.json, as Markdown on stdout.
 * `--write` records the served digests (after you verified the tags: a
 * digest only freezes what the tag serves now). Exit code 0 when every image
 * has its digest and the registry serves the same, 1 when one is missing or
 * differs (the weekly currency workflow then reports it), 2 on an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { IMAGE_DIGESTS, PINS } from '../lib/pins';
import { Fetch, resolveImageDigest } from '../tools/image-digest';

/** Where the digests are recorded. */
const DIGESTS_FILE = path.join(__dirname, '..', 'lib', 'image-digests.json');

/** One image's recorded and served digests. */
export interface DigestCheck {
  readonly image: string;
  readonly recorded?: string;
  readonly served: string;
}

/** The deployable container images of the register (the App Mesh reference is never deployed). */
export function pinnedImages(): string[] {
  return Object.values(PINS)
    .filter((pin) => pin.kind === 'container image' && !('referenceDesignOnly' in pin))
    .map((pin) => pin.value);
}

/** The served digest of each image next to the recorded one. */
export async function checkDigests(
  images: readonly string[],
  recorded: Readonly<Record<string, string>>,
  fetch: Fetch,
): Promise<DigestCheck[]> {
  return Promise.all(
    images.map(async (image) => ({
      image,
      recorded: recorded[image],
      served: await resolveImageDigest(image, fetch),
    })),
  );
}

/** The report of {@link checkDigests}, and whether something needs recording. */
export function digestReport(checks: readonly DigestCheck[]): { text: string; due: boolean } {
  const line = (check: DigestCheck) =>
    check.recorded === undefined
      ? `- \`${check.image}\`: no digest recorded; the registry serves \`${check.served}\``
      : check.recorded === check.served
        ? `- \`${check.image}\`: \`${check.recorded}\` (the registry serves the same)`
        : `- \`${check.image}\`: recorded \`${check.recorded}\`, but the registry now serves \`${check.served}\`: the tag moved; find out why before recording it`;
  const due = checks.some((check) => check.recorded !== check.served);
  return {
    text: ['', '## Image digests (lib/image-digests.json)', '', ...checks.map(line), ''].join('\n'),
    due,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
  const checks = await checkDigests(pinnedImages(), IMAGE_DIGESTS, fetch as unknown as Fetch);
  const report = digestReport(checks);
  process.stdout.write(report.text);
  if (values.write) {
    const digests = Object.fromEntries(checks.map((check) => [check.image, check.served]));
    fs.writeFileSync(DIGESTS_FILE, `${JSON.stringify(digests, null, 2)}\n`);
    return 0;
  }
  return report.due ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
