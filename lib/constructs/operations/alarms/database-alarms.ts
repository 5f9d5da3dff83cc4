import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD } from './metric-math';

/** Properties of {@link DatabaseAlarms}. */
export interface DatabaseAlarmsProps {
  /** The Aurora Serverless v2 cluster. */
  readonly cluster: rds.DatabaseCluster;
  /** Its reader count: replica lag is watched only with readers. */
  readonly readers: number;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/** Load is judged over ten minutes: Serverless v2 scales within seconds, so a long high is real. */
const LOAD_MINUTES = 10;
/** Connections, memory and lag: five minutes. */
const SHORT_MINUTES = 5;
const MIB = 1024 * 1024;

/**
 * The database's signals, on the cluster dimension (the busiest instance,
 * with the Maximum or Minimum statistic): CPU, connections, freeable memory,
 * capacity at the configured maximum (it cannot scale further), and replica
 * lag when readers exist. Missing data is not breaching: a development
 * cluster with a minimum of 0 ACU pauses and reports nothing.
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
 * and https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.viewing.monitoring.html
 */
export class DatabaseAlarms extends Construct {
  /** The alarms, in the order they appear on the dashboard. */
  readonly alarms: readonly PlatformAlarm[];

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const { cluster, thresholds } = props;
    const common = {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    } as const;
    const panel = (title: string) => ({ section: 'database', title, label: 'identity' }) as const;
    const alarms = [
      new PlatformAlarm(this, 'Cpu', {
        ...common,
        metric: cluster.metricCPUUtilization({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        threshold: thresholds.databaseCpuPercent,
        evaluationPeriods: LOAD_MINUTES,
        impact: `The identity database has used ${thresholds.databaseCpuPercent}% or more CPU for ${LOAD_MINUTES} minutes: sign-ins, sign-ups and API requests slow down.`,
        firstCheck:
          'Performance Insights (top SQL by load) and whether the capacity is at its maximum (ACU alarm).',
        runbook: 'database-load',
        panel: panel('Database CPU (%)'),
      }),
      new PlatformAlarm(this, 'Connections', {
        ...common,
        metric: cluster.metricDatabaseConnections({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        threshold: thresholds.databaseConnections,
        evaluationPeriods: SHORT_MINUTES,
        impact: `The identity database has ${thresholds.databaseConnections} or more connections, close to max_connections: new connections are about to be refused.`,
        firstCheck:
          'which clients hold the connections (pg_stat_activity by usename and application_name) and the task counts of the services.',
        runbook: 'database-load',
        panel: panel('Database connections'),
      }),
      new PlatformAlarm(this, 'FreeableMemory', {
        ...common,
        metric: cluster.metricFreeableMemory({ period: ALARM_PERIOD, statistic: 'Minimum' }),
        threshold: thresholds.databaseFreeableMemoryMiB * MIB,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: SHORT_MINUTES,
        impact: `The identity database has less than ${thresholds.databaseFreeableMemoryMiB} MiB of memory left at its maximum capacity: queries spill to disk and slow down, and the instance may restart.`,
        firstCheck: 'the connection count and Performance Insights (memory-heavy queries).',
        runbook: 'database-load',
        panel: panel('Database freeable memory (bytes)'),
      }),
      new PlatformAlarm(this, 'AcuAtMaximum', {
        ...common,
        metric: cluster.metricACUUtilization({ period: ALARM_PERIOD, statistic: 'Maximum' }),
        threshold: thresholds.databaseAcuPercent,
        evaluationPeriods: LOAD_MINUTES,
        impact: `The identity database has run at ${thresholds.databaseAcuPercent}% or more of its maximum capacity for ${LOAD_MINUTES} minutes: it cannot scale further, and more load slows everything.`,
        firstCheck:
          'what drives the load (Performance Insights), then raise database.maxCapacity in config if the load is expected.',
        runbook: 'database-load',
        panel: panel('Capacity used (% of maximum ACU)'),
      }),
      ...(props.readers > 0
        ? [
            new PlatformAlarm(this, 'ReplicaLag', {
              ...common,
              metric: cluster.metric('AuroraReplicaLag', {
                period: ALARM_PERIOD,
                statistic: 'Maximum',
              }),
              threshold: thresholds.databaseReplicaLagMs,
              evaluationPeriods: SHORT_MINUTES,
              impact: `A reader of the identity database lags ${thresholds.databaseReplicaLagMs} ms or more behind the writer: reads there return stale data, and a failover to it would be slower.`,
              firstCheck: "the writer's write load (WriteIOPS, CPU) and the reader's CPU.",
              runbook: 'database-replica-lag',
              panel: panel('Replica lag (ms)'),
            }),
          ]
        : []),
    ];
    this.alarms = alarms;
  }
}
