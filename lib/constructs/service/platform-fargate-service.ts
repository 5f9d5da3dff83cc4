import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  DatadogConfig,
  SecretReference,
  ServiceConfig,
  ServiceProtocol,
  TracingSidecar,
} from '../../../config';
import { SCALING } from '../../defaults';
import { ImageTagChoice } from '../../image-tag';
import { pathPatternsOf } from '../ingress/listener-rule-priority';
import { IServiceMesh } from '../mesh/service-mesh';
import { ServiceQueue } from './service-queue';
import { addDatadogAgent } from './sidecars/datadog-agent';
import { addFirelensLogRouter, firelensToCloudWatch } from './sidecars/firelens-log-router';
import { addOtelCollector } from './sidecars/otel-collector';
import { SidecarProps, TaskSidecar } from './sidecars/task-sidecar';
import { addXRayDaemon } from './sidecars/xray-daemon';

/** How the load balancer reaches a service. */
export interface ServiceIngress {
  /** The listener to add the path rule to. */
  readonly listener: elbv2.IApplicationListener;
  /** The load balancer's security group (or anything connectable) that sends the traffic. */
  readonly loadBalancer: ec2.IConnectable;
  /** The rule's priority (see listenerRulePriority). */
  readonly priority: number;
  /** Conditions the rule adds to its path condition (the load balancer's required header). */
  readonly conditions: readonly elbv2.ListenerCondition[];
  /** How long a deregistering task keeps receiving in-flight requests. */
  readonly deregistrationDelay: Duration;
}

/** Properties of {@link PlatformFargateService}. */
export interface PlatformFargateServiceProps {
  /** The service's settings. */
  readonly spec: ServiceConfig;
  /** The cluster to run in. */
  readonly cluster: ecs.ICluster;
  /** The private subnets the tasks run in. */
  readonly subnets: ec2.SubnetSelection;
  /** Service-to-service networking. */
  readonly mesh: IServiceMesh;
  /** Security group every task carries, so services can allow each other's callers. */
  readonly meshSecurityGroup: ec2.ISecurityGroup;
  /** Which tracing sidecar to run. */
  readonly tracing: TracingSidecar;
  /**
   * The Datadog agent's settings.
   * @default - no Datadog agent
   */
  readonly datadog?: DatadogConfig;
  /** The image tag to run, or bootstrap mode (zero tasks). */
  readonly image: ImageTagChoice;
  /** Key of the service's log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the service's log groups. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the repository, queues and log groups when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** Let Fargate Spot run most of the tasks. */
  readonly fargateSpot: boolean;
  /**
   * Load-balancer ingress; required when the spec has a path prefix.
   * @default - no ingress
   */
  readonly ingress?: ServiceIngress;
}

const TARGET_PROTOCOL_VERSIONS: Record<ServiceProtocol, elbv2.ApplicationProtocolVersion> = {
  http: elbv2.ApplicationProtocolVersion.HTTP1,
  http2: elbv2.ApplicationProtocolVersion.HTTP2,
  grpc: elbv2.ApplicationProtocolVersion.GRPC,
};

const APP_PROTOCOLS: Record<ServiceProtocol, ecs.AppProtocol> = {
  http: ecs.AppProtocol.http,
  http2: ecs.AppProtocol.http2,
  grpc: ecs.AppProtocol.grpc,
};

/**
 * The app port's mapping: named (Service Connect and App Mesh refer to it by
 * name) and tagged with its protocol (both meshes proxy it accordingly).
 */
export function appPortMapping(spec: ServiceConfig): ecs.PortMapping | undefined {
  return spec.port === undefined
    ? undefined
    : { name: spec.name, containerPort: spec.port, appProtocol: APP_PROTOCOLS[spec.protocol] };
}

/** Images kept per repository; older ones expire so storage does not grow forever. */
const IMAGES_KEPT = 50;

/**
 * One service of the platform: its ECR repository, a Fargate task with the
 * `app` container, the FireLens log router, the tracing sidecar and the
 * optional Datadog agent (app started after each of them), the ECS service
 * with deployment circuit breaker, ECS Exec and autoscaling, the mesh wiring,
 * and, when it has a path prefix, a target group behind the load balancer.
 */
export class PlatformFargateService extends Construct {
  /** The ECS service. */
  readonly service: ecs.FargateService;
  /** The task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The app container. */
  readonly appContainer: ecs.ContainerDefinition;
  /** The repository the pipeline pushes the service's image to. */
  readonly repository: ecr.IRepository;
  /** The target group, when the service has ingress. */
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
  /** The work queue, when the service has one. */
  readonly queue?: ServiceQueue;

  constructor(scope: Construct, id: string, props: PlatformFargateServiceProps) {
    super(scope, id);
    const { spec } = props;
    const wantsIngress = spec.pathPrefix !== undefined && props.mesh.loadBalancerRoutesToServices;
    if (wantsIngress !== (props.ingress !== undefined)) {
      throw new Error(
        `service "${spec.name}": ingress must be given exactly when pathPrefix is set and the ${props.mesh.kind} mesh ` +
          `routes load-balancer traffic to services (pathPrefix: ${JSON.stringify(spec.pathPrefix)})`,
      );
    }

    this.repository = new ecr.Repository(this, 'Repository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      lifecycleRules: [
        { maxImageCount: IMAGES_KEPT, description: `Keep the newest ${IMAGES_KEPT} images` },
      ],
      removalPolicy: props.removalPolicy,
      emptyOnDelete: props.removalPolicy === RemovalPolicy.DESTROY,
    });

    const logGroupProps = {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    };
    const appLogs = new logs.LogGroup(this, 'AppLogs', logGroupProps);
    const sidecarLogs = new logs.LogGroup(this, 'SidecarLogs', logGroupProps);

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      ...props.mesh.taskDefinitionOptions(spec),
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const sidecarProps: SidecarProps = {
      taskDefinition: this.taskDefinition,
      logGroup: sidecarLogs,
      user: props.mesh.sidecarUser,
    };
    const sidecars = this.addSidecars(sidecarProps, props);

    const portMapping = appPortMapping(spec);
    this.appContainer = this.taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, props.image.tag),
      essential: true,
      portMappings: portMapping ? [portMapping] : [],
      environment: Object.assign({}, ...sidecars.map((s) => s.appEnvironment), spec.environment),
      secrets: this.secretsOf(spec.secrets),
      readonlyRootFilesystem: spec.readonlyRootFilesystem,
      // Reaps zombie processes and forwards signals; recommended for ECS Exec sessions.
      linuxParameters: new ecs.LinuxParameters(this, 'AppLinuxParameters', {
        initProcessEnabled: true,
      }),
      logging: firelensToCloudWatch(appLogs, spec.name),
    });
    appLogs.grantWrite(this.taskDefinition.taskRole);
    Validations.of(this.taskDefinition.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings are plain environment variables: config validation rejects secret-looking names there, and secrets reach the task as ecs.Secret from Secrets Manager.',
    });
    this.appContainer.addContainerDependencies(
      ...sidecars.map((s) => ({ container: s.container, condition: s.appStartsAfter })),
    );
    props.mesh.configureTask({
      spec,
      taskDefinition: this.taskDefinition,
      appContainer: this.appContainer,
      sidecarLogs,
    });

    const running = props.image.bootstrap ? 0 : spec.desiredCount;
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: running,
      vpcSubnets: props.subnets,
      assignPublicIp: false,
      securityGroups: [
        new ec2.SecurityGroup(this, 'SecurityGroup', {
          vpc: props.cluster.vpc,
          description: `Tasks of service ${spec.name}`,
          allowAllOutbound: true,
        }),
        props.meshSecurityGroup,
      ],
      enableExecuteCommand: true,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      capacityProviderStrategies: props.fargateSpot
        ? [
            // One on-demand task always; the rest mostly on Spot.
            { capacityProvider: 'FARGATE', base: 1, weight: 1 },
            { capacityProvider: 'FARGATE_SPOT', weight: 3 },
          ]
        : [{ capacityProvider: 'FARGATE', weight: 1 }],
      healthCheckGracePeriod: props.ingress ? Duration.seconds(60) : undefined,
      ...props.mesh.serviceOptions(spec),
    });
    if (spec.port !== undefined) {
      this.service.connections.allowFrom(
        props.meshSecurityGroup,
        ec2.Port.tcp(spec.port),
        'Mesh clients',
      );
    }
    props.mesh.attachService({
      scope: this,
      spec,
      taskDefinition: this.taskDefinition,
      appContainer: this.appContainer,
      sidecarLogs,
      service: this.service,
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.image.bootstrap ? 0 : spec.minCount,
      maxCapacity: spec.maxCount,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: SCALING.cpuUtilizationPercent,
    });

    if (
      props.ingress &&
      spec.port !== undefined &&
      spec.pathPrefix !== undefined &&
      spec.healthCheckPath
    ) {
      this.targetGroup = this.addIngress(
        props.ingress,
        spec,
        spec.port,
        spec.pathPrefix,
        spec.healthCheckPath,
      );
      scaling.scaleOnRequestCount('Requests', {
        requestsPerTarget: SCALING.requestsPerTargetPerMinute,
        targetGroup: this.targetGroup,
      });
    }
    if (spec.queue) {
      this.queue = new ServiceQueue(this, 'Queue', {
        config: spec.queue,
        removalPolicy: props.removalPolicy,
      });
      this.queue.queue.grantConsumeMessages(this.taskDefinition.taskRole);
      this.appContainer.addEnvironment('QUEUE_URL', this.queue.queue.queueUrl);
      // One task per `messagesPerTask` visible messages, up to maxCount.
      scaling.scaleOnMetric('QueueDepth', {
        metric: this.queue.queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
        }),
        scalingSteps: [
          { upper: 0, change: -1 },
          { lower: spec.queue.messagesPerTask, change: +1 },
          { lower: spec.queue.messagesPerTask * 5, change: +3 },
        ],
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        cooldown: Duration.minutes(2),
      });
    }
  }

  private addSidecars(
    sidecarProps: SidecarProps,
    props: PlatformFargateServiceProps,
  ): TaskSidecar[] {
    const sidecars = [
      addFirelensLogRouter(sidecarProps),
      props.tracing === 'otel' ? addOtelCollector(sidecarProps) : addXRayDaemon(sidecarProps),
    ];
    if (props.datadog) {
      sidecars.push(
        addDatadogAgent({
          ...sidecarProps,
          site: props.datadog.site,
          apiKey: this.secretOf('DatadogApiKey', props.datadog.apiKeySecret),
          apiKeyField: props.datadog.apiKeySecret.jsonField,
        }),
      );
    }
    return sidecars;
  }

  private secretOf(id: string, reference: SecretReference): secretsmanager.ISecret {
    return secretsmanager.Secret.fromSecretNameV2(this, id, reference.secretName);
  }

  /** `ecs.Secret`s: ECS reads them at task start with the execution role; nothing lands in the task definition. */
  private secretsOf(
    references: Readonly<Record<string, SecretReference>>,
  ): Record<string, ecs.Secret> {
    return Object.fromEntries(
      Object.entries(references).map(([name, reference]) => [
        name,
        ecs.Secret.fromSecretsManager(
          this.secretOf(`Secret${name}`, reference),
          reference.jsonField,
        ),
      ]),
    );
  }

  private addIngress(
    ingress: ServiceIngress,
    spec: ServiceConfig,
    port: number,
    pathPrefix: string,
    healthCheckPath: string,
  ): elbv2.ApplicationTargetGroup {
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.service.cluster.vpc,
      targetType: elbv2.TargetType.IP,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      protocolVersion: TARGET_PROTOCOL_VERSIONS[spec.protocol],
      deregistrationDelay: ingress.deregistrationDelay,
      healthCheck: {
        path: healthCheckPath,
        // gRPC targets answer health checks with gRPC status codes, not HTTP ones.
        ...(spec.protocol === 'grpc'
          ? { healthyGrpcCodes: '0-99' }
          : { healthyHttpCodes: '200-399' }),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      targets: [
        this.service.loadBalancerTarget({
          containerName: this.appContainer.containerName,
          containerPort: port,
        }),
      ],
    });
    new elbv2.ApplicationListenerRule(this, 'ListenerRule', {
      listener: ingress.listener,
      priority: ingress.priority,
      conditions: [
        elbv2.ListenerCondition.pathPatterns(pathPatternsOf(pathPrefix)),
        ...ingress.conditions,
      ],
      action: elbv2.ListenerAction.forward([targetGroup]),
    });
    this.service.connections.allowFrom(
      ingress.loadBalancer,
      ec2.Port.tcp(port),
      'Load balancer to the app port',
    );
    return targetGroup;
  }
}
