import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of {@link LogsEncryptionKey}. */
export interface LogsEncryptionKeyProps {
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /** What happens to the key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A customer-managed KMS key, rotated yearly, that CloudWatch Logs may use
 * for the log groups of this account and region only.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class LogsEncryptionKey extends Construct {
  /** The key. */
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: LogsEncryptionKeyProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    this.key = key;
  }
}
