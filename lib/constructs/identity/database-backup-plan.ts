import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';

/** Properties of {@link DatabaseBackupPlan}. */
export interface DatabaseBackupPlanProps {
  /** The cluster the plan backs up. */
  readonly cluster: rds.IDatabaseCluster;
  /** The plan's name, which AWS Backup's console and job reports show (the cluster identifier). */
  readonly planName: string;
  /** The database's key, which also encrypts the vault. */
  readonly key: kms.IKey;
  /** How long a daily recovery point is kept. */
  readonly retention: Duration;
  /** Removal policy of the vault (`RETAIN` or `DESTROY`). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An AWS Backup plan for the Aurora cluster: a daily snapshot kept for
 * `retention` in a vault of its own, encrypted with the database's key, beside
 * Aurora's continuous backup (point-in-time restore). A recovery point in the
 * vault survives the cluster and its automated backups, and AWS Backup reports
 * each job's outcome.
 *
 * The selection's role is created by aws-cdk-lib with the AWS managed policy
 * `service-role/AWSBackupServiceRolePolicyForBackup`
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html,
 * https://github.com/aws/aws-cdk/issues/27900, checked 2026-12-02); the
 * permissions boundary aspect reaches it like every role of the stage.
 *
 * No vault lock: a compliance-mode lock cannot be removed once its grace time
 * ends, so it belongs to a decision about the whole organisation's backups.
 * See https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export class DatabaseBackupPlan extends Construct {
  /** The vault of the recovery points. */
  readonly vault: backup.BackupVault;
  /** The plan. */
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: DatabaseBackupPlanProps) {
    super(scope, id);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.planName,
      backupVault: this.vault,
      backupPlanRules: [
        // 03:00 UTC, outside the business day; AWS Backup starts the job within its
        // default one-hour start window. See https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: props.retention,
        }),
      ],
    });
    const selection = this.plan.addSelection('Cluster', {
      resources: [backup.BackupResource.fromRdsDatabaseCluster(props.cluster)],
    });
    Validations.of(selection.node.findChild('Role').node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "The AWS managed service-role policy AWS Backup documents for backup jobs; AWS keeps it current with the service's snapshot and tagging calls, and the role is assumable by backup.amazonaws.com only.",
    });
  }
}
