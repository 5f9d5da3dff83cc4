import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Monitoring } from '../constructs/operations/monitoring';
import { PermissionsBoundary } from '../constructs/security/permissions-boundary';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** What other stacks use of operations. */
export interface OperationsHandles {
  /** The notifications topic and the alarm seam (`monitoring.addAlarm`, run on every alarm). */
  readonly monitoring: Monitoring;
  /** The notifications topic. */
  readonly notificationsTopic: sns.ITopic;
  /** The `/<env>/` parameters (`parameters.addSecret` / `addPlainParameter`). */
  readonly parameters: SecretParameterRegistry;
  /** The permissions boundary the stage's Aspect puts on every role. */
  readonly permissionsBoundary: PermissionsBoundary;
}

/**
 * What every other stack of the environment builds on, deployed first: the
 * permissions boundary of every role, the notifications topic (e-mail and
 * Slack) with the monitoring every alarm registers with, and the `/<env>/`
 * parameter registry, which publishes the topic's and the boundary's ARNs
 * for the pipeline. The dashboard, which shows the other stacks' resources,
 * is deployed last (`DashboardStack`).
 */
export class OperationsStack extends PlatformStack {
  /** What other stacks take. */
  readonly operations: OperationsHandles;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { config } = props;
    const permissionsBoundary = new PermissionsBoundary(this, 'PermissionsBoundary', {
      policyName: `${config.name}-permissions-boundary`,
    });
    const monitoring = new Monitoring(this, 'Monitoring', {
      environmentName: config.name,
      runbookBaseUrl: config.operations.runbookBaseUrl,
      notifications: config.operations.notifications,
      removalPolicy: config.derived.removalPolicy,
    });
    const parameters = new SecretParameterRegistry(this, 'Parameters', {
      environmentName: config.name,
    });
    parameters.addPlainParameter('notifications-topic-arn', {
      description: 'SNS topic of the environment: the pipeline publishes deployment results here',
      value: monitoring.topic.topicArn,
    });
    // Secrets of other systems (API keys, tokens) that services name in their `secrets`.
    for (const [name, secret] of Object.entries(config.secrets ?? {})) {
      parameters.addSecret(name, {
        description: secret.description,
        source: secret.secretArn
          ? { kind: 'existing', secretArn: secret.secretArn, encryptionKeyArn: secret.kmsKeyArn }
          : {
              kind: 'generated',
              withoutRotationBecause:
                'A credential issued by another system: its value is set by hand after the first deployment, and that system rotates it.',
            },
      });
    }
    parameters.addPlainParameter('permissions-boundary-arn', {
      description:
        'Permissions boundary every role must carry (e.g. for cdk bootstrap --custom-permissions-boundary)',
      value: permissionsBoundary.policy.managedPolicyArn,
    });
    this.operations = {
      monitoring,
      notificationsTopic: monitoring.topic,
      parameters,
      permissionsBoundary,
    };
  }
}
