import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlarmThresholds, DatabaseConfig } from '../../../config';
import { AwsApiEgress } from '../network/aws-api-egress';
import { PlatformSubnets } from '../network/platform-vpc';
import { AuroraDatabase } from './aurora-database';
import { IdentityDatabase } from './identity-database';
import { PeeredDatabase } from './peered-database';

/** Properties of {@link addIdentityDatabase}. */
export interface IdentityDatabaseProps {
  /** The database settings: `managed` or `peered`. */
  readonly config: DatabaseConfig;
  /** The environment's name (the Aurora cluster is `<env>-identity`). */
  readonly environmentName: string;
  /** How the master secret's rotation function reaches the Secrets Manager API. */
  readonly awsApis: AwsApiEgress;
  /** The VPC and its subnets. */
  readonly vpc: ec2.IVpc;
  readonly subnets: PlatformSubnets;
  /** Deletion protection of the Aurora cluster. */
  readonly deletionProtection: boolean;
  /** Removal policy of an Aurora cluster (`SNAPSHOT` keeps a final snapshot), its key and log group. */
  readonly snapshotRemovalPolicy: RemovalPolicy;
  /** Removal policy of a peered database's key of the roles' secrets. */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of the exported PostgreSQL log. */
  readonly logRetention: logs.RetentionDays;
  /** The key of an Aurora cluster's exported PostgreSQL log group. */
  readonly logsKey: kms.IKey;
  /** Whether an Aurora cluster enrols in RDS Extended Support (`TierPolicy.databaseExtendedSupport`). */
  readonly extendedSupport: boolean;
  /** Thresholds of an Aurora cluster's alarms. */
  readonly alarmThresholds: AlarmThresholds;
  /** Seconds between enhanced-monitoring samples of an Aurora cluster's instances, or none. */
  readonly monitoringIntervalSeconds?: number;
  /** Days an Aurora cluster's AWS Backup plan keeps a recovery point, or no plan. */
  readonly backupPlanRetentionDays?: number;
}

/**
 * Builds the configured database in `scope` as `Database`: an Aurora cluster
 * in the isolated subnets (`managed`) or the peering to an existing one
 * (`peered`), the construct ID both have always had.
 */
export function addIdentityDatabase(
  scope: Construct,
  props: IdentityDatabaseProps,
): IdentityDatabase {
  const { config, subnets } = props;
  return config.mode === 'managed'
    ? new AuroraDatabase(scope, 'Database', {
        config,
        vpc: props.vpc,
        subnets: subnets.isolated,
        rotationSubnets: subnets.privateWithEgress,
        awsApis: props.awsApis,
        deletionProtection: props.deletionProtection,
        clusterIdentifier: `${props.environmentName}-identity`,
        removalPolicy: props.snapshotRemovalPolicy,
        logRetention: props.logRetention,
        logsKey: props.logsKey,
        extendedSupport: props.extendedSupport,
        alarmThresholds: props.alarmThresholds,
        monitoringIntervalSeconds: props.monitoringIntervalSeconds,
        backupPlanRetentionDays: props.backupPlanRetentionDays,
      })
    : new PeeredDatabase(scope, 'Database', {
        config,
        vpc: props.vpc,
        clientSubnets: subnets.privateWithEgress,
        removalPolicy: props.removalPolicy,
      });
}
