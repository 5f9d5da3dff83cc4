import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { AlarmThresholds, ManagedDatabaseConfig } from '../../../config';
import { AURORA_POSTGRES_VERSION } from '../../pins';
import { AwsApiEgress } from '../network/aws-api-egress';
import { DatabaseAlarms } from '../operations/alarms/database-alarms';
import { DatabaseBackupPlan } from './database-backup-plan';
import { addDatabaseClientSecurityGroup } from './database-client-security-group';
import { IdentityDatabase } from './identity-database';
import { SecretRotationFunction } from './secret-rotation-function';
import { acknowledgeFindings, controlTower, nist } from '../../compliance/acknowledge';

/** PostgreSQL's port, which the triggers and the config's peered databases also default to. */
export const POSTGRES_PORT = 5432;

/** Name of the database the identity schema (db/migrations) is applied to. */
export const IDENTITY_DATABASE_NAME = 'identity';

/** Properties of {@link AuroraDatabase}. */
export interface AuroraDatabaseProps {
  /** Capacity, readers, backups and rotation. */
  readonly config: ManagedDatabaseConfig;
  /**
   * The cluster identifier, unique per account and region; it also names the
   * log group RDS exports the PostgreSQL log to.
   */
  readonly clusterIdentifier: string;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the cluster: the isolated tier (no route to the internet). */
  readonly subnets: ec2.SubnetSelection;
  /** Subnets of the master secret's rotation function, which calls Secrets Manager: private with egress. */
  readonly rotationSubnets: ec2.SubnetSelection;
  /** How the rotation function reaches the Secrets Manager API. */
  readonly awsApis: AwsApiEgress;
  /** Deletion protection on the cluster (production). */
  readonly deletionProtection: boolean;
  /** Removal policy of the cluster (`SNAPSHOT` keeps a final snapshot), its key and log group. */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of the exported PostgreSQL log and of the rotation function's log. */
  readonly logRetention: logs.RetentionDays;
  /** The key of the exported PostgreSQL log's group and of the rotation function's. */
  readonly logsKey: kms.IKey;
  /**
   * Whether the cluster enrols in RDS Extended Support when its major version
   * leaves standard support (see `TierPolicy.databaseExtendedSupport`). Never
   * left to the default, which enrols the cluster without anyone choosing it.
   */
  readonly extendedSupport: boolean;
  /** Thresholds of the database's alarms. */
  readonly alarmThresholds: AlarmThresholds;
  /**
   * Seconds between enhanced-monitoring samples of every instance, or none
   * (`TierPolicy.databaseMonitoringIntervalSeconds`).
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Days an AWS Backup plan keeps the daily recovery points, or no plan
   * (`TierPolicy.databaseBackupPlanRetentionDays`).
   */
  readonly backupPlanRetentionDays?: number;
}

/**
 * Aurora PostgreSQL Serverless v2: a writer and `readers` readers scaling with
 * it, storage and secret encrypted with a rotating customer-managed key, IAM
 * database authentication, TLS required (`rds.force_ssl`), the credentials in
 * a Secrets Manager secret rotated on a schedule by a function of our own
 * ({@link SecretRotationFunction}, single user), and its alarms (CPU,
 * connections, freeable memory, capacity at the maximum, replica lag).
 * Where the tier asks for them, enhanced monitoring on every instance and a
 * daily AWS Backup plan ({@link DatabaseBackupPlan}).
 *
 * The engine version is a pin (lib/pins.ts) and automatic minor version
 * upgrades are off on the cluster and every instance: the template's
 * `EngineVersion` is what runs, and a minor upgrade is a reviewed change of
 * the pin (the weekly currency check says when). AWS Security Hub's RDS.13
 * and RDS.35 controls report this choice.
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.PostgreSQL.html
 */
export class AuroraDatabase extends Construct implements IdentityDatabase {
  readonly connections: ec2.Connections;
  readonly secret: secretsmanager.ISecret;
  readonly secretsKey: kms.IKey;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port = POSTGRES_PORT;
  readonly databaseName = IDENTITY_DATABASE_NAME;
  /** The cluster. */
  readonly cluster: rds.DatabaseCluster;
  /** The database's alarms. */
  readonly alarms: DatabaseAlarms;
  /** The rotation of the master secret. */
  readonly rotation: SecretRotationFunction;

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    const { config } = props;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.clusterIdentifier)) {
      throw new Error(
        `clusterIdentifier "${props.clusterIdentifier}" is not 1-63 lowercase letters, digits and "-"`,
      );
    }
    if (config.maxCapacity < config.minCapacity) {
      throw new Error(
        `maxCapacity ${config.maxCapacity} is below minCapacity ${config.minCapacity}`,
      );
    }

    // The key, the log group and the backup vault cannot be snapshotted: SNAPSHOT retains them.
    const unsnapshottableRemovalPolicy =
      props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const key = new kms.Key(this, 'Key', {
      description: "Encrypts the identity database, its master secret and its roles' secrets",
      enableKeyRotation: true,
      removalPolicy: unsnapshottableRemovalPolicy,
    });
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: AURORA_POSTGRES_VERSION });
    const cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      engineLifecycleSupport: props.extendedSupport
        ? rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT
        : rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED,
      autoMinorVersionUpgrade: false,
      writer: rds.ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: false }),
      readers: Array.from({ length: config.readers }, (_, index) =>
        rds.ClusterInstance.serverlessV2(`Reader${index + 1}`, {
          scaleWithWriter: true,
          autoMinorVersionUpgrade: false,
        }),
      ),
      serverlessV2MinCapacity: config.minCapacity,
      serverlessV2MaxCapacity: config.maxCapacity,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      port: POSTGRES_PORT,
      defaultDatabaseName: IDENTITY_DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('identity_admin', { encryptionKey: key }),
      storageEncrypted: true,
      storageEncryptionKey: key,
      iamAuthentication: true,
      // Clients must use TLS. See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        description: 'Identity database: TLS required',
        parameters: { 'rds.force_ssl': '1' },
      }),
      backup: { retention: Duration.days(config.backupRetentionDays) },
      clusterIdentifier: props.clusterIdentifier,
      cloudwatchLogsExports: ['postgresql'],
      // OS metrics (processes, memory, file system) beside CloudWatch's instance metrics.
      // aws-cdk-lib creates the role RDS sends them with, with the AWS managed policy
      // service-role/AmazonRDSEnhancedMonitoringRole
      // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html,
      // checked 2026-12-02); the permissions boundary aspect reaches it like every role.
      // See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.html
      monitoringInterval:
        props.monitoringIntervalSeconds === undefined
          ? undefined
          : Duration.seconds(props.monitoringIntervalSeconds),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    // RDS writes the exported log to this group; created first, so it has a retention
    // without the log-retention custom resource. See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.CloudWatch.html
    const logGroup = new logs.LogGroup(this, 'PostgresqlLog', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: unsnapshottableRemovalPolicy,
    });
    cluster.node.addDependency(logGroup);

    // PostgreSQL's standard port: a different port hides nothing from a scan inside the
    // VPC, and the security group admits only the triggers' and services' groups.
    Validations.of(cluster.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'The standard PostgreSQL port is kept on purpose: the security group admits only the trigger and service security groups.',
    });
    if (!props.deletionProtection) {
      Validations.of(cluster.node.defaultChild as IConstruct).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection is on in production only (config tier); development and staging clusters are torn down with their stage.',
      });
    }

    if (!props.deletionProtection) {
      acknowledgeFindings(
        cluster,
        [
          nist('RDSInstanceDeletionProtectionEnabled'),
          controlTower('rds_cluster_deletion_protection_enabled_check'),
        ],
        'Deletion protection is on in production only (config tier); development and staging clusters are torn down with their stage.',
      );
    }
    for (const instance of cluster.node.children.filter(
      (c) => c instanceof rds.CfnDBInstance || c.node.defaultChild instanceof rds.CfnDBInstance,
    )) {
      acknowledgeFindings(
        instance,
        [controlTower('rds_instance_automatic_minor_version_upgrade_enabled_check')],
        'The engine version is pinned in lib/pins.ts and moved by pull request, so `cdk diff` shows every upgrade and the template keeps matching the cluster; automatic minor upgrades would change the engine behind it.',
      );
      if (props.monitoringIntervalSeconds === undefined) {
        acknowledgeFindings(
          instance,
          [
            nist('RDSEnhancedMonitoringEnabled'),
            controlTower('rds_instance_enhanced_monitoring_enabled_check'),
          ],
          'Enhanced monitoring is on in staging and production (config tier); this development instance pauses when idle, its CPU, ACU and connection metrics are in CloudWatch and alarmed, and per-instance OS metrics would be CloudWatch Logs ingestion nobody reads.',
        );
      }
      acknowledgeFindings(
        instance,
        [nist('RDSInBackupPlan')],
        props.backupPlanRetentionDays === undefined
          ? `An AWS Backup plan covers the database in staging and production (config tier); this development cluster is rebuilt with its stage, and Aurora's continuous backup restores it to any second of the last ${config.backupRetentionDays} days (database.backupRetentionDays).`
          : "AWS Backup protects Aurora per cluster, not per instance (an Aurora instance has no storage of its own; a restore creates the cluster: https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html), and this instance's cluster is the selection of the database's backup plan (Backup/Plan/Cluster).",
      );
    }
    if (props.backupPlanRetentionDays !== undefined) {
      new DatabaseBackupPlan(this, 'Backup', {
        cluster,
        planName: props.clusterIdentifier,
        key,
        retention: Duration.days(props.backupPlanRetentionDays),
        removalPolicy: unsnapshottableRemovalPolicy,
      });
    }
    const monitoringRole = cluster.node.tryFindChild('MonitoringRole');
    if (monitoringRole !== undefined) {
      Validations.of(monitoringRole.node.defaultChild as IConstruct).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        reason:
          'The AWS managed service-role policy RDS documents for enhanced monitoring: it allows creating and writing only the RDS* log groups and streams, and AWS keeps it current with the service.',
      });
    }

    this.alarms = new DatabaseAlarms(this, 'Alarms', {
      cluster,
      readers: config.readers,
      thresholds: props.alarmThresholds,
    });
    this.cluster = cluster;
    this.connections = cluster.connections;
    this.secret = cluster.secret!;
    this.secretsKey = key;
    this.endpoint = cluster.clusterEndpoint.hostname;
    // Aurora's reader endpoint balances over the readers, or reaches the writer without any.
    this.readerEndpoint = cluster.clusterReadEndpoint.hostname;

    // The master user changes its own password (single user): nothing else may log in as it.
    this.rotation = new SecretRotationFunction(this, 'Rotation', {
      secret: this.secret,
      secretKey: key,
      strategy: 'single-user',
      automaticallyAfter: Duration.days(config.secretRotationDays),
      label: 'the master user',
      vpc: props.vpc,
      subnets: props.rotationSubnets,
      securityGroup: addDatabaseClientSecurityGroup(this, 'RotationSecurityGroup', {
        vpc: props.vpc,
        database: this,
        description: 'Rotation function of the database master secret',
        https: props.awsApis.to(['secretsmanager'], 'Secrets Manager API'),
        databaseRule: 'Master secret rotation',
      }),
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      removalPolicy: unsnapshottableRemovalPolicy,
    });
  }
}
