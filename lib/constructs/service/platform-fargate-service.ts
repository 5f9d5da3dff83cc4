import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  AlarmThresholds,
  DatadogConfig,
  SecretReference,
  ServiceConfig,
  ServiceProtocol,
  TracingSidecar,
} from '../../../config';
import { SCALING } from '../../defaults';
import { ImageTagChoice } from '../../image-tag';
import { IServiceMesh } from '../mesh/service-mesh';
import { LoadBalancerIngress } from './features/load-balancer-ingress';
import { MeshServerPort } from './features/mesh-server-port';
import { QueueConsumer } from './features/queue-consumer';
import { DeploymentNotifications, ServiceHealth } from './features/service-health';
import { SidecarContainer } from './features/sidecar-container';
import { ServiceApp, ServiceFeature, ServiceTask } from './service-feature';
import { ServiceQueue } from './service-queue';
import { addDatadogAgent } from './sidecars/datadog-agent';
import { addFirelensLogRouter, firelensToCloudWatch } from './sidecars/firelens-log-router';
import { addOtelCollector } from './sidecars/otel-collector';
import { TaskSidecar } from './sidecars/task-sidecar';
import { addXRayDaemon } from './sidecars/xray-daemon';

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
   * Load-balancer traffic to the service (built for a routed service only).
   * @default - no load-balancer ingress
   */
  readonly ingress?: LoadBalancerIngress;
  /** Thresholds of the service's alarms. */
  readonly alarmThresholds: AlarmThresholds;
  /** Where failed deployments are told. */
  readonly deploymentNotifications: DeploymentNotifications;
}

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
 * `app` container and the ECS service (deployment circuit breaker, ECS Exec,
 * CPU autoscaling), plus its features, each a {@link ServiceFeature}: the
 * FireLens log router, the tracing sidecar, the optional Datadog agent (the
 * app starts after each), the mesh, load-balancer ingress for a routed
 * service, a work queue for a worker, and its health alarms.
 *
 * A deployment rolls back, besides the circuit breaker, when one of the
 * features' deployment alarms goes into ALARM (its 5xx rate or unhealthy
 * targets, tasks below desired, a message in its dead-letter queue).
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
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
    const queue = spec.queue
      ? new QueueConsumer(spec.queue, props.removalPolicy, props.alarmThresholds)
      : undefined;
    // In order: the app waits for the sidecars; the mesh adds its proxy (if any) after the app.
    const features: ServiceFeature[] = [
      new SidecarContainer(addFirelensLogRouter),
      new SidecarContainer(props.tracing === 'otel' ? addOtelCollector : addXRayDaemon),
      ...(props.datadog ? [this.datadogAgent(props.datadog)] : []),
      new MeshServerPort(props.meshSecurityGroup),
      props.mesh,
      ...(props.ingress ? [props.ingress] : []),
      ...(queue ? [queue] : []),
      new ServiceHealth(props.alarmThresholds, props.deploymentNotifications),
    ];

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
      ...Object.assign({}, ...features.map((f) => f.taskDefinitionProps?.(spec))),
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const task: ServiceTask = {
      scope: this,
      spec,
      taskDefinition: this.taskDefinition,
      sidecarLogs,
      sidecarUser: props.mesh.sidecarUser,
    };
    const sidecars = features.flatMap((f) => f.addContainers?.(task) ?? []);
    this.appContainer = this.addAppContainer(props, appLogs, sidecars);
    const app: ServiceApp = { ...task, appContainer: this.appContainer };
    features.forEach((f) => f.useAppContainer?.(app));

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.image.bootstrap ? 0 : spec.desiredCount,
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
      ...Object.assign({}, ...features.map((f) => f.serviceProps?.(spec))),
    });
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.image.bootstrap ? 0 : spec.minCount,
      maxCapacity: spec.maxCount,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: SCALING.cpuUtilizationPercent,
    });
    features.forEach((f) => f.useService?.({ ...app, service: this.service, scaling }));
    // Literal names: the alarms watch this service, so a reference back would be a cycle.
    this.service.enableDeploymentAlarms(
      features.flatMap((f) => f.deploymentAlarms?.() ?? []).map((alarm) => alarm.literalName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
    this.targetGroup = props.ingress?.targetGroup;
    this.queue = queue?.queue;
  }

  /** The `app` container: the service's image, its settings and secrets, logging through FireLens. */
  private addAppContainer(
    props: PlatformFargateServiceProps,
    appLogs: logs.LogGroup,
    sidecars: readonly TaskSidecar[],
  ): ecs.ContainerDefinition {
    const { spec } = props;
    const portMapping = appPortMapping(spec);
    const container = this.taskDefinition.addContainer('app', {
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
    container.addContainerDependencies(
      ...sidecars.map((s) => ({ container: s.container, condition: s.appStartsAfter })),
    );
    return container;
  }

  private datadogAgent(datadog: DatadogConfig): ServiceFeature {
    return new SidecarContainer((sidecar) =>
      addDatadogAgent({
        ...sidecar,
        site: datadog.site,
        apiKey: this.secretOf('DatadogApiKey', datadog.apiKeySecret),
        apiKeyField: datadog.apiKeySecret.jsonField,
      }),
    );
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
}
