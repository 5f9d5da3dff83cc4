import { z } from 'zod';
import {
  FINDING_PUBLISHING_FREQUENCIES,
  FINDING_SEVERITIES,
  OBJECT_LOCK_MODES,
  SECURITY_BASELINE_MODES,
} from './environment-config';
import { logRetentionDays, problem } from './rules';

/** S3 lifecycle of the CloudTrail archive: files move to Glacier after 90 days. */
export const TRAIL_ARCHIVE_TRANSITION_DAYS = 90;
const MAX_TRAIL_ARCHIVE_DAYS = 3653;

/** A monthly cost budget of the account, alerting the notifications topic. */
const budgetSchema = z.strictObject({
  /** Monthly limit, in `currency`. Greater than 0. */
  monthlyLimit: z.number().positive('is not above 0; allowed: an amount greater than 0'),
  /** Currency of `monthlyLimit`: the account's billing currency, an ISO 4217 code such as `USD`. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'is not an ISO 4217 currency code such as "USD"'),
  /** Alert when actual cost reaches this percentage of `monthlyLimit`: 1-1000. */
  alertThresholdPercent: z
    .number()
    .min(1, 'is below 1; allowed: 1-1000 (percent of monthlyLimit)')
    .max(1000, 'is above 1000; allowed: 1-1000 (percent of monthlyLimit)'),
});

/** Days an S3 archive keeps its files: 90-3653 (they move to Glacier after 90 days). */
const archiveRetentionDays = z
  .number()
  .int('is not a whole number of days')
  .min(
    TRAIL_ARCHIVE_TRANSITION_DAYS,
    `is below ${TRAIL_ARCHIVE_TRANSITION_DAYS}; allowed: ${TRAIL_ARCHIVE_TRANSITION_DAYS}-${MAX_TRAIL_ARCHIVE_DAYS} days`,
  )
  .max(
    MAX_TRAIL_ARCHIVE_DAYS,
    `is above ${MAX_TRAIL_ARCHIVE_DAYS}; allowed: ${TRAIL_ARCHIVE_TRANSITION_DAYS}-${MAX_TRAIL_ARCHIVE_DAYS} days`,
  );

/**
 * S3 Object Lock on the trail's archive: every log file the trail writes is
 * locked (write once, read many) for `retentionDays`.
 * See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
const objectLockSchema = z.strictObject({
  /** The retention mode of the default retention: one of `OBJECT_LOCK_MODES`. */
  mode: z.enum(OBJECT_LOCK_MODES),
  /**
   * Days each log file stays locked: 1 up to the archive's
   * `archiveRetentionDays` (the lifecycle rule cannot expire a version that
   * is still locked).
   */
  retentionDays: z.number().int('is not a whole number of days').min(1, 'is below 1 day'),
});

/** The account's CloudTrail trail. */
const cloudTrailSchema = z
  .strictObject({
    /** Days the trail's CloudWatch Logs copy is kept: a CloudWatch Logs retention value. */
    logRetentionDays,
    /**
     * Days the log files are kept in the S3 archive: 90-3653. Files move to
     * S3 Glacier Flexible Retrieval after 90 days.
     */
    archiveRetentionDays,
    /**
     * Object Lock on the archive, required in production (see
     * `TierPolicy.requiresTrailObjectLock`); absent: the archive is versioned
     * but not locked. Turning it on for an archive that already exists
     * replaces the bucket: CloudFormation creates a locked one, and the old
     * one is retained with its files (README, "Object Lock on the trail's
     * archive").
     */
    objectLock: objectLockSchema.optional(),
  })
  .superRefine((trail, ctx) => {
    if (trail.objectLock && trail.objectLock.retentionDays > trail.archiveRetentionDays) {
      problem(
        ctx,
        ['objectLock', 'retentionDays'],
        `is above archiveRetentionDays (${trail.archiveRetentionDays}); allowed: 1-${trail.archiveRetentionDays} days, so the lifecycle rule never meets a locked file`,
      );
    }
  });

/**
 * The account+region's AWS Config recorder: without it most Security Hub
 * controls never evaluate.
 * See https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-setup-prereqs.html
 */
const awsConfigSchema = z.strictObject({
  /**
   * Whether this recorder also records global resource types (IAM users,
   * roles, policies). They are the same in every region, so exactly one
   * recorder per account should record them (validation allows one per
   * account): recording them in every region pays for each change once per
   * region.
   * See https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
   */
  recordGlobalResourceTypes: z.boolean(),
  /**
   * Days the configuration history and snapshots are kept in the S3
   * archive: 90-3653. Files move to S3 Glacier Flexible Retrieval after 90 days.
   */
  archiveRetentionDays,
});

/**
 * The account-wide security baseline. Read only when `ownsSecurityBaseline` is
 * true (and then required).
 */
export const securityBaselineSchema = z.strictObject({
  /** Create the baseline, or adopt one an organisation manages: one of `SECURITY_BASELINE_MODES`. */
  mode: z.enum(SECURITY_BASELINE_MODES),
  /** How often GuardDuty exports finding updates: one of `FINDING_PUBLISHING_FREQUENCIES`. */
  findingPublishingFrequency: z.enum(FINDING_PUBLISHING_FREQUENCIES),
  /** GuardDuty findings at or above this level go to the notifications topic: one of `FINDING_SEVERITIES`. */
  minimumFindingSeverity: z.enum(FINDING_SEVERITIES),
  /** The account's monthly cost budget. */
  budget: budgetSchema,
  /** The CloudTrail trail (mode `create` only). */
  cloudTrail: cloudTrailSchema,
  /** The AWS Config recorder and its delivery channel (mode `create` only). */
  awsConfig: awsConfigSchema,
});
