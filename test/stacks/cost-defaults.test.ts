import { Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENT_FILES, loadReleases, validateEnvironments } from '../../config';
import { asReleased, synthesizeStacks } from '../../scripts/cost';
import { costOfStages } from '../../tools/cost/cost-report';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

jest.setTimeout(300_000);

/** Every resource of `type` in the stage's stacks. */
function resourcesOf(name: string, type: string): Record<string, unknown>[] {
  const { stage, template } = synthesized(name);
  return stage.node.children
    .filter((child): child is Parameters<typeof template>[0] => 'templateOptions' in child)
    .flatMap((stack) => Object.values(template(stack).findResources(type)))
    .map((resource) => (resource as { Properties: Record<string, unknown> }).Properties);
}

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'cheaper by design: %s',
  (name, config) => {
    test('runs every service task on ARM64 (Graviton)', () => {
      const platforms = resourcesOf(name, 'AWS::ECS::TaskDefinition').map(
        (task) => (task.RuntimePlatform as { CpuArchitecture?: string }).CpuArchitecture,
      );
      expect(platforms.length).toBeGreaterThanOrEqual(config.application.services.length);
      expect(new Set(platforms)).toEqual(new Set(['ARM64']));
    });

    test(
      config.application.fargateSpot
        ? 'runs tasks beyond one on-demand task on Fargate Spot'
        : 'runs on on-demand Fargate only',
      () => {
        const strategies = resourcesOf(name, 'AWS::ECS::Service').map(
          (service) => service.CapacityProviderStrategy,
        );
        expect(new Set(strategies.map((s) => JSON.stringify(s)))).toEqual(
          new Set([
            JSON.stringify(
              config.application.fargateSpot
                ? [
                    { Base: 1, CapacityProvider: 'FARGATE', Weight: 1 },
                    { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
                  ]
                : [{ CapacityProvider: 'FARGATE', Weight: 1 }],
            ),
          ]),
        );
      },
    );

    test('has the S3 gateway endpoint and exactly the configured interface endpoints', () => {
      const endpoints = resourcesOf(name, 'AWS::EC2::VPCEndpoint');
      expect(endpoints.filter((e) => e.VpcEndpointType === 'Gateway')).toHaveLength(1);
      expect(endpoints.filter((e) => e.VpcEndpointType === 'Interface')).toHaveLength(
        config.network.interfaceEndpoints.length,
      );
    });
  },
);

describe('tier defaults', () => {
  test('development reaches AWS APIs through its NAT gateway; staging and production through endpoints', () => {
    const byTier = Object.fromEntries(
      shippedEnvironments.map((env) => [env.tier, env.network.interfaceEndpoints.length]),
    );
    expect(byTier.development).toBe(0);
    expect(byTier.staging).toBeGreaterThan(0);
    expect(byTier.production).toBeGreaterThan(0);
  });

  test('the development database pauses at 0 ACU', () => {
    const dev = shippedEnvironments.find((env) => env.tier === 'development');
    const [cluster] = resourcesOf(dev?.name ?? 'dev', 'AWS::RDS::DBCluster');
    expect(cluster.ServerlessV2ScalingConfiguration).toMatchObject({ MinCapacity: 0 });
  });

  test('a worker may run on Fargate Spot in production; its one on-demand task stays', () => {
    const settings = ENVIRONMENT_FILES.map((env) =>
      env.tier !== 'production'
        ? env
        : {
            ...env,
            application: {
              ...env.application,
              services: env.application.services.map((s) =>
                s.route === undefined ? { ...s, fargateSpot: true } : s,
              ),
            },
          },
    );
    const environments = validateEnvironments(settings);
    const prod = environments.filter((env) => env.tier === 'production');
    const stacks = synthesizeStacks(prod, asReleased(loadReleases(environments)));
    const services = stacks
      .filter((s) => s.stack.endsWith('/Services1'))
      .flatMap((s) =>
        Object.entries(Template.fromJSON(s.template).findResources('AWS::ECS::Service')),
      )
      .map(([id, r]) => [
        id.replace(/Service[0-9A-F]{8}$/, ''),
        r.Properties.CapacityProviderStrategy,
      ]);
    expect(Object.fromEntries(services)).toMatchObject({
      ImageWorker: [
        { Base: 1, CapacityProvider: 'FARGATE', Weight: 1 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
      ],
      Web: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
  });

  test('a full development environment, every service at its task count, costs $200 a month or less', () => {
    const dev = shippedEnvironments.filter((env) => env.tier === 'development');
    const costs = costOfStages(
      synthesizeStacks(dev, asReleased(loadReleases(shippedEnvironments))),
    );
    const [cost] = [...costs.values()];
    expect(cost.notPriced).toEqual([]);
    expect(cost.lines.some((line) => line.item.includes('Fargate') && line.count > 0)).toBe(true);
    expect(cost.total).toBeLessThanOrEqual(200);
  });
});
