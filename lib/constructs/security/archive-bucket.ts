import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { TRAIL_ARCHIVE_TRANSITION_DAYS } from '../../../config';
import {
  ACCESS_LOG_TARGET_OBJECT_LOCK,
  acknowledgeFindings,
  acknowledgeLogArchiveBucket,
  controlTower,
  nist,
} from '../../compliance/acknowledge';

/** Properties of {@link ArchiveBucket}. */
export interface ArchiveBucketProps {
  /** Encrypts the archive. */
  readonly key: kms.IKey;
  /** Days a file is kept; files move to Glacier after {@link TRAIL_ARCHIVE_TRANSITION_DAYS}. */
  readonly retentionDays: number;
}

/**
 * An S3 archive of audit evidence a service delivers (AWS Config history):
 * KMS-encrypted, versioned, TLS only, no public access, server access
 * logging to a bucket of its own, Glacier after 90 days, expiry of current
 * and noncurrent versions. Evidence outlives the stack: both buckets are
 * retained whatever the environment's removal policy says.
 * See https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class ArchiveBucket extends Construct {
  /** The archive. */
  readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const { retentionDays } = props;
    if (retentionDays < TRAIL_ARCHIVE_TRANSITION_DAYS) {
      throw new Error(
        `ArchiveBucket ${id}: retentionDays ${retentionDays} must be at least ${TRAIL_ARCHIVE_TRANSITION_DAYS}`,
      );
    }
    const expiration = Duration.days(retentionDays);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Server access log delivery supports SSE-S3 only on the target bucket.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration, noncurrentVersionExpiration: expiration }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogTarget =
      'This bucket is the server access log target of the archive; logging it to another bucket would only move the same finding there.';
    Validations.of(accessLogs.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-S1',
      reason: accessLogTarget,
    });
    acknowledgeFindings(
      accessLogs,
      [controlTower('s3_bucket_logging_enabled_check')],
      accessLogTarget,
    );
    acknowledgeFindings(
      accessLogs,
      [nist('S3DefaultEncryptionKMS'), controlTower('s3_bucket_default_encryption_kms_check')],
      'Server access log delivery supports SSE-S3 only on the target bucket ' +
        '(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).',
    );
    acknowledgeLogArchiveBucket(accessLogs, ACCESS_LOG_TARGET_OBJECT_LOCK);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        {
          transitions:
            retentionDays > TRAIL_ARCHIVE_TRANSITION_DAYS
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
    acknowledgeLogArchiveBucket(this.bucket);
  }
}
