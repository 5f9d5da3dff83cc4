import { Construct } from 'constructs';
import { Monitoring } from '../constructs/operations/monitoring';
import { PermissionsBoundary } from '../constructs/security/permissions-boundary';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { removalPolicyOf } from '../defaults';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/**
 * What every other stack of the environment builds on, deployed first: the
 * permissions boundary of every role, the notifications topic and dashboard
 * (register alarms with `monitoring.addAlarm`), and the `/<env>/` parameter
 * registry (register secrets and settings with `parameters.addSecret` /
 * `parameters.addPlainParameter`).
 */
export class OperationsStack extends PlatformStack {
  /** The permissions boundary the stage's Aspect puts on every role. */
  readonly permissionsBoundary: PermissionsBoundary;
  /** Notifications topic, dashboard and the alarm seam. */
  readonly monitoring: Monitoring;
  /** The environment's `/<env>/` parameters. */
  readonly parameters: SecretParameterRegistry;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.permissionsBoundary = new PermissionsBoundary(this, 'PermissionsBoundary', {
      policyName: `${config.name}-permissions-boundary`,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      environmentName: config.name,
      emails: config.notifications?.emails,
      removalPolicy: removalPolicyOf(config.removalPolicy),
    });
    this.parameters = new SecretParameterRegistry(this, 'Parameters', {
      environmentName: config.name,
    });

    this.parameters.addPlainParameter('notifications-topic-arn', {
      description: 'SNS topic of the environment: the pipeline publishes deployment results here',
      value: this.monitoring.topic.topicArn,
    });
    this.parameters.addPlainParameter('permissions-boundary-arn', {
      description:
        'Permissions boundary every role must carry (e.g. for cdk bootstrap --custom-permissions-boundary)',
      value: this.permissionsBoundary.policy.managedPolicyArn,
    });
  }
}
