import { RemovalPolicy } from 'aws-cdk-lib';
import { EnvironmentTier, RemovalPolicyName, ThreatProtectionMode } from './environment-config';
import { managedDomainListIdsOf, ManagedDomainListName } from './dns-firewall-lists';
import { platformEgressDomains } from './egress-domains';
import type { AlarmThresholds } from './operations-schema';

/**
 * What an environment's tier implies. Validation (`environment-rules.ts`)
 * enforces the `requires`/`allows` rules, and {@link deriveSettings} turns the
 * rest into the settings lib reads, so no construct tests the tier itself.
 */
export interface TierPolicy {
  /** CloudFormation termination protection on every stack of the environment. */
  readonly terminationProtection: boolean;
  /**
   * Deletion protection on the user pools, the database and the load balancer,
   * and the Network Firewall's delete, policy-change and subnet-change protection.
   */
  readonly deletionProtection: boolean;
  /** Each service's `minCount` and `desiredCount` are at least this. */
  readonly minimumTasksPerService: number;
  /** `network.azCount` is at least this. */
  readonly minimumAzs: number;
  /** One NAT gateway per AZ, so an AZ failure does not cut the other AZs' egress. */
  readonly natGatewayPerAz: boolean;
  /** Whether `removalPolicy: 'destroy'` is allowed. */
  readonly allowsDestroy: boolean;
  /** Whether `account` and `region` must be pinned, so a deployment never lands elsewhere. */
  readonly pinsAccountAndRegion: boolean;
  /** Whether tasks may run on Fargate Spot (stopped with two minutes' notice). */
  readonly allowsFargateSpot: boolean;
  /** Whether app clients may redirect to `http://localhost`. */
  readonly allowsHttpRedirects: boolean;
  /** The threat protection the user pools must use, when the tier fixes it. */
  readonly requiredThreatProtection?: ThreatProtectionMode;
  /** A managed database has at least this many readers (a failover target). */
  readonly minimumDatabaseReaders: number;
  /** Whether the admin allow-list must name at least one CIDR. */
  readonly requiresAdminCidrs: boolean;
  /** Virtual-gateway tasks (App Mesh): one per AZ, at least two, when true; otherwise one. */
  readonly gatewayTaskPerAz: boolean;
  /**
   * What happens when the database engine's major version reaches the end of
   * Aurora standard support. AWS fixes the choice when a cluster is created,
   * for its whole life, and leaving it unset enrols the cluster in paid RDS
   * Extended Support without anyone having chosen it, so every tier decides.
   * - true (production, staging): RDS Extended Support. A major upgrade is a
   *   planned, tested change; if it slips past the end of standard support,
   *   the database keeps its version (at a charge) instead of being upgraded
   *   by AWS outside a change window. Staging shares production's lifecycle,
   *   so its rehearsal of the upgrade runs under the same constraints.
   * - false (development): no charge; a development cluster still on the old
   *   major is upgraded by AWS, the earliest warning of an upgrade left late.
   * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/extended-support-creating-db-instance.html
   */
  readonly databaseExtendedSupport: boolean;
  /**
   * Seconds between the OS metrics RDS enhanced monitoring sends to
   * CloudWatch Logs for each database instance (1, 5, 10, 15, 30 or 60), or 0
   * for none. Off in development, where its log ingestion would be a charge
   * for metrics nobody reads on a cluster that pauses.
   * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.html
   */
  readonly databaseMonitoringIntervalSeconds: number;
  /**
   * Days an AWS Backup plan keeps the database's daily recovery points, or 0
   * for no plan (development: Aurora's continuous backup is enough for a
   * database rebuilt with its stage). 35 days is the most Aurora's own
   * continuous backup keeps, so a production recovery point outlives it.
   * See https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
   */
  readonly databaseBackupPlanRetentionDays: number;
  /**
   * ECS Exec into the services' tasks unless `application.ecsExec` (or a
   * service's `ecsExec`) says otherwise. Off in production: a shell in a
   * production container reads its secrets and memory, so it is opened on
   * purpose, for an incident, not left on.
   * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
   */
  readonly ecsExec: boolean;
  /**
   * Whether the CloudTrail archive of a baseline this environment creates
   * must have S3 Object Lock (`securityBaseline.cloudTrail.objectLock`), so
   * audit evidence cannot be deleted or overwritten before its retention ends.
   * See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
   */
  readonly requiresTrailObjectLock: boolean;
  /**
   * Whether every released service image must name its digest in the
   * release manifest (`<tag>@sha256:...`), so what runs is exactly what was
   * reviewed and scanned, whatever happens to the tag.
   */
  readonly requiresImageDigest: boolean;
  /**
   * The thresholds of the watched signals, unless the environment's
   * `operations.alarmThresholds` sets them: development alarms only on what
   * makes it unusable; staging rehearses production's alarms.
   */
  readonly alarmThresholds: AlarmThresholds;
}

/**
 * Production's thresholds: a 1% error rate, a p99 above 1.5 s or a task short
 * for five minutes already reaches people. `databaseConnections` is about 80%
 * of the 2,000 `max_connections` Aurora PostgreSQL Serverless v2 allows with
 * a minimum capacity of 0.5 ACU and a maximum of 16 or more (prod's range).
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
 */
const PRODUCTION_ALARMS: AlarmThresholds = {
  loadBalancer5xxPercent: 1,
  target5xxPercent: 1,
  minimumRequestsPerMinute: 10,
  targetResponseTimeP99Ms: 1500,
  unhealthyTargetMinutes: 3,
  rejectedConnections: 1,
  serviceCpuPercent: 80,
  serviceMemoryPercent: 85,
  tasksBelowDesiredMinutes: 5,
  databaseCpuPercent: 80,
  databaseConnections: 1600,
  databaseFreeableMemoryMiB: 1024,
  databaseAcuPercent: 90,
  databaseReplicaLagMs: 1000,
  queueOldestMessageMinutes: 15,
  triggerDurationP99Ms: 3500,
  cloudFront5xxPercent: 1,
  wafBlockedStdDevs: 3,
  dnsFirewallBlockedQueries: 1,
  networkFirewallDroppedPackets: 1,
};

/**
 * Development's thresholds: wider, for one task per service, a database that
 * pauses, and engineers who break things on purpose. `databaseConnections` is
 * about 80% of the ~450 connections of a 2-ACU maximum (dev's range).
 */
const DEVELOPMENT_ALARMS: AlarmThresholds = {
  ...PRODUCTION_ALARMS,
  loadBalancer5xxPercent: 10,
  target5xxPercent: 10,
  targetResponseTimeP99Ms: 3000,
  unhealthyTargetMinutes: 10,
  serviceCpuPercent: 90,
  serviceMemoryPercent: 90,
  tasksBelowDesiredMinutes: 15,
  databaseCpuPercent: 90,
  databaseConnections: 350,
  databaseFreeableMemoryMiB: 256,
  databaseAcuPercent: 95,
  databaseReplicaLagMs: 5000,
  queueOldestMessageMinutes: 60,
  triggerDurationP99Ms: 4000,
  cloudFront5xxPercent: 10,
  wafBlockedStdDevs: 4,
};

const RELAXED: TierPolicy = {
  terminationProtection: false,
  deletionProtection: false,
  minimumTasksPerService: 1,
  minimumAzs: 2,
  natGatewayPerAz: false,
  allowsDestroy: true,
  pinsAccountAndRegion: false,
  allowsFargateSpot: true,
  allowsHttpRedirects: true,
  minimumDatabaseReaders: 0,
  requiresAdminCidrs: false,
  gatewayTaskPerAz: false,
  databaseExtendedSupport: false,
  databaseMonitoringIntervalSeconds: 0,
  databaseBackupPlanRetentionDays: 0,
  ecsExec: true,
  requiresTrailObjectLock: false,
  requiresImageDigest: false,
  alarmThresholds: DEVELOPMENT_ALARMS,
};

/**
 * The policy of each tier. Staging is relaxed like development on purpose:
 * it has production's shape (AZs, endpoints) by configuration, not by rule,
 * so a staging environment can be torn down and rebuilt; it shares
 * production's database lifecycle.
 */
export const TIER_POLICIES: Readonly<Record<EnvironmentTier, TierPolicy>> = {
  development: RELAXED,
  // Staging rehearses production's alarms; its 4-ACU maximum allows ~900 connections.
  staging: {
    ...RELAXED,
    databaseExtendedSupport: true,
    databaseMonitoringIntervalSeconds: 60,
    databaseBackupPlanRetentionDays: 14,
    alarmThresholds: { ...PRODUCTION_ALARMS, databaseConnections: 700 },
  },
  production: {
    terminationProtection: true,
    deletionProtection: true,
    minimumTasksPerService: 2,
    minimumAzs: 3,
    natGatewayPerAz: true,
    allowsDestroy: false,
    pinsAccountAndRegion: true,
    allowsFargateSpot: false,
    allowsHttpRedirects: false,
    requiredThreatProtection: 'full-function',
    minimumDatabaseReaders: 1,
    requiresAdminCidrs: true,
    gatewayTaskPerAz: true,
    databaseExtendedSupport: true,
    databaseMonitoringIntervalSeconds: 60,
    databaseBackupPlanRetentionDays: 35,
    ecsExec: false,
    requiresTrailObjectLock: true,
    requiresImageDigest: true,
    alarmThresholds: PRODUCTION_ALARMS,
  },
};

/**
 * Maps the config's removal policy name to the CDK value for a resource.
 * `snapshot` only exists for resources that can be snapshotted (databases,
 * volumes); everything else, keys and log groups included, is retained.
 * See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export function removalPolicyOf(
  name: RemovalPolicyName,
  resource: 'snapshottable' | 'other' = 'other',
): RemovalPolicy {
  switch (name) {
    case 'destroy':
      return RemovalPolicy.DESTROY;
    case 'retain':
      return RemovalPolicy.RETAIN;
    case 'snapshot':
      return resource === 'snapshottable' ? RemovalPolicy.SNAPSHOT : RemovalPolicy.RETAIN;
  }
}

/** Settings that follow from the others; computed once, when the config is validated. */
export interface DerivedSettings {
  /** CloudFormation termination protection of every stack. */
  readonly terminationProtection: boolean;
  /** Deletion protection of the user pools, the database and the load balancer. */
  readonly deletionProtection: boolean;
  /** Removal policy of stateful resources that cannot be snapshotted (keys, logs, buckets, queues). */
  readonly removalPolicy: RemovalPolicy;
  /** Removal policy of resources that can be snapshotted (the database). */
  readonly snapshotRemovalPolicy: RemovalPolicy;
  /** Tasks of the App Mesh virtual gateway. */
  readonly gatewayTasks: number;
  /** The path prefixes of every routed service, in service order. */
  readonly routedPrefixes: readonly string[];
  /** Whether the database enrols in RDS Extended Support (see {@link TierPolicy.databaseExtendedSupport}). */
  readonly databaseExtendedSupport: boolean;
  /** Seconds between enhanced-monitoring samples of the database's instances, or none (see {@link TierPolicy.databaseMonitoringIntervalSeconds}). */
  readonly databaseMonitoringIntervalSeconds?: number;
  /** Days the database's AWS Backup plan keeps a recovery point, or none for no plan (see {@link TierPolicy.databaseBackupPlanRetentionDays}). */
  readonly databaseBackupPlanRetentionDays?: number;
  /** ECS Exec into the App Mesh virtual gateway's tasks: `application.ecsExec`, or the tier's (see {@link TierPolicy.ecsExec}). */
  readonly ecsExec: boolean;
  /** The services whose tasks accept ECS Exec: a service's `ecsExec`, or {@link ecsExec}. */
  readonly ecsExecServices: readonly string[];
  /** The tier's alarm thresholds with the environment's `operations.alarmThresholds` applied. */
  readonly alarmThresholds: AlarmThresholds;
  /** The IDs of the AWS managed domain lists DNS Firewall blocks, in the environment's region. */
  readonly managedDomainListIds: Readonly<Record<ManagedDomainListName, string>>;
  /**
   * The domains Network Firewall allows: the platform's own
   * (`platformEgressDomains`), then `network.networkFirewall.allowedDomains`,
   * each once; none when the firewall is off.
   */
  readonly egressAllowList?: readonly string[];
}

/** What {@link deriveSettings} reads. */
interface DerivationInput {
  readonly tier: EnvironmentTier;
  readonly region?: string;
  readonly removalPolicy: RemovalPolicyName;
  readonly network: {
    readonly azCount: number;
    readonly networkFirewall?: { readonly allowedDomains: readonly string[] };
  };
  readonly application: {
    readonly ecsExec?: boolean;
    readonly services: readonly {
      readonly name: string;
      readonly ecsExec?: boolean;
      readonly route?: { readonly pathPrefix: string };
    }[];
    readonly datadog?: { readonly site: string };
  };
  readonly operations: { readonly alarmThresholds?: Partial<AlarmThresholds> };
}

/** The tier policy's 0 ("off") as no value. */
const positiveOrNone = (value: number): number | undefined => (value > 0 ? value : undefined);

/** The settings that follow from an environment's tier and services. */
export function deriveSettings(env: DerivationInput): DerivedSettings {
  const policy = TIER_POLICIES[env.tier];
  const ecsExec = env.application.ecsExec ?? policy.ecsExec;
  return {
    terminationProtection: policy.terminationProtection,
    deletionProtection: policy.deletionProtection,
    removalPolicy: removalPolicyOf(env.removalPolicy),
    snapshotRemovalPolicy: removalPolicyOf(env.removalPolicy, 'snapshottable'),
    gatewayTasks: policy.gatewayTaskPerAz ? Math.max(2, env.network.azCount) : 1,
    routedPrefixes: env.application.services.flatMap((s) =>
      s.route === undefined ? [] : [s.route.pathPrefix],
    ),
    databaseExtendedSupport: policy.databaseExtendedSupport,
    databaseMonitoringIntervalSeconds: positiveOrNone(policy.databaseMonitoringIntervalSeconds),
    databaseBackupPlanRetentionDays: positiveOrNone(policy.databaseBackupPlanRetentionDays),
    ecsExec,
    ecsExecServices: env.application.services
      .filter((s) => s.ecsExec ?? ecsExec)
      .map((s) => s.name),
    alarmThresholds: {
      ...policy.alarmThresholds,
      ...Object.fromEntries(
        Object.entries(env.operations.alarmThresholds ?? {}).filter(([, v]) => v !== undefined),
      ),
    },
    managedDomainListIds: managedDomainListIdsOf(env.region),
    // The firewall needs pinned AZs, which need the region (environment-rules.ts).
    egressAllowList:
      env.network.networkFirewall && env.region
        ? [
            ...new Set([
              ...platformEgressDomains({ ...env, region: env.region }),
              ...env.network.networkFirewall.allowedDomains,
            ]),
          ]
        : undefined,
  };
}
