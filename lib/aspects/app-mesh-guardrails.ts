import { IAspect, Stack } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { GATEWAY_TARGET_GROUP_MARKER } from '../constructs/mesh/app-mesh/virtual-gateway-service';
import { appProtocolOf, containersOf, failGuardrail, ResolvedContainer } from './synth-guardrail';

/** Envoy 1.15 is the first to read APPMESH_RESOURCE_ARN. */
const MIN_ENVOY = [1, 15] as const;

interface VirtualNodeListener {
  readonly portMapping?: { port?: number; protocol?: string };
}

/**
 * Synth-time guardrails from the App Mesh war stories (seed 000), added to
 * the stages of the App Mesh reference design. Each one fails synth with the
 * resource, the problem and the fix:
 *
 * - Envoy without APPMESH_RESOURCE_ARN, or with APPMESH_VIRTUAL_NODE_NAME
 *   (setting both broke envoy-to-app traffic);
 * - an Envoy image tagged `latest` or older than 1.15;
 * - a virtual gateway target group whose health check targets the traffic
 *   port instead of Envoy's admin port (an unhealthy app took the gateway down);
 * - a virtual node listener whose protocol differs from the app port's
 *   (HTTP/2 from Envoy to an HTTP/1.1 app: "upstream connect error").
 *
 * The lessons that hold for every mesh (FireLens `Match`, the load balancer's
 * protocol) are in {@link MeshGuardrails}.
 */
export class AppMeshGuardrails implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof ecs.CfnTaskDefinition) {
      for (const container of containersOf(node)) {
        this.checkEnvoy(node, container);
      }
    } else if (node instanceof elbv2.CfnTargetGroup) {
      this.checkGatewayHealthCheck(node);
    } else if (node instanceof appmesh.CfnVirtualNode) {
      this.checkListenerProtocol(node);
    }
  }

  private checkEnvoy(node: ecs.CfnTaskDefinition, container: ResolvedContainer): void {
    const image = JSON.stringify(container.image ?? '');
    if (!image.includes('aws-appmesh-envoy')) {
      return;
    }
    const variables = (container.environment ?? []).map((e) => e.name);
    const where = `Container "${container.name}"`;
    if (variables.includes('APPMESH_VIRTUAL_NODE_NAME')) {
      failGuardrail(
        node,
        'envoy-virtual-node-name',
        `${where} sets APPMESH_VIRTUAL_NODE_NAME. Envoy 1.15+ takes its mesh resource from APPMESH_RESOURCE_ARN only; ` +
          'setting both broke envoy-to-app traffic. Remove APPMESH_VIRTUAL_NODE_NAME.',
      );
    }
    if (!variables.includes('APPMESH_RESOURCE_ARN')) {
      failGuardrail(
        node,
        'envoy-resource-arn',
        `${where} has no APPMESH_RESOURCE_ARN. Set it to the ARN of the virtual node or gateway this Envoy serves.`,
      );
    }
    const tag = /aws-appmesh-envoy:([^"\\]+)/.exec(image)?.[1] ?? 'latest';
    const version = /^v?(\d+)\.(\d+)/.exec(tag);
    const tooOld =
      version !== null &&
      (Number(version[1]) < MIN_ENVOY[0] ||
        (Number(version[1]) === MIN_ENVOY[0] && Number(version[2]) < MIN_ENVOY[1]));
    if (!version || tooOld) {
      failGuardrail(
        node,
        'envoy-image-tag',
        `${where} runs Envoy image tag "${tag}". Pin a release of v${MIN_ENVOY.join('.')} or newer ` +
          '(e.g. v1.29.12.1-prod); "latest" changes under you and older Envoys ignore APPMESH_RESOURCE_ARN.',
      );
    }
  }

  private checkGatewayHealthCheck(node: elbv2.CfnTargetGroup): void {
    const marker = node.node.metadata.find((m) => m.type === GATEWAY_TARGET_GROUP_MARKER)?.data as
      { adminPort?: number } | undefined;
    if (!marker) {
      return;
    }
    const port = Stack.of(node).resolve(node.healthCheckPort) as string | undefined;
    if (port !== String(marker.adminPort)) {
      failGuardrail(
        node,
        'gateway-health-check',
        `The virtual gateway target group health-checks port ${port ?? 'traffic-port'}, which reaches the ` +
          `applications behind the gateway. Check Envoy's readiness instead: port ${marker.adminPort}, path /ready.`,
      );
    }
  }

  private checkListenerProtocol(node: appmesh.CfnVirtualNode): void {
    const spec = Stack.of(node).resolve(node.spec) as
      { listeners?: VirtualNodeListener[] } | undefined;
    // The virtual node and the task it fronts are built under one service construct.
    const service = node.node.scope?.node.scope;
    const taskDefinition = service?.node
      .findAll()
      .find((c): c is ecs.CfnTaskDefinition => c instanceof ecs.CfnTaskDefinition);
    if (!taskDefinition) {
      return;
    }
    const mappings = containersOf(taskDefinition).flatMap((c) => c.portMappings ?? []);
    for (const listener of spec?.listeners ?? []) {
      const port = listener.portMapping?.port;
      const mapping = mappings.find((m) => m.containerPort === port);
      const appProtocol = appProtocolOf(mapping);
      if (mapping && listener.portMapping?.protocol !== appProtocol) {
        failGuardrail(
          node,
          'listener-protocol',
          `The virtual node listener on port ${port} speaks ${listener.portMapping?.protocol} but the app's port speaks ` +
            `${appProtocol}. Envoy would send ${listener.portMapping?.protocol} to the app ("upstream connect error"): ` +
            "make the listener's protocol the service's protocol.",
        );
      }
    }
  }
}
