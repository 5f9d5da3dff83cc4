import { App, Stack, Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { stackTemplatesOf, StackTemplate } from '../../tools/security-projection';

/** What varies between two versions of the cost fixture. */
export interface CostFixtureOptions {
  /** The service's desired count. */
  readonly tasks: number;
  /** @default 256 */
  readonly cpu?: number;
  /** Where to synthesize. @default - a temporary directory */
  readonly outdir?: string;
}

/** A small app: one AZ with a NAT gateway, an endpoint, a key, a secret, an alarm and a Spot service. */
export function fixtureApp(options: CostFixtureOptions = { tasks: 2 }): StackTemplate[] {
  const app = new App({ outdir: options.outdir });
  const stage = new Stage(app, 'Fixture');
  const stack = new Stack(stage, 'Stack', { env: { region: 'ap-northeast-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 1 });
  vpc.addInterfaceEndpoint('Logs', { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS });
  new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new secretsmanager.Secret(stack, 'Secret');
  const task = new ecs.FargateTaskDefinition(stack, 'Task', {
    cpu: options.cpu ?? 256,
    memoryLimitMiB: (options.cpu ?? 256) * 2,
    runtimePlatform: {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/x/y:1') });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, enableFargateCapacityProviders: true });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition: task,
    desiredCount: options.tasks,
    capacityProviderStrategies: [
      { capacityProvider: 'FARGATE', base: 1, weight: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
    ],
  });
  new cloudwatch.Alarm(stack, 'Alarm', {
    metric: service.metricCpuUtilization(),
    threshold: 90,
    evaluationPeriods: 1,
  });
  return stackTemplatesOf(app.synth());
}
