import { PlatformLoadBalancer } from '../../lib/constructs/ingress/platform-load-balancer';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isRouted, loadEnvironments } from '../../config';
import { pascalCase } from '../../lib/naming';
import { APP_MESH_REFERENCE_CONTEXT } from '../../lib/app-mesh-reference';
import { addPlatform } from '../../lib/platform-app';
import { ECS_EXEC_TAG } from '../../lib/constructs/service/ecs-exec-access';
import { logicalIdOf } from '../helpers/logical-ids';
import { containersOf, taskDefinitionsOf } from '../helpers/task-definitions';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { StageGraph } from '../helpers/stage-graph';
import { newTestApp } from '../helpers/test-app';

// Every shipped environment, built with `-c mesh=app-mesh -c appMeshReference=true`.
const environments = loadEnvironments(undefined, undefined, { mesh: 'app-mesh' });
const app = newTestApp({ context: { [APP_MESH_REFERENCE_CONTEXT]: 'true' } });
const stages = addPlatform(app, environments);
const assembly = app.synth();

describe.each(stages.map((stage) => [stage.config.name, stage] as const))(
  'app-mesh mode of %s',
  (name, stage) => {
    const application = Template.fromStack(stage.application);
    const services = Template.fromStack(stage.services[0]);
    const specs = stage.config.application.services;
    const routed = specs.filter(isRouted);

    describe('only declared callers, as with Service Connect', () => {
      const graph = new StageGraph(PlatformStage.idOf(name), assembly);
      const group = (suffix: string) => `\${${graph.find(suffix)[0]}}`;
      const gateway = group('AppMesh/VirtualGateway/SecurityGroup');

      test.each(specs.filter((s) => s.port !== undefined).map((s) => [s.name, s] as const))(
        '%s admits the virtual gateway (when routed) and its declared callers only',
        (service, spec) => {
          const sources = graph
            .rulesOf(group(`${pascalCase(service)}/SecurityGroup`))
            .filter((rule) => rule.direction === 'in')
            .map((rule) => rule.peer);
          const called = specs.some((s) => (s.calls ?? []).includes(service));
          expect(sources.sort()).toEqual(
            [
              ...(spec.route ? [gateway] : []),
              ...(called ? [group(`ServiceCallers/${pascalCase(service)}`)] : []),
            ].sort(),
          );
        },
      );

      test('the virtual gateway sends HTTPS and to the routed services only', () => {
        const out = graph.rulesOf(gateway).filter((rule) => rule.direction === 'out');
        expect(out.map((rule) => rule.peer).sort()).toEqual(
          ['0.0.0.0/0', ...routed.map((s) => group(`${pascalCase(s.name)}/SecurityGroup`))].sort(),
        );
      });
    });

    test('warns at synth time that App Mesh reached end of support and the assembly cannot be deployed', () => {
      Annotations.fromStack(stage.application).hasWarning(
        '*',
        Match.stringLikeRegexp(
          'App Mesh reached end of support on 2026-09-30: its console and resources can no longer be accessed.*it cannot be deployed',
        ),
      );
    });

    test('has a mesh that drops all egress not declared as a backend', () => {
      application.hasResourceProperties('AWS::AppMesh::Mesh', {
        Spec: { EgressFilter: { Type: 'DROP_ALL' } },
      });
    });

    test('gives every service with a port a node, a router with a retrying route and a virtual service', () => {
      const withPort = specs.filter((s) => s.port !== undefined);
      services.resourceCountIs('AWS::AppMesh::VirtualNode', specs.length);
      services.resourceCountIs('AWS::AppMesh::VirtualRouter', withPort.length);
      services.resourceCountIs('AWS::AppMesh::VirtualService', withPort.length);
      for (const spec of withPort) {
        services.hasResourceProperties('AWS::AppMesh::VirtualService', {
          VirtualServiceName: `${spec.name}.${name}.internal`,
        });
        services.hasResourceProperties('AWS::AppMesh::VirtualNode', {
          Spec: Match.objectLike({
            Listeners: [
              Match.objectLike({
                PortMapping: { Port: spec.port, Protocol: spec.protocol },
                HealthCheck: Match.objectLike({
                  Protocol: spec.protocol,
                  Path: spec.route?.healthCheckPath,
                }),
                OutlierDetection: Match.objectLike({ MaxServerErrors: 5 }),
                ConnectionPool: Match.anyValue(),
                Timeout: Match.anyValue(),
              }),
            ],
          }),
        });
      }
      services.allResourcesProperties('AWS::AppMesh::Route', {
        Spec: {
          HttpRoute: Match.objectLike({
            RetryPolicy: Match.objectLike({
              HttpRetryEvents: ['server-error', 'gateway-error'],
              MaxRetries: 2,
            }),
          }),
        },
      });
    });

    test("declares the services each one calls as its node's backends", () => {
      const admin = Object.entries(services.findResources('AWS::AppMesh::VirtualNode')).find(
        ([id]) => id.startsWith('AdminApi'),
      )![1];
      expect(admin.Properties.Spec.Backends).toEqual([
        { VirtualService: { VirtualServiceName: `api.${name}.internal` } },
      ]);
    });

    test('runs a pinned Envoy 1.29 in every service task, with APPMESH_RESOURCE_ARN only, as user 1337', () => {
      for (const spec of specs) {
        const containers = containersOf(services, pascalCase(spec.name));
        const envoy = containers.find((c) => c.Name === 'envoy')!;
        expect(envoy.Image).toMatch(/\/aws-appmesh-envoy:v1\.29\./);
        const variables = (envoy.Environment ?? []).map((e) => e.Name);
        expect(variables).toContain('APPMESH_RESOURCE_ARN');
        expect(variables).not.toContain('APPMESH_VIRTUAL_NODE_NAME');
        expect(envoy.HealthCheck?.Command.join(' ')).toContain(
          '/server_info | grep state | grep -q LIVE',
        );
        expect((envoy as { User?: string }).User).toBe('1337');
        const appContainer = containers.find((c) => c.Name === 'app')!;
        expect(appContainer.DependsOn).toEqual(
          expect.arrayContaining([{ ContainerName: 'envoy', Condition: 'HEALTHY' }]),
        );
        // The log router and tracing sidecar run as Envoy's ignored UID, so their traffic is not intercepted.
        for (const sidecar of containers.filter(
          (c) => c.Name === 'log_router' || c.Name === 'xray-daemon' || c.Name === 'otel-collector',
        )) {
          expect((sidecar as { User?: string }).User).toBe('1337');
        }
      }
    });

    test('configures the AppMesh proxy: ignored UID 1337, ports 15000/15001, app ports, metadata IPs ignored', () => {
      for (const spec of specs) {
        const task = Object.entries(services.findResources('AWS::ECS::TaskDefinition')).find(
          ([id]) => id.startsWith(`${pascalCase(spec.name)}Task`),
        )![1];
        const properties = Object.fromEntries(
          task.Properties.ProxyConfiguration.ProxyConfigurationProperties.map(
            (p: { Name: string; Value: string }) => [p.Name, p.Value],
          ),
        );
        expect(task.Properties.ProxyConfiguration).toEqual(
          expect.objectContaining({ Type: 'APPMESH', ContainerName: 'envoy' }),
        );
        expect(properties).toEqual(
          expect.objectContaining({
            IgnoredUID: '1337',
            ProxyIngressPort: '15000',
            ProxyEgressPort: '15001',
            EgressIgnoredIPs: '169.254.170.2,169.254.169.254',
          }),
        );
        expect(properties.AppPorts ?? '').toBe(spec.port === undefined ? '' : String(spec.port));
      }
    });

    test('lets each task stream the configuration of its own virtual node only', () => {
      const grants = Object.entries(
        services.findResources('AWS::IAM::Policy', {
          Properties: {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Action: 'appmesh:StreamAggregatedResources' }),
              ]),
            },
          },
        }),
      );
      expect(grants).toHaveLength(specs.length);
      for (const [id, policy] of grants) {
        const service = id.slice(0, id.indexOf('EnvoyMeshAccess'));
        expect(policy.Properties.PolicyDocument.Statement).toEqual([
          {
            Effect: 'Allow',
            Action: 'appmesh:StreamAggregatedResources',
            Resource: { Ref: expect.stringMatching(new RegExp(`^${service}VirtualNode`)) },
          },
        ]);
        expect(policy.Properties.Roles).toEqual([
          { Ref: expect.stringMatching(new RegExp(`^${service}TaskTaskRole`)) },
        ]);
      }
    });

    test('routes the load balancer to the virtual gateway, not to services', () => {
      services.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
      services.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
      // One rule per routed prefix, plus the edge's 404 for requests that carry the origin header.
      application.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', routed.length + 1);
    });

    test("health-checks the gateway on Envoy's admin port, never an app", () => {
      application.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 8080,
        HealthCheckPort: '9901',
        HealthCheckPath: '/ready',
      });
      const ingress = Object.values(
        application.findResources('AWS::EC2::SecurityGroupIngress'),
      ).filter((rule) => rule.Properties.FromPort === 9901);
      expect(ingress).toHaveLength(1);
      const { loadBalancer } = stage.application.node.findChild(
        'LoadBalancer',
      ) as PlatformLoadBalancer;
      const [loadBalancerGroup] = loadBalancer.connections.securityGroups;
      expect(ingress[0].Properties.SourceSecurityGroupId).toEqual({
        'Fn::GetAtt': [logicalIdOf(loadBalancerGroup), 'GroupId'],
      });
    });

    test(`runs the gateway as Envoy only (no app, no proxy configuration), ${stage.config.tier === 'production' ? '2+ tasks' : '1 task'}`, () => {
      const gateway = [...taskDefinitionsOf(application)].find(([id]) =>
        id.includes('VirtualGateway'),
      )!;
      expect(gateway[1].map((c) => c.Name)).toEqual(['envoy']);
      const task = Object.entries(application.findResources('AWS::ECS::TaskDefinition')).find(
        ([id]) => id.includes('VirtualGateway'),
      )![1];
      expect(task.Properties.ProxyConfiguration).toBeUndefined();
      const desired = Object.values(application.findResources('AWS::ECS::Service'))[0].Properties
        .DesiredCount;
      expect(desired).toBeGreaterThanOrEqual(stage.config.tier === 'production' ? 2 : 1);
    });

    test(`${stage.config.derived.ecsExec ? 'opens' : 'closes'} the gateway's Envoy to ECS Exec as the environment's setting says`, () => {
      const on = stage.config.derived.ecsExec;
      const [gateway] = Object.values(application.findResources('AWS::ECS::Service'));
      expect(gateway.Properties.EnableExecuteCommand).toBe(on);
      const tags = (gateway.Properties.Tags ?? []) as { Key: string }[];
      expect(tags.some((tag) => tag.Key === ECS_EXEC_TAG.key)).toBe(on);
      const access = Object.values(
        application.findResources('AWS::IAM::ManagedPolicy', {
          Properties: { ManagedPolicyName: `${name}-ecs-exec-access` },
        }),
      );
      const containers = access.flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Condition?: any }[]).flatMap(
          (statement) => statement.Condition?.StringEquals?.['ecs:container-name'] ?? [],
        ),
      );
      expect(containers).toEqual(on ? ['app', 'envoy'] : []);
    });

    test('has a gateway route per prefix that keeps the path the client sent', () => {
      services.resourceCountIs('AWS::AppMesh::GatewayRoute', routed.length);
      for (const spec of routed) {
        services.hasResourceProperties('AWS::AppMesh::GatewayRoute', {
          Spec: {
            HttpRoute: Match.objectLike({
              Match: {
                Prefix: spec.route.pathPrefix === '/' ? '/' : `${spec.route.pathPrefix}/`,
              },
              Action: Match.objectLike({ Rewrite: { Prefix: { DefaultPrefix: 'DISABLED' } } }),
            }),
            Priority: 1000 - spec.route.pathPrefix.length,
          },
        });
      }
    });

    test('has no unacknowledged cdk-nag finding', () => {
      const report = new AwsSolutionsChecks(stage).validateScope(stage);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`,
        ),
      ).toEqual([]);
    });
  },
);
