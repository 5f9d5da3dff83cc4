import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { z } from 'zod';

/** Regions aws-cdk-lib knows, so a typo such as `ap-northeast1` fails at synth. */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

/** Retention values CloudWatch Logs accepts (RetentionDays without INFINITE). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/** `a, b, c` for "allowed: ..." messages. */
export const list = (values: readonly (string | number)[]) => values.join(', ');

/** A CloudWatch Logs retention in days. */
export const logRetentionDays = z.number().refine((days) => LOG_RETENTION_DAYS.includes(days), {
  message: `is not a CloudWatch Logs retention; allowed: ${list(LOG_RETENTION_DAYS)}`,
});

/** A whole number in [min, max], with the range in the message. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}-${max}`;
  return z
    .number()
    .int(`is not a whole number; allowed: ${range}`)
    .min(min, `is out of range; allowed: ${range}`)
    .max(max, `is out of range; allowed: ${range}`);
}

/**
 * Adds an issue for every value that occurs more than once, at
 * `[...path, index, ...field]`.
 */
export function reportDuplicates(
  values: readonly unknown[],
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
  what = 'is listed twice',
  field: readonly PropertyKey[] = [],
): void {
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    if (value !== undefined && seen.has(value)) {
      ctx.addIssue({ code: 'custom', path: [...path, index, ...field], message: what });
    }
    seen.add(value);
  });
}
