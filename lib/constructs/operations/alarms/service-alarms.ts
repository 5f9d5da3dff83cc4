import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../../config';
import { PlatformAlarm } from '../platform-alarm';
import { ALARM_PERIOD, difference } from './metric-math';

/** Properties of {@link ServiceAlarms}. */
export interface ServiceAlarmsProps {
  /** The ECS service. */
  readonly service: ecs.BaseService;
  /** The service's name, as people know it. */
  readonly serviceName: string;
  /** The environment's thresholds. */
  readonly thresholds: AlarmThresholds;
}

/** CPU and memory are judged over ten minutes: autoscaling reacts within that time. */
const SATURATION_MINUTES = 10;

/**
 * What every ECS service reports, routed or not: running tasks below the
 * desired count (Container Insights, enabled on the cluster), and CPU and
 * memory close to the tasks' limits. Running below desired also rolls back
 * the service's deployments.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 * and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
 */
export class ServiceAlarms extends Construct {
  /** Running tasks below desired. */
  readonly tasksBelowDesired: PlatformAlarm;
  /** Average CPU utilisation. */
  readonly cpu: PlatformAlarm;
  /** Average memory utilisation. */
  readonly memory: PlatformAlarm;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { service, serviceName, thresholds } = props;
    const insight = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap: {
          ClusterName: service.cluster.clusterName,
          ServiceName: service.serviceName,
        },
        statistic: 'Average',
        period: ALARM_PERIOD,
      });
    const running = insight('RunningTaskCount');
    const desired = insight('DesiredTaskCount');
    this.tasksBelowDesired = new PlatformAlarm(this, 'TasksBelowDesired', {
      metric: difference(this, desired, running, `${serviceName} tasks missing`),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: thresholds.tasksBelowDesiredMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `${serviceName} has run fewer tasks than desired for ${thresholds.tasksBelowDesiredMinutes} minutes: it has less capacity, and with no task left its requests or jobs fail.`,
      firstCheck: `the events of ${serviceName} in the ECS console (tasks failing to start or stopping) and the stopped reason of its last tasks.`,
      runbook: 'tasks-below-desired',
      panel: {
        section: 'services',
        title: 'Tasks missing (desired - running)',
        label: serviceName,
        context: [
          {
            title: 'Running and desired tasks',
            metric: running.with({ label: `${serviceName} running` }),
          },
          {
            title: 'Running and desired tasks',
            metric: desired.with({ label: `${serviceName} desired` }),
          },
        ],
      },
    });
    const saturation = {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: SATURATION_MINUTES,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      runbook: 'service-saturation',
    } as const;
    this.cpu = new PlatformAlarm(this, 'Cpu', {
      ...saturation,
      metric: service.metricCpuUtilization({ period: ALARM_PERIOD, statistic: 'Average' }),
      threshold: thresholds.serviceCpuPercent,
      impact: `${serviceName} has used ${thresholds.serviceCpuPercent}% or more of its CPU for ${SATURATION_MINUTES} minutes: its responses slow down.`,
      firstCheck: `whether ${serviceName} already runs its maximum task count (maxCount in config) and what changed in its traffic.`,
      panel: { section: 'services', title: 'CPU utilisation (%)', label: serviceName },
    });
    this.memory = new PlatformAlarm(this, 'Memory', {
      ...saturation,
      metric: service.metricMemoryUtilization({ period: ALARM_PERIOD, statistic: 'Average' }),
      threshold: thresholds.serviceMemoryPercent,
      impact: `${serviceName} has used ${thresholds.serviceMemoryPercent}% or more of its memory for ${SATURATION_MINUTES} minutes: its tasks are close to being killed (OutOfMemory) and restarted.`,
      firstCheck: `the memory graph of ${serviceName} since its last deployment (a leak grows steadily) and the stopped reason of its last tasks.`,
      panel: { section: 'services', title: 'Memory utilisation (%)', label: serviceName },
    });
  }
}
