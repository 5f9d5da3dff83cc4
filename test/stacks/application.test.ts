import { PlatformLoadBalancer } from '../../lib/constructs/ingress/platform-load-balancer';
import { Match } from 'aws-cdk-lib/assertions';
import { isRouted } from '../../config';
import { SECRET_LOOKING_NAME } from '../../config/application-schema';
import { pascalCase } from '../../lib/naming';
import { ECS_EXEC_TAG } from '../../lib/constructs/service/ecs-exec-access';
import { grantsOf } from '../helpers/iam-grants';
import { logicalIdOf } from '../helpers/logical-ids';
import {
  containersOf,
  imageReferenceOf,
  imageTagOf,
  taskDefinitionsOf,
} from '../helpers/task-definitions';
import { shippedEnvironments, shippedReleases, synthesized } from '../helpers/test-app';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'application of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const application = templateOf(stage.application);
    const services = templateOf(stage.services[0]);
    const specs = config.application.services;
    const tracingSidecar = config.application.tracing === 'otel' ? 'otel-collector' : 'xray-daemon';

    describe('every task', () => {
      test.each(specs.map((spec) => spec.name))(
        '%s runs app, log_router and the tracing sidecar, all images pinned',
        (service) => {
          const containers = containersOf(services, pascalCase(service));
          expect(containers.map((c) => c.Name).sort()).toEqual(
            ['app', 'log_router', tracingSidecar].sort(),
          );
          for (const container of containers) {
            expect(imageTagOf(container)).toMatch(/^[A-Za-z0-9_.-]+$/);
            expect(imageTagOf(container)).not.toMatch(/^latest\b/);
          }
        },
      );

      test('never sets Match in FireLens log options and routes the app through FireLens to CloudWatch', () => {
        for (const containers of taskDefinitionsOf(services).values()) {
          for (const container of containers) {
            const options = Object.keys(container.LogConfiguration?.Options ?? {}).concat(
              Object.keys(container.FirelensConfiguration?.Options ?? {}),
            );
            expect(options.map((o) => o.toLowerCase())).not.toContain('match');
          }
          const app = containers.find((c) => c.Name === 'app')!;
          expect(app.LogConfiguration).toEqual({
            LogDriver: 'awsfirelens',
            Options: expect.objectContaining({
              Name: 'cloudwatch_logs',
              auto_create_group: 'false',
            }),
          });
          const router = containers.find((c) => c.Name === 'log_router')!;
          expect(router.FirelensConfiguration?.Type).toBe('fluentbit');
          expect(router.LogConfiguration?.LogDriver).toBe('awslogs');
        }
      });

      test('starts the app after its sidecars, HEALTHY where the sidecar has a health check', () => {
        for (const containers of taskDefinitionsOf(services).values()) {
          const app = containers.find((c) => c.Name === 'app')!;
          const tracing = containers.find((c) => c.Name === tracingSidecar)!;
          expect(app.DependsOn).toEqual(
            expect.arrayContaining([
              { ContainerName: 'log_router', Condition: 'START' },
              {
                ContainerName: tracingSidecar,
                Condition: tracing.HealthCheck ? 'HEALTHY' : 'START',
              },
            ]),
          );
        }
      });

      test('the tracing sidecar listens on UDP 2000 and the app knows its address', () => {
        for (const containers of taskDefinitionsOf(services).values()) {
          const tracing = containers.find((c) => c.Name === tracingSidecar)!;
          expect(tracing.PortMappings).toEqual([
            expect.objectContaining({ ContainerPort: 2000, Protocol: 'udp' }),
          ]);
          const app = containers.find((c) => c.Name === 'app')!;
          expect(app.Environment).toEqual(
            expect.arrayContaining([{ Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: '127.0.0.1:2000' }]),
          );
        }
      });

      test('task roles may write traces to X-Ray', () => {
        for (const spec of specs) {
          const { taskRole } = stage.services[0].services.get(spec.name)!.taskDefinition;
          services.hasResourceProperties('AWS::IAM::Policy', {
            Roles: [{ Ref: logicalIdOf(taskRole) }],
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']) }),
              ]),
            },
          });
        }
      });

      test('no container has a secret-looking name in its plain environment', () => {
        for (const containers of taskDefinitionsOf(services).values()) {
          for (const container of containers) {
            for (const variable of container.Environment ?? []) {
              expect(variable.Name).not.toMatch(SECRET_LOOKING_NAME);
            }
          }
        }
      });

      test('the app root filesystem is read-only exactly where the spec says', () => {
        for (const spec of specs) {
          const app = containersOf(services, pascalCase(spec.name)).find((c) => c.Name === 'app')!;
          expect(app.ReadonlyRootFilesystem).toBe(spec.readonlyRootFilesystem);
        }
      });
    });

    describe('every service', () => {
      test('has a circuit breaker with rollback and private networking', () => {
        services.resourceCountIs('AWS::ECS::Service', specs.length);
        services.allResourcesProperties('AWS::ECS::Service', {
          DeploymentConfiguration: Match.objectLike({
            DeploymentCircuitBreaker: { Enable: true, Rollback: true },
            MinimumHealthyPercent: 100,
          }),
          NetworkConfiguration: {
            AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }),
          },
        });
      });

      const execOn = config.derived.ecsExecServices;
      test(`has ECS Exec ${execOn.length > 0 ? `on in ${execOn.join(', ')} only, tagged for the operators' policy` : 'off, with no exec tag and no session grants'}`, () => {
        for (const spec of specs) {
          const on = execOn.includes(spec.name);
          const [, ecsService] = Object.entries(services.findResources('AWS::ECS::Service')).find(
            ([logicalId]) => logicalId.startsWith(`${pascalCase(spec.name)}Service`),
          )!;
          expect(ecsService.Properties.EnableExecuteCommand).toBe(on);
          const tags = (ecsService.Properties.Tags ?? []) as { Key: string; Value: string }[];
          expect(tags.filter((t) => t.Key === ECS_EXEC_TAG.key)).toEqual(
            on ? [{ Key: ECS_EXEC_TAG.key, Value: ECS_EXEC_TAG.value }] : [],
          );
          expect(ecsService.Properties.PropagateTags).toBe('SERVICE');
          const channels = grantsOf(services).filter(
            (grant) =>
              grant.holders.some((holder) =>
                holder.startsWith(`${pascalCase(spec.name)}TaskTaskRole`),
              ) && grant.actions.some((action) => action.startsWith('ssmmessages:')),
          );
          expect(channels.length > 0).toBe(on);
        }
        const accessPolicies = application.findResources('AWS::IAM::ManagedPolicy', {
          Properties: { ManagedPolicyName: `${name}-ecs-exec-access` },
        });
        expect(Object.keys(accessPolicies)).toHaveLength(execOn.length > 0 ? 1 : 0);
      });

      test(`runs on ${config.application.fargateSpot ? 'Fargate Spot with an on-demand base' : 'on-demand Fargate only'}`, () => {
        const expected = config.application.fargateSpot
          ? [
              { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
              { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
            ]
          : [{ CapacityProvider: 'FARGATE', Weight: 1 }];
        services.allResourcesProperties('AWS::ECS::Service', {
          CapacityProviderStrategy: expected,
        });
      });

      test.each(specs.map((spec) => spec.name))(
        '%s runs the version of the release manifest: zero tasks while it is bootstrap',
        (service) => {
          const release = shippedReleases.get(name)!.get(service)!;
          const id = pascalCase(service);
          const [, ecsService] = Object.entries(services.findResources('AWS::ECS::Service')).find(
            ([logicalId]) => logicalId.startsWith(`${id}Service`),
          )!;
          const spec = specs.find((s) => s.name === service)!;
          expect(ecsService.Properties.DesiredCount).toBe(
            release.bootstrap ? 0 : spec.desiredCount,
          );
          const app = containersOf(services, id).find((c) => c.Name === 'app')!;
          expect(imageReferenceOf(app)).toBe(
            `${release.image.startsWith('sha256:') ? '@' : ':'}${release.image}`,
          );
        },
      );

      test('scales on CPU, on requests behind the ALB and on queue depth for workers', () => {
        const policies = Object.values(
          services.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'),
        ).map((p) => p.Properties);
        const metricTypes = policies.map(
          (p) =>
            p.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification
              ?.PredefinedMetricType,
        );
        expect(metricTypes.filter((t) => t === 'ECSServiceAverageCPUUtilization')).toHaveLength(
          specs.length,
        );
        expect(metricTypes.filter((t) => t === 'ALBRequestCountPerTarget')).toHaveLength(
          specs.filter(isRouted).length,
        );
        expect(
          policies.filter((p) => p.PolicyType === 'StepScaling').length,
        ).toBeGreaterThanOrEqual(specs.filter((s) => s.queue).length);
      });

      test('is a Service Connect client, and a server when it has a port', () => {
        for (const spec of specs) {
          const service = Object.entries(services.findResources('AWS::ECS::Service')).find(([id]) =>
            id.startsWith(`${pascalCase(spec.name)}Service`),
          )![1];
          const connect = service.Properties.ServiceConnectConfiguration;
          expect(connect.Enabled).toBe(true);
          if (spec.port === undefined) {
            expect(connect.Services).toBeUndefined();
          } else {
            expect(connect.Services).toEqual([
              expect.objectContaining({
                PortName: spec.name,
                ClientAliases: [{ Port: spec.port, DnsName: spec.name }],
              }),
            ]);
            const app = containersOf(services, pascalCase(spec.name)).find(
              (c) => c.Name === 'app',
            )!;
            expect(app.PortMappings).toEqual([
              expect.objectContaining({
                ContainerPort: spec.port,
                Name: spec.name,
                AppProtocol: spec.protocol,
              }),
            ]);
          }
        }
        application.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', {
          Name: `${name}.internal`,
        });
      });

      test('has an ECR repository with immutable tags and scan on push', () => {
        services.resourceCountIs('AWS::ECR::Repository', specs.length);
        services.allResourcesProperties('AWS::ECR::Repository', {
          ImageTagMutability: 'IMMUTABLE',
          ImageScanningConfiguration: { ScanOnPush: true },
        });
      });

      test('workers with a queue of their own get an encrypted queue with a dead-letter queue', () => {
        const workers = specs.flatMap((s) => (s.queue?.source === 'own' ? [s.queue] : []));
        services.resourceCountIs('AWS::SQS::Queue', workers.length * 2);
        services.hasResourceProperties('AWS::SQS::Queue', {
          SqsManagedSseEnabled: true,
          RedrivePolicy: {
            deadLetterTargetArn: Match.anyValue(),
            maxReceiveCount: workers[0].maxReceiveCount,
          },
        });
      });
    });

    describe('log groups', () => {
      test('are KMS-encrypted with the configured retention', () => {
        for (const template of [application, services]) {
          template.allResourcesProperties('AWS::Logs::LogGroup', {
            KmsKeyId: Match.anyValue(),
            RetentionInDays: config.application.logRetentionDays,
          });
        }
      });

      test('ECS Exec sessions are encrypted and logged to an encrypted log group', () => {
        application.hasResourceProperties('AWS::ECS::Cluster', {
          Configuration: {
            ExecuteCommandConfiguration: {
              KmsKeyId: Match.anyValue(),
              Logging: 'OVERRIDE',
              LogConfiguration: {
                CloudWatchEncryptionEnabled: true,
                CloudWatchLogGroupName: `/platform/${name}/ecs-exec`,
              },
            },
          },
          ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
        });
      });
    });

    describe('load balancer', () => {
      test('is internal, in the private subnets, drops invalid header fields and logs access to S3', () => {
        const [balancer] = Object.values(
          application.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
        ).map((b) => b.Properties);
        expect(balancer.Scheme).toBe('internal');
        const subnetOutputs = balancer.Subnets.map(
          (s: any) => s['Fn::GetStackOutput'].OutputName as string,
        );
        expect(subnetOutputs).toHaveLength(config.network.azCount);
        for (const output of subnetOutputs) {
          expect(output).toMatch(/VpcPrivateSubnet\d/);
        }
        expect(balancer.LoadBalancerAttributes).toEqual(
          expect.arrayContaining([
            { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
            { Key: 'access_logs.s3.enabled', Value: 'true' },
            { Key: 'deletion_protection.enabled', Value: String(config.tier === 'production') },
          ]),
        );
      });

      test('its access-log bucket is SSE-S3, TLS-only, private and expiring', () => {
        application.hasResourceProperties('AWS::S3::Bucket', {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ ExpirationInDays: config.application.accessLogExpirationDays }),
            ]),
          },
        });
        application.hasResourceProperties('AWS::S3::BucketPolicy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      });

      const https =
        config.application.certificateArn !== undefined || config.edge.hostedZone !== undefined;
      const hostNames = config.edge.domain?.names;
      const hostCondition = hostNames
        ? [{ Field: 'host-header', HostHeaderConfig: { Values: hostNames } }]
        : [];

      test(
        https
          ? 'has one listener: HTTPS with the AWS-recommended TLS 1.3 policy and the domain certificate'
          : 'has one listener: HTTP, reached only by the VPC origin inside AWS (no certificate configured)',
        () => {
          application.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
          const [certificateId] = Object.keys(
            application.findResources('AWS::CertificateManager::Certificate'),
          );
          application.hasResourceProperties(
            'AWS::ElasticLoadBalancingV2::Listener',
            https
              ? {
                  Protocol: 'HTTPS',
                  Port: 443,
                  SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
                  Certificates: [
                    {
                      CertificateArn: config.application.certificateArn ?? { Ref: certificateId },
                    },
                  ],
                }
              : { Protocol: 'HTTP', Port: 80 },
          );
        },
      );

      test(
        hostNames
          ? `answers 403 by default: a request for a host other than ${hostNames.join(', ')} matches no rule`
          : 'answers 403 by default, to a request no rule matches',
        () => {
          application.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
            DefaultActions: [
              {
                Type: 'fixed-response',
                FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
              },
            ],
          });
        },
      );

      test('answers 404, last, to requests for its hosts that no service claims', () => {
        application.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
          Priority: 50000,
          Conditions: [
            { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
            ...hostCondition,
          ],
          Actions: [
            Match.objectLike({
              Type: 'fixed-response',
              FixedResponseConfig: Match.objectLike({ StatusCode: '404' }),
            }),
          ],
        });
      });

      test('routes each prefix and prefix/* of its hosts to its service, longest prefix first, with no header condition', () => {
        const rules = Object.values(
          services.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'),
        ).map((r) => {
          const conditions = r.Properties.Conditions as {
            Field: string;
            PathPatternConfig?: { Values: string[] };
          }[];
          expect(conditions).toEqual([
            expect.objectContaining({ Field: 'path-pattern' }),
            ...hostCondition,
          ]);
          return {
            priority: r.Properties.Priority as number,
            paths: conditions[0].PathPatternConfig!.Values,
          };
        });
        const byPath = (path: string) => rules.find((r) => r.paths.includes(path))!;
        expect(byPath('/v1/api/admin').paths).toEqual(['/v1/api/admin', '/v1/api/admin/*']);
        expect(byPath('/v1/api').paths).toEqual(['/v1/api', '/v1/api/*']);
        expect(byPath('/*').paths).toEqual(['/*']);
        expect(byPath('/v1/api/admin').priority).toBeLessThan(byPath('/v1/api').priority);
        expect(byPath('/v1/api').priority).toBeLessThan(byPath('/*').priority);
        expect(byPath('/*').priority).toBeLessThan(50000);
      });

      test('health-checks each routed service on its own path with the configured deregistration delay', () => {
        for (const spec of specs.filter(isRouted)) {
          services.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
            Port: spec.port,
            TargetType: 'ip',
            HealthCheckPath: spec.route.healthCheckPath,
            TargetGroupAttributes: Match.arrayWith([
              {
                Key: 'deregistration_delay.timeout_seconds',
                Value: String(config.application.deregistrationDelaySeconds),
              },
            ]),
          });
        }
      });

      test("its security group admits only CloudFront's VPC origin security group, on the listener port", () => {
        const ingressRules = [
          ...Object.values(application.findResources('AWS::EC2::SecurityGroup')).flatMap(
            (g) => g.Properties.SecurityGroupIngress ?? [],
          ),
          ...Object.values(application.findResources('AWS::EC2::SecurityGroupIngress')).map(
            (r) => r.Properties,
          ),
        ];
        const { loadBalancer } = stage.application.node.findChild(
          'LoadBalancer',
        ) as PlatformLoadBalancer;
        const [loadBalancerGroup] = loadBalancer.connections.securityGroups;
        const groupId = logicalIdOf(loadBalancerGroup);
        const intoLoadBalancer = [
          ...(application.toJSON().Resources[groupId].Properties.SecurityGroupIngress ?? []),
          ...Object.values(
            application.findResources('AWS::EC2::SecurityGroupIngress', {
              Properties: { GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] } },
            }),
          ).map((r) => r.Properties),
        ];
        const [lookupId] = Object.keys(
          application.findResources('Custom::CloudFrontVpcOriginSecurityGroup'),
        );
        expect(intoLoadBalancer).toEqual([
          {
            GroupId: expect.anything(),
            SourceSecurityGroupId: { 'Fn::GetAtt': [lookupId, 'SecurityGroups.0.GroupId'] },
            FromPort: https ? 443 : 80,
            ToPort: https ? 443 : 80,
            IpProtocol: 'tcp',
            Description: 'CloudFront VPC origin (CloudFront-VPCOrigins-Service-SG)',
          },
        ]);
        for (const rule of ingressRules) {
          expect(rule.CidrIp).not.toBe('0.0.0.0/0');
          expect(rule.CidrIpv6).not.toBe('::/0');
          expect(rule.SourcePrefixListId).toBeUndefined();
        }
      });
    });
  },
);
