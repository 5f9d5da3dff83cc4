import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ControlTowerControls } from './control-tower-controls';

/** The acknowledgement id of a Control Tower control (its cfn-guard rule name). */
export const controlTower = (rule: string): string => `${ControlTowerControls.NAME}::${rule}`;

/** The acknowledgement id of a cdk-nag NIST 800-53 rev 5 rule. */
export const nist = (rule: string): string => `NIST.800.53.R5-${rule}`;

/**
 * Acknowledges findings of the published rule sets on one resource (its
 * L1 resource when `resource` is an L2 construct), all for the same reason.
 */
export function acknowledgeFindings(
  resource: IConstruct,
  ids: readonly string[],
  reason: string,
): void {
  const target = resource.node.defaultChild ?? resource;
  for (const id of ids) {
    Validations.of(target).acknowledge({ id, reason });
  }
}

/**
 * Why a Control Tower control fails on a value read from another stack: the
 * cfn-guard rules accept a literal or a reference within the same template
 * only, and cannot follow `Fn::GetStackOutput` (cdk-validator-cfnguard
 * README, "accept a limited subset of CloudFormation syntax").
 */
export const CROSS_STACK_REFERENCE =
  'The value is set, from another stack of the same stage through Fn::GetStackOutput; the cfn-guard control ' +
  'accepts only literals and references within one template, so it cannot see it ' +
  '(https://github.com/cdklabs/cdk-validator-cfnguard#using-the-bundled-control-tower-proactive-controls-in-cdk).';

/**
 * Why a bucket that receives S3 server access logs has no Object Lock: S3
 * cannot deliver server access logs to a bucket with Object Lock turned on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html,
 * checked 2026-12-02).
 */
export const ACCESS_LOG_TARGET_OBJECT_LOCK =
  'S3 cannot deliver server access logs to a bucket with Object Lock turned on ' +
  '(https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html); versioning keeps ' +
  'overwritten and deleted objects until the lifecycle rule expires them.';

/**
 * Why a log archive has no Object Lock of its own: the write-once copy of
 * audit logs is the organisation's log-archive account's; here versioning and
 * the permissions boundary's `DenyDeletingLogObjects` (everything below
 * `AWSLogs/`) keep the objects.
 */
const LOG_ARCHIVE_OBJECT_LOCK =
  "The write-once copy of audit logs belongs in the organisation's log-archive account (AWS Control Tower log " +
  'archive); here versioning keeps overwritten and deleted objects until the lifecycle rule expires them, and ' +
  "the permissions boundary denies the platform's roles deleting or re-retaining objects below AWSLogs/.";

/**
 * The findings a log bucket (CloudTrail and Config archives, access logs) has
 * by design: no cross-region replication (the organisation's log-archive
 * account is where logs are copied to, not a second bucket of this workload
 * account), no event notifications (nothing consumes them; GuardDuty S3
 * protection watches the data events) and no object lock (`objectLock` says
 * why, by default {@link LOG_ARCHIVE_OBJECT_LOCK}; `null` for a bucket that
 * has Object Lock).
 */
export function acknowledgeLogArchiveBucket(
  bucket: IConstruct,
  objectLock: string | null = LOG_ARCHIVE_OBJECT_LOCK,
): void {
  acknowledgeFindings(
    bucket,
    [nist('S3BucketReplicationEnabled')],
    "A log bucket of one region: copies of audit and access logs belong in the organisation's log-archive " +
      'account (AWS Control Tower log archive), not in a second bucket of this workload account; versioning ' +
      'protects the objects here.',
  );
  acknowledgeFindings(
    bucket,
    [controlTower('s3_event_notifications_enabled_check')],
    'Nothing consumes events of a log bucket; GuardDuty S3 protection (S3_DATA_EVENTS) watches its data events.',
  );
  if (objectLock !== null) {
    acknowledgeFindings(bucket, [controlTower('s3_bucket_object_lock_enabled_check')], objectLock);
  }
}

/**
 * The findings of a permissions boundary's `Allow *` in every rule set: a
 * boundary is a ceiling that grants nothing by itself (`reason` says what its
 * Deny statements carve out).
 */
export function acknowledgeBoundaryCeiling(policy: IConstruct, reason: string): void {
  acknowledgeFindings(
    policy,
    [
      'AwsSolutions-IAM5[Action::*]',
      'AwsSolutions-IAM5[Resource::*]',
      nist('IAMPolicyNoStatementsWithAdminAccess'),
      nist('IAMPolicyNoStatementsWithFullAccess'),
      controlTower('iam_managed_policy_no_statements_with_admin_access_check'),
      controlTower('iam_managed_policy_no_statements_with_full_access_check'),
    ],
    reason,
  );
}
