import { IAspect, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { appProtocolOf, containersOf, failGuardrail, ResolvedContainer } from './synth-guardrail';

/** The app protocol each target group protocol version speaks to its targets. */
const PROTOCOL_OF_VERSION: Readonly<Record<string, string>> = {
  HTTP1: 'http',
  HTTP2: 'http2',
  GRPC: 'grpc',
};

interface ServiceLoadBalancer {
  readonly containerName?: string;
  readonly containerPort?: number;
  readonly targetGroupArn?: unknown;
}

/**
 * Synth-time guardrails from the seed's war stories that hold whatever the
 * mesh (Service Connect or the App Mesh reference design). Each one fails
 * synth with the resource, the problem and the fix:
 *
 * - an `awsfirelens` log option named `Match` (duplicated matches sent every
 *   batch twice: DataAlreadyAcceptedException);
 * - a load balancer target group whose protocol version differs from the
 *   protocol of the container port it forwards to (HTTP/2 to an HTTP/1.1 app:
 *   "upstream connect error"). App Mesh's own listeners get the same check in
 *   {@link AppMeshGuardrails}.
 */
export class MeshGuardrails implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof ecs.CfnTaskDefinition) {
      for (const container of containersOf(node)) {
        this.checkFirelensOptions(node, container);
      }
    } else if (node instanceof ecs.CfnService) {
      this.checkTargetProtocols(node);
    }
  }

  private checkFirelensOptions(node: ecs.CfnTaskDefinition, container: ResolvedContainer): void {
    const log = container.logConfiguration;
    if (log?.logDriver !== 'awsfirelens') {
      return;
    }
    const match = Object.keys(log.options ?? {}).find((key) => key.toLowerCase() === 'match');
    if (match) {
      failGuardrail(
        node,
        'firelens-match',
        `Container "${container.name}" sets the awsfirelens log option "${match}". FireLens generates the match ` +
          'rule itself; a second one sends every batch twice and CloudWatch rejects them (DataAlreadyAcceptedException). ' +
          'Remove the option.',
      );
    }
  }

  private checkTargetProtocols(node: ecs.CfnService): void {
    const stack = Stack.of(node);
    const loadBalancers = (stack.resolve(node.loadBalancers) ?? []) as ServiceLoadBalancer[];
    const taskDefinitionRef = JSON.stringify(stack.resolve(node.taskDefinition));
    const constructs = stack.node.findAll();
    const taskDefinition = constructs.find(
      (c): c is ecs.CfnTaskDefinition =>
        c instanceof ecs.CfnTaskDefinition &&
        JSON.stringify(stack.resolve(c.ref)) === taskDefinitionRef,
    );
    if (!taskDefinition) {
      return;
    }
    const containers = containersOf(taskDefinition);
    for (const target of loadBalancers) {
      const targetGroup = constructs.find(
        (c): c is elbv2.CfnTargetGroup =>
          c instanceof elbv2.CfnTargetGroup &&
          JSON.stringify(stack.resolve(c.ref)) === JSON.stringify(target.targetGroupArn),
      );
      const mapping = containers
        .find((c) => c.name === target.containerName)
        ?.portMappings?.find((m) => m.containerPort === target.containerPort);
      if (!targetGroup || !mapping) {
        continue;
      }
      const version = (stack.resolve(targetGroup.protocolVersion) as string | undefined) ?? 'HTTP1';
      const appProtocol = appProtocolOf(mapping);
      if (PROTOCOL_OF_VERSION[version] !== appProtocol) {
        failGuardrail(
          targetGroup,
          'target-protocol',
          `The target group speaks ${version} to container "${target.containerName}" port ${target.containerPort}, ` +
            `which speaks ${appProtocol} ("upstream connect error"): make the target group's protocol version the ` +
            "service's protocol.",
        );
      }
    }
  }
}
