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

/**
 * A CloudWatch Logs retention in days, typed as the CDK's `RetentionDays` once
 * it is known to be one (the only place that turns the number into the enum).
 */
export const logRetentionDays = z
  .number()
  .refine((days) => LOG_RETENTION_DAYS.includes(days), {
    message: `is not a CloudWatch Logs retention; allowed: ${list(LOG_RETENTION_DAYS)}`,
  })
  .transform((days) => days as RetentionDays);

/** A whole number in [min, max], with the range in the message ("is out of range; allowed: 1-10"). */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}-${max}`;
  return z
    .number()
    .int(`is not a whole number; allowed: ${range}`)
    .min(min, `is out of range; allowed: ${range}`)
    .max(max, `is out of range; allowed: ${range}`);
}

/** A whole number in [min, max] that names the violated bound ("is below 5; allowed: 5-1440 minutes"). */
export function boundedWholeNumber(min: number, max: number, unit = '') {
  return z
    .number()
    .int(`is not a whole number; allowed: ${min}-${max}${unit}`)
    .min(min, `is below ${min}; allowed: ${min}-${max}${unit}`)
    .max(max, `is above ${max}; allowed: ${min}-${max}${unit}`);
}

/**
 * An ACM certificate ARN (`arn:aws:acm:<region>:<account>:certificate/<uuid>`).
 * See https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-describe.html
 */
export const ACM_CERTIFICATE_ARN =
  /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** `<name>` of a `/<env>/<name>` parameter: lowercase words separated by `-`, optionally nested with `/`. */
export const REGISTRY_NAME = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** A complete Secrets Manager secret ARN (with the 6-character suffix). */
export const SECRET_COMPLETE_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** The region of an ARN (its fourth field). */
export const regionOfArn = (arn: string) => arn.split(':')[3];

/** Reports one problem at `path` (relative to the value being refined). */
export function problem(ctx: z.RefinementCtx, path: readonly PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message });
}

/**
 * Reports every value that occurs more than once, at
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
      problem(ctx, [...path, index, ...field], what);
    }
    seen.add(value);
  });
}

/** `T` with every property, array and nested object read-only: validated config is never changed. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
