import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of {@link DeploymentFailureRule}. */
export interface DeploymentFailureRuleProps {
  /** The ECS service. */
  readonly service: ecs.IService;
  /** The service's name, as people know it. */
  readonly serviceName: string;
  /** Where the failure is sent: the environment's notifications topic. */
  readonly topic: sns.ITopic;
  /** The `deployment-failed` runbook's link, named in the rule's description. */
  readonly runbookUrl: string;
}

/**
 * Tells people when a deployment of the service fails (the circuit breaker
 * or a deployment alarm stopped it and ECS rolled the service back): ECS's
 * `SERVICE_DEPLOYMENT_FAILED` event goes to the notifications topic as the
 * original event, like the GuardDuty findings (its `detail.reason` says why).
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
 */
export class DeploymentFailureRule extends Construct {
  /** The EventBridge rule. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DeploymentFailureRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: `Failed deployments of ${props.serviceName} to the notifications topic; runbook: ${props.runbookUrl}`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Deployment State Change'],
        resources: [props.service.serviceArn],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
      targets: [new targets.SnsTopic(props.topic)],
    });
  }
}
