import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { MeshGuardrails } from '../../lib/aspects/mesh-guardrails';
import { pinnedImage, PINS } from '../../lib/pins';
import { aspectFixture } from '../helpers/aspect-fixture';

const APP_IMAGE = 'public.ecr.aws/docker/library/nginx:1.27';

const fixture = (build: (stack: Stack) => void) => aspectFixture(new MeshGuardrails(), build);

/** A service whose app port 8080 speaks `appProtocol`, behind a target group of `version`. */
function serviceBehindTargetGroup(
  stack: Stack,
  appProtocol: ecs.AppProtocol,
  version: elbv2.ApplicationProtocolVersion,
): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry(APP_IMAGE),
    portMappings: [{ containerPort: 8080, name: 'app', appProtocol }],
  });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
    taskDefinition: task,
  });
  new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
    vpc,
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    protocolVersion: version,
    targets: [service.loadBalancerTarget({ containerName: 'app', containerPort: 8080 })],
  });
}

describe('guardrails of every mesh', () => {
  describe('FireLens options', () => {
    const withOptions = (options: Record<string, string>) =>
      fixture((s) => {
        const task = new ecs.FargateTaskDefinition(s, 'Task');
        task.addFirelensLogRouter('log_router', {
          image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.fluentBitImage)),
          firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
        });
        task.addContainer('app', {
          image: ecs.ContainerImage.fromRegistry(APP_IMAGE),
          logging: ecs.LogDrivers.firelens({ options }),
        });
      });

    test('passes with options only', () => {
      expect(withOptions({ Name: 'cloudwatch_logs', log_group_name: 'g' })).not.toThrow();
    });

    test('fails when an awsfirelens option is named Match', () => {
      expect(withOptions({ Name: 'cloudwatch_logs', Match: '*' })).toThrow(
        'Container "app" sets the awsfirelens log option "Match"',
      );
    });
  });

  describe("the load balancer's protocol", () => {
    test("passes when the target group speaks the app port's protocol", () => {
      expect(
        fixture((s) =>
          serviceBehindTargetGroup(s, ecs.AppProtocol.grpc, elbv2.ApplicationProtocolVersion.GRPC),
        ),
      ).not.toThrow();
    });

    test('fails when the target group speaks HTTP/2 to an HTTP/1.1 app', () => {
      expect(
        fixture((s) =>
          serviceBehindTargetGroup(s, ecs.AppProtocol.http, elbv2.ApplicationProtocolVersion.HTTP2),
        ),
      ).toThrow('The target group speaks HTTP2 to container "app" port 8080, which speaks http');
    });
  });
});
