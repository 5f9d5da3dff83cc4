import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  acknowledgeFindings,
  acknowledgeLogArchiveBucket,
  controlTower,
  nist,
} from '../../compliance/acknowledge';

/** Properties of {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** Days before log objects expire. */
  readonly expirationDays: number;
  /** What happens to the bucket when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Object ownership. Log services that write with ACLs (CloudFront standard
   * logging) need `BUCKET_OWNER_PREFERRED`.
   * @default s3.ObjectOwnership.BUCKET_OWNER_ENFORCED (ACLs disabled)
   */
  readonly objectOwnership?: s3.ObjectOwnership;
}

/**
 * An access-log bucket (load balancer, CloudFront): SSE-S3 (the only
 * encryption ELB log delivery supports), TLS-only, no public access, objects
 * expiring.
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned, so a deleted or overwritten log object can be recovered until it expires.
      versioned: true,
      lifecycleRules: [
        {
          expiration: Duration.days(props.expirationDays),
          noncurrentVersionExpiration: Duration.days(props.expirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(bucket.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is itself an access-log destination (load balancer or CloudFront); logging its own accesses to another bucket would only move the same finding one bucket further.',
    });
    acknowledgeFindings(
      bucket,
      [nist('S3DefaultEncryptionKMS'), controlTower('s3_bucket_default_encryption_kms_check')],
      'Load balancer access logs support SSE-S3 only on the destination bucket ' +
        '(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), and ' +
        'one bucket construct serves both log services; the objects are encrypted at rest with SSE-S3.',
    );
    acknowledgeFindings(
      bucket,
      [nist('S3BucketLoggingEnabled'), controlTower('s3_bucket_logging_enabled_check')],
      'This bucket is itself an access-log destination; logging its accesses to another bucket would only move the same finding one bucket further.',
    );
    acknowledgeLogArchiveBucket(bucket);
    this.bucket = bucket;
  }
}
