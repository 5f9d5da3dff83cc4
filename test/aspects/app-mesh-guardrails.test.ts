import { Stack } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { AppMeshGuardrails } from '../../lib/aspects/app-mesh-guardrails';
import { GATEWAY_TARGET_GROUP_MARKER } from '../../lib/constructs/mesh/app-mesh/virtual-gateway-service';
import { aspectFixture } from '../helpers/aspect-fixture';

const ENVOY_IMAGE = 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod';

const fixture = (build: (stack: Stack) => void) => aspectFixture(new AppMeshGuardrails(), build);

function envoyTask(
  stack: Stack,
  image: string,
  environment: Record<string, string>,
): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('envoy', { image: ecs.ContainerImage.fromRegistry(image), environment });
  return task;
}

/** A service construct holding a task (app on port 8080 speaking `appProtocol`) and a virtual node. */
function serviceWithNode(
  stack: Stack,
  appProtocol: ecs.AppProtocol,
  listener: appmesh.VirtualNodeListener,
): void {
  const service = new Construct(stack, 'Service');
  const task = new ecs.FargateTaskDefinition(service, 'Task');
  task.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27'),
    portMappings: [{ containerPort: 8080, name: 'app', appProtocol }],
  });
  new appmesh.VirtualNode(service, 'VirtualNode', {
    mesh: new appmesh.Mesh(stack, 'Mesh'),
    serviceDiscovery: appmesh.ServiceDiscovery.dns('app.fixture.internal'),
    listeners: [listener],
  });
}

function gatewayTargetGroup(stack: Stack, healthCheckPort?: string): void {
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
    vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }),
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    healthCheck: { port: healthCheckPort, path: '/ready' },
  });
  targetGroup.node.defaultChild!.node.addMetadata(GATEWAY_TARGET_GROUP_MARKER, { adminPort: 9901 });
}

describe('App Mesh guardrails', () => {
  describe('Envoy environment', () => {
    test('passes when Envoy has APPMESH_RESOURCE_ARN only', () => {
      expect(
        fixture((s) => envoyTask(s, ENVOY_IMAGE, { APPMESH_RESOURCE_ARN: 'arn:aws:appmesh:x' })),
      ).not.toThrow();
    });

    test('fails when Envoy sets APPMESH_VIRTUAL_NODE_NAME', () => {
      const synth = fixture((s) =>
        envoyTask(s, ENVOY_IMAGE, {
          APPMESH_RESOURCE_ARN: 'arn:aws:appmesh:x',
          APPMESH_VIRTUAL_NODE_NAME: 'mesh/m/virtualNode/n',
        }),
      );
      expect(synth).toThrow('Container "envoy" sets APPMESH_VIRTUAL_NODE_NAME');
    });

    test('fails when Envoy has no APPMESH_RESOURCE_ARN', () => {
      expect(fixture((s) => envoyTask(s, ENVOY_IMAGE, {}))).toThrow(
        'Container "envoy" has no APPMESH_RESOURCE_ARN',
      );
    });
  });

  describe('Envoy image', () => {
    test.each([
      'public.ecr.aws/appmesh/aws-appmesh-envoy:latest',
      'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.12.5.0-prod',
    ])('fails when the image is %s', (image) => {
      const synth = fixture((s) =>
        envoyTask(s, image, { APPMESH_RESOURCE_ARN: 'arn:aws:appmesh:x' }),
      );
      expect(synth).toThrow(
        /runs Envoy image tag "(latest|v1\.12\.5\.0-prod)"\. Pin a release of v1\.15 or newer/,
      );
    });

    test('passes for a pinned 1.15+ release', () => {
      const synth = fixture((s) =>
        envoyTask(s, 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.15.0.0-prod', {
          APPMESH_RESOURCE_ARN: 'arn:aws:appmesh:x',
        }),
      );
      expect(synth).not.toThrow();
    });
  });

  describe('virtual gateway health check', () => {
    test("passes when it checks Envoy's admin port", () => {
      expect(fixture((s) => gatewayTargetGroup(s, '9901'))).not.toThrow();
    });

    test('fails when the gateway target group health check targets the app (traffic) port', () => {
      expect(fixture((s) => gatewayTargetGroup(s, undefined))).toThrow(
        'The virtual gateway target group health-checks port traffic-port',
      );
    });
  });

  describe('virtual node listener protocol', () => {
    test("passes when the listener speaks the app port's protocol", () => {
      expect(
        fixture((s) =>
          serviceWithNode(
            s,
            ecs.AppProtocol.http2,
            appmesh.VirtualNodeListener.http2({ port: 8080 }),
          ),
        ),
      ).not.toThrow();
    });

    test('fails when the listener speaks HTTP/2 to an HTTP/1.1 app', () => {
      expect(
        fixture((s) =>
          serviceWithNode(
            s,
            ecs.AppProtocol.http,
            appmesh.VirtualNodeListener.http2({ port: 8080 }),
          ),
        ),
      ).toThrow(
        "The virtual node listener on port 8080 speaks http2 but the app's port speaks http",
      );
    });
  });
});
