import { RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  AlarmThresholds,
  CpuArchitectureName,
  DatadogConfig,
  ServiceConfig,
  ServiceProtocol,
  ServiceRelease,
  TracingSidecar,
} from '../../../config';
import { HTTPS_PORT, SCALING } from '../../defaults';
import { IServiceMesh } from '../mesh/service-mesh';
import { SecretParameterRegistry } from '../secrets/secret-parameter-registry';
import { LoadBalancerIngress } from './features/load-balancer-ingress';
import { DeploymentNotifications, ServiceHealth } from './features/service-health';
import { SidecarContainer } from './features/sidecar-container';
import { ECS_EXEC_TAG } from './ecs-exec-access';
import { ImagePushRole } from './image-push-role';
import { ServiceApp, ServiceFeature, ServiceTask } from './service-feature';
import { addDatadogAgent } from './sidecars/datadog-agent';
import { addFirelensLogRouter, firelensToCloudWatch } from './sidecars/firelens-log-router';
import { addOtelCollector } from './sidecars/otel-collector';
import { TaskSidecar } from './sidecars/task-sidecar';
import { addXRayDaemon } from './sidecars/xray-daemon';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

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
  /** The `/<env>/` registry the service's secrets (and the Datadog key) come from. */
  readonly parameters: SecretParameterRegistry;
  /** Which tracing sidecar to run. */
  readonly tracing: TracingSidecar;
  /**
   * The Datadog agent's settings.
   * @default - no Datadog agent
   */
  readonly datadog?: DatadogConfig;
  /** The image tag or digest to run (the environment's release manifest), or bootstrap mode (zero tasks). */
  readonly release: ServiceRelease;
  /** Key of the service's log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the service's log groups. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the repository, queues and log groups when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Let Fargate Spot run the tasks beyond one on-demand task (Spot takes
   * ARM64 tasks on platform version 1.4.0 and later).
   * See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
   */
  readonly fargateSpot: boolean;
  /**
   * ECS Exec into the tasks: the service carries {@link ECS_EXEC_TAG} (its
   * tasks inherit it) and the task role gets the session channels. Off, the
   * service has ECS Exec disabled and the task role no `ssmmessages:` grant.
   * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
   */
  readonly ecsExec: boolean;
  /**
   * Load-balancer traffic to the service (built for a routed service only).
   * @default - no load-balancer ingress
   */
  readonly ingress?: LoadBalancerIngress;
  /**
   * The features that wire the service to the platform (its callers, the
   * services it calls, the database, token validation, its queue).
   * @default - none
   */
  readonly features?: readonly ServiceFeature[];
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

/** The task architecture of each config value (see `CPU_ARCHITECTURES` for why ARM64 is the default). */
const CPU_ARCHITECTURES: Record<CpuArchitectureName, ecs.CpuArchitecture> = {
  arm64: ecs.CpuArchitecture.ARM64,
  x86_64: ecs.CpuArchitecture.X86_64,
};

/** The name of every service's own container (ECS Exec sessions open in it). */
export const APP_CONTAINER_NAME = 'app';

/** Images kept per repository; older ones expire so storage does not grow forever. */
const IMAGES_KEPT = 50;

/**
 * One service of the platform: its ECR repository, a Fargate task with the
 * `app` container and the ECS service (deployment circuit breaker, ECS Exec
 * where `ecsExec` says, CPU autoscaling, a security group of its own that sends only HTTPS), plus
 * its features, each a {@link ServiceFeature}: the FireLens log router, the
 * tracing sidecar, the optional Datadog agent (the app starts after each),
 * the mesh, load-balancer ingress for a routed service, the features that
 * wire it to the platform (`features`), and its health alarms.
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
  /** The repository the service's own GitHub repository publishes its image to. */
  readonly repository: ecr.IRepository;
  /** The role the service's GitHub repository publishes with (OIDC, `main` only, this repository only). */
  readonly pushRole: iam.IRole;
  /** The target group, when the service has ingress. */
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
  /** The service's own security group (the callers' groups it carries are not its own). */
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformFargateServiceProps) {
    super(scope, id);
    const { spec } = props;
    // In order: the app waits for the sidecars; the mesh adds its proxy (if any) after the app.
    const features: ServiceFeature[] = [
      new SidecarContainer(addFirelensLogRouter),
      new SidecarContainer(props.tracing === 'otel' ? addOtelCollector : addXRayDaemon),
      ...(props.datadog ? [this.datadogAgent({ ...props, datadog: props.datadog })] : []),
      props.mesh,
      ...(props.ingress ? [props.ingress] : []),
      ...(props.features ?? []),
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
    this.pushRole = new ImagePushRole(this, 'PushRole', {
      repository: this.repository,
      github: spec.github,
      serviceName: spec.name,
    }).role;
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
        cpuArchitecture: CPU_ARCHITECTURES[spec.cpuArchitecture],
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

    // Egress: HTTPS (the VPC endpoints, AWS APIs and the sidecars' intakes through NAT);
    // features add the ports of the database and of the called services.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `Tasks of service ${spec.name}`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(HTTPS_PORT),
      'AWS APIs (VPC endpoints) and HTTPS out through NAT',
    );
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.release.bootstrap ? 0 : spec.desiredCount,
      vpcSubnets: props.subnets,
      assignPublicIp: false,
      securityGroups: [this.securityGroup],
      enableExecuteCommand: props.ecsExec,
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
    if (props.ecsExec) {
      // On the service only: it propagates its tags to its tasks (propagateTags: SERVICE).
      Tags.of(this.service).add(ECS_EXEC_TAG.key, ECS_EXEC_TAG.value);
    }
    this.carryMarkerGroups(features.flatMap((f) => f.securityGroups?.() ?? []));
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.release.bootstrap ? 0 : spec.minCount,
      maxCapacity: spec.maxCount,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: SCALING.cpuUtilizationPercent,
    });
    features.forEach((f) =>
      f.useService?.({ ...app, service: this.service, scaling, securityGroup: this.securityGroup }),
    );
    // Literal names: the alarms watch this service, so a reference back would be a cycle.
    this.service.enableDeploymentAlarms(
      features.flatMap((f) => f.deploymentAlarms?.() ?? []).map((alarm) => alarm.literalName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
    this.targetGroup = props.ingress?.targetGroup;
  }

  /**
   * Puts `markers` (the callers' groups of the services this one calls) on
   * the tasks' network interfaces without making them the service's
   * connections: the load balancer's target registration opens every group
   * of `service.connections`, and a callers' group must admit nothing.
   */
  private carryMarkerGroups(markers: readonly ec2.ISecurityGroup[]): void {
    if (markers.length > 0) {
      (this.service.node.defaultChild as ecs.CfnService).addPropertyOverride(
        'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
        [this.securityGroup, ...markers].map((group) => group.securityGroupId),
      );
    }
  }

  /** The `app` container: the service's image, its settings and secrets, logging through FireLens. */
  private addAppContainer(
    props: PlatformFargateServiceProps,
    appLogs: logs.LogGroup,
    sidecars: readonly TaskSidecar[],
  ): ecs.ContainerDefinition {
    const { spec } = props;
    const portMapping = appPortMapping(spec);
    const container = this.taskDefinition.addContainer(APP_CONTAINER_NAME, {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, props.release.image),
      essential: true,
      portMappings: portMapping ? [portMapping] : [],
      environment: Object.assign({}, ...sidecars.map((s) => s.appEnvironment), spec.environment),
      // ECS reads them at task start with the execution role, which may read exactly these.
      secrets: Object.fromEntries(
        Object.entries(spec.secrets).map(([variable, name]) => [
          variable,
          props.parameters.secretFor(name, `service ${spec.name}`).ecsSecret(),
        ]),
      ),
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
    acknowledgeFindings(
      this.taskDefinition,
      [controlTower('ecs_task_definition_nonroot_user_check')],
      "The FireLens log router must run as root: it creates the unix socket the other containers log to in a directory ECS owns (https://github.com/aws/containers-roadmap/issues/2122, open); the app runs as its image's user.",
    );
    acknowledgeFindings(
      this.taskDefinition,
      [controlTower('ecs_task_definition_memory_hard_limit_check')],
      'On Fargate the task memory (cpu/memoryMiB of the service) is the hard limit of all its containers together; each sidecar has a memory reservation, and a per-container hard limit would kill the app on a peak the task could absorb.',
    );
    acknowledgeFindings(
      this.taskDefinition,
      [controlTower('ecs_containers_readonly_access_check')],
      'The FireLens log router writes its generated configuration into its own filesystem, so it cannot be read-only; the collector is read-only, and the app is read-only where its service sets readonlyRootFilesystem.',
    );
    container.addContainerDependencies(
      ...sidecars.map((s) => ({ container: s.container, condition: s.appStartsAfter })),
    );
    return container;
  }

  private datadogAgent(
    props: PlatformFargateServiceProps & { datadog: DatadogConfig },
  ): ServiceFeature {
    const { datadog, parameters, spec } = props;
    return new SidecarContainer((sidecar) =>
      addDatadogAgent({
        ...sidecar,
        site: datadog.site,
        apiKey: parameters
          .secretFor(datadog.apiKeySecret, `service ${spec.name} (Datadog agent)`)
          .ecsSecret(),
      }),
    );
  }
}
