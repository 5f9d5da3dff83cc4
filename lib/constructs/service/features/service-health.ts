import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmThresholds } from '../../../../config';
import { ServiceAlarms } from '../../operations/alarms/service-alarms';
import { PlatformAlarm } from '../../operations/platform-alarm';
import { DeploymentFailureRule } from '../deployment-failure-rule';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/** Where a service's failed deployments are told. */
export interface DeploymentNotifications {
  /** The environment's notifications topic. */
  readonly topic: sns.ITopic;
  /** The `deployment-failed` runbook's link. */
  readonly runbookUrl: string;
}

/**
 * What every service is watched for: running tasks below desired, CPU and
 * memory (`ServiceAlarms`), and its failed deployments sent to the
 * notifications topic. Running below desired also rolls deployments back.
 */
export class ServiceHealth implements ServiceFeature {
  /** The alarms, once the service exists. */
  alarms?: ServiceAlarms;

  constructor(
    private readonly thresholds: AlarmThresholds,
    private readonly deployments: DeploymentNotifications,
  ) {}

  useService({ scope, spec, service }: ServiceInstance): void {
    this.alarms = new ServiceAlarms(scope, 'Alarms', {
      service,
      serviceName: spec.name,
      thresholds: this.thresholds,
    });
    new DeploymentFailureRule(scope, 'DeploymentFailed', {
      service,
      serviceName: spec.name,
      topic: this.deployments.topic,
      runbookUrl: this.deployments.runbookUrl,
    });
  }

  deploymentAlarms(): readonly PlatformAlarm[] {
    return this.alarms ? [this.alarms.tasksBelowDesired] : [];
  }
}
