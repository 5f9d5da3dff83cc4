import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { CloudTrailConfig } from '../../../config';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';
import { TRAIL_ARCHIVE_TRANSITION_DAYS } from '../../../config';
import {
  ACCESS_LOG_TARGET_OBJECT_LOCK,
  acknowledgeFindings,
  acknowledgeLogArchiveBucket,
  controlTower,
  nist,
} from '../../compliance/acknowledge';

/** Properties of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** Name of the trail, unique in the account. */
  readonly trailName: string;
  /** Retention of the CloudWatch Logs copy and of the S3 archive. */
  readonly retention: CloudTrailConfig;
}

/**
 * The account's CloudTrail trail: every region, global service events, log
 * file integrity validation, delivery to a KMS-encrypted S3 archive (TLS
 * only, no public access, server access logging, lifecycle to Glacier then
 * expiry) and to an encrypted CloudWatch log group for queries and alarms.
 *
 * Audit evidence outlives the stack: the buckets, the log group and the key
 * are retained whatever the environment's removal policy says.
 * See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
 */
export class AuditTrail extends Construct {
  /** The trail. */
  readonly trail: cloudtrail.Trail;
  /** The archive of log files. */
  readonly bucket: s3.IBucket;
  /** The key of the archive, the trail and the log group. */
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { logRetentionDays, archiveRetentionDays, objectLock } = props.retention;
    if (archiveRetentionDays < TRAIL_ARCHIVE_TRANSITION_DAYS) {
      throw new Error(
        `AuditTrail ${id}: retention.archiveRetentionDays ${archiveRetentionDays} must be at least ${TRAIL_ARCHIVE_TRANSITION_DAYS}`,
      );
    }
    const stack = Stack.of(this);
    const trailArn = stack.formatArn({
      service: 'cloudtrail',
      resource: 'trail',
      resourceName: props.trailName,
    });

    // A key CloudWatch Logs may use (for the log group), extended for CloudTrail below.
    const { key } = new LogsEncryptionKey(this, 'Key', {
      description: `Encrypts the CloudTrail trail ${props.trailName}, its archive and its log group`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsThisTrailsLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*`,
          },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesTheKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    const expiration = Duration.days(archiveRetentionDays);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Server access log delivery supports SSE-S3 only on the target bucket.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ expiration, noncurrentVersionExpiration: expiration }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeFindings(
      accessLogs,
      [nist('S3DefaultEncryptionKMS'), controlTower('s3_bucket_default_encryption_kms_check')],
      'Server access log delivery supports SSE-S3 only on the target bucket ' +
        '(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).',
    );
    acknowledgeFindings(
      accessLogs,
      [controlTower('s3_bucket_logging_enabled_check')],
      'This bucket is the server access log target of the CloudTrail archive; logging it to another bucket would only move the same finding there.',
    );
    acknowledgeLogArchiveBucket(accessLogs, ACCESS_LOG_TARGET_OBJECT_LOCK);
    Validations.of(accessLogs.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log target of the CloudTrail archive; logging it to another bucket would only move the same finding there.',
    });

    const bucket = new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      versioned: true,
      // Every log file is locked from its first write; the archive's lifecycle
      // expires it only after the lock ends (validation keeps retentionDays
      // within archiveRetentionDays).
      // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
      ...(objectLock && {
        objectLockEnabled: true,
        objectLockDefaultRetention:
          objectLock.mode === 'COMPLIANCE'
            ? s3.ObjectLockRetention.compliance(Duration.days(objectLock.retentionDays))
            : s3.ObjectLockRetention.governance(Duration.days(objectLock.retentionDays)),
      }),
      lifecycleRules: [
        {
          transitions:
            archiveRetentionDays > TRAIL_ARCHIVE_TRANSITION_DAYS
              ? [
                  {
                    storageClass: s3.StorageClass.GLACIER,
                    transitionAfter: Duration.days(TRAIL_ARCHIVE_TRANSITION_DAYS),
                  },
                ]
              : [],
          expiration,
          noncurrentVersionExpiration: expiration,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeLogArchiveBucket(bucket, objectLock ? null : undefined);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: key,
      retention: logRetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket,
      encryptionKey: key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    this.bucket = bucket;
    this.key = key;
  }
}
