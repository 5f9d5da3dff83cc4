import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';

/** Properties of {@link EncryptedFlowLog}. */
export interface EncryptedFlowLogProps {
  /** The VPC whose traffic (accepted and rejected) is logged. */
  readonly vpc: ec2.IVpc;
  /** How long CloudWatch Logs keeps the records. */
  readonly retention: logs.RetentionDays;
  /** What happens to the log group and its key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * VPC flow logs (all traffic) to a CloudWatch log group encrypted with a
 * customer-managed KMS key that rotates yearly.
 */
export class EncryptedFlowLog extends Construct {
  /** The key that encrypts the log group. */
  readonly key: kms.IKey;
  /** The log group that receives the flow log records. */
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: EncryptedFlowLogProps) {
    super(scope, id);

    const { key } = new LogsEncryptionKey(this, 'Key', {
      description: 'Encrypts the VPC flow log group',
      removalPolicy: props.removalPolicy,
    });

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: key,
      retention: props.retention,
      removalPolicy: props.removalPolicy,
    });

    new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.key = key;
    this.logGroup = logGroup;
  }
}
