import { Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AwsConfigSettings } from '../../../config';
import { nagResourceName } from '../../aspects/nag-resource-name';
import { ArchiveBucket } from './archive-bucket';

/**
 * The AWS-managed policy that lets AWS Config read the configuration of
 * every supported resource type; AWS extends it as types are added.
 * Checked 2026-12-02: https://docs.aws.amazon.com/config/latest/developerguide/security-iam-awsmanpol.html
 * (AWS_ConfigRole, attached under `service-role/`).
 */
export const CONFIG_RECORDER_MANAGED_POLICY = 'service-role/AWS_ConfigRole';

/** Properties of {@link ConfigRecorder}. */
export interface ConfigRecorderProps {
  /** Whether global resource types are recorded here, and how long the history is kept. */
  readonly settings: AwsConfigSettings;
}

/**
 * The account+region's AWS Config recorder: every supported resource type,
 * recorded continuously (global types only where `recordGlobalResourceTypes`
 * says, one region per account), delivered daily as snapshots and on every
 * change as history to a KMS-encrypted archive. Security Hub's controls read
 * what it records. AWS Config allows one customer-managed recorder per
 * account and region, so only the baseline owner in mode `create` has one.
 * See https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
 * and https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 */
export class ConfigRecorder extends Construct {
  /** The recorder. */
  readonly recorder: config.CfnConfigurationRecorder;
  /** Delivers to {@link archive}. */
  readonly deliveryChannel: config.CfnDeliveryChannel;
  /** The history and snapshots. */
  readonly archive: ArchiveBucket;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { recordGlobalResourceTypes, archiveRetentionDays } = props.settings;
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the AWS Config history and snapshots',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.archive = new ArchiveBucket(this, 'Archive', { key, retentionDays: archiveRetentionDays });
    const { bucket } = this.archive;

    // A customer-managed role (not the service-linked one, which an account may already
    // have from another service) that CloudFormation can create and the boundary covers.
    // https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'AWS Config recorder: reads resource configuration, writes to its archive',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(CONFIG_RECORDER_MANAGED_POLICY)],
    });
    const deliveryObjects = bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/Config/*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeliverToTheArchive',
        actions: ['s3:PutObject'],
        resources: [deliveryObjects],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CheckTheArchive',
        actions: ['s3:GetBucketAcl'],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptForTheArchive',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    );
    Validations.of(role.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      reason:
        'AWS_ConfigRole is the read-only policy AWS maintains for the recorder: it follows every resource type AWS Config adds, which a hand-written list cannot.',
    });
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as Construct;
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(this).resolve(deliveryObjects))}]`,
      reason:
        'AWS Config names its objects AWSLogs/<account>/Config/<region>/<date>/...; the grant is limited to that prefix of its own archive.',
    });

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: recordGlobalResourceTypes },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // AWS Config accepts a delivery channel only once the recorder exists, and checks that
    // the recorder's role can write to the archive: the role's policy must be in place.
    this.deliveryChannel.node.addDependency(this.recorder, role, this.archive);
  }
}
