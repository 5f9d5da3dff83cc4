import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Monitoring } from '../constructs/operations/monitoring';

/**
 * Whether an alarm drives automation rather than people: the alarms that
 * step scaling policies create (queue depth up and down) are in ALARM
 * whenever scaling should act, so notifying on them would be noise.
 */
export function isScalingAlarm(alarm: IConstruct): boolean {
  return alarm.node.scopes.some((scope) => scope instanceof appscaling.StepScalingPolicy);
}

/**
 * Registers every alarm of a stage with the environment's monitoring
 * (`Monitoring.addAlarm`: name, runbook link, ALARM and OK to the topic of
 * its region, dashboard), so an alarm added anywhere, by any construct,
 * reaches a person without its author wiring it. Scaling alarms are left to
 * their policies; an alarm registered explicitly is not registered twice.
 */
export class AlarmRegistration implements IAspect {
  constructor(private readonly monitoring: Monitoring) {}

  visit(node: IConstruct): void {
    const isAlarm = node instanceof cloudwatch.Alarm || node instanceof cloudwatch.CompositeAlarm;
    if (isAlarm && !isScalingAlarm(node) && !this.monitoring.isRegistered(node)) {
      this.monitoring.addAlarm(node);
    }
  }
}
