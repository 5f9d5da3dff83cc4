import { Duration, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENVOY, HTTPS_PORT } from '../../../defaults';
import { acknowledgeFindings, controlTower } from '../../../compliance/acknowledge';
import { listenerRulePriority, pathPatternsOf } from '../../ingress/listener-rule-priority';
import { ECS_EXEC_TAG } from '../../service/ecs-exec-access';
import { addEnvoyProxy, setEnvoyMeshResource } from '../../service/sidecars/envoy-proxy';

/** The port the gateway's Envoy listens on for traffic from the load balancer. */
export const GATEWAY_LISTENER_PORT = 8080;

/** Metadata key marking a target group as the virtual gateway's, for the guardrails. */
export const GATEWAY_TARGET_GROUP_MARKER = 'platform:virtual-gateway-target-group';

/** Properties of {@link VirtualGatewayService}. */
export interface VirtualGatewayServiceProps {
  /** The mesh. */
  readonly mesh: appmesh.IMesh;
  /** The cluster to run the gateway in. */
  readonly cluster: ecs.ICluster;
  /** The private subnets of the gateway tasks. */
  readonly subnets: ec2.SubnetSelection;
  /** The load balancer listener whose path rules forward to the gateway. */
  readonly listener: elbv2.IApplicationListener;
  /** The load balancer (its security group is the only allowed client). */
  readonly loadBalancer: ec2.IConnectable;
  /** The path prefixes the load balancer forwards to the gateway. */
  readonly routedPrefixes: readonly string[];
  /** Conditions every rule adds to its path condition (the viewer host names the load balancer routes). */
  readonly routeConditions: readonly elbv2.ListenerCondition[];
  /** Gateway tasks; 2 or more in production. */
  readonly desiredCount: number;
  /** ECS Exec into the gateway's Envoy: the service carries the exec tag and the task role the session grants. */
  readonly ecsExec: boolean;
  /** Key and retention of the gateway's log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The App Mesh virtual gateway as its own ECS service: Envoy only (no app
 * container, no proxy configuration), behind the load balancer. The target
 * group's health check asks Envoy's admin interface (`/ready`) and never
 * reaches an application: an app answering non-200 once made the gateway
 * tasks fail 500+ times overnight (seed 000). The admin port is open to the
 * load balancer's security group only.
 * See https://docs.aws.amazon.com/app-mesh/latest/userguide/virtual_gateways.html
 */
export class VirtualGatewayService extends Construct {
  /** The virtual gateway. */
  readonly gateway: appmesh.VirtualGateway;
  /** The ECS service running the gateway's Envoy. */
  readonly service: ecs.FargateService;
  /** The load balancer's target group of the gateway. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: VirtualGatewayServiceProps) {
    super(scope, id);
    if (props.desiredCount < 1) {
      throw new Error(
        `VirtualGatewayService: desiredCount must be 1 or more, got ${props.desiredCount}`,
      );
    }
    this.gateway = new appmesh.VirtualGateway(this, 'Gateway', {
      mesh: props.mesh,
      listeners: [appmesh.VirtualGatewayListener.http({ port: GATEWAY_LISTENER_PORT })],
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
    });
    const envoy = addEnvoyProxy({
      taskDefinition,
      logGroup: new logs.LogGroup(this, 'Logs', {
        encryptionKey: props.logsKey,
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      }),
    });
    envoy.container.addPortMappings(
      { containerPort: GATEWAY_LISTENER_PORT, name: 'gateway' },
      { containerPort: ENVOY.adminPort, name: 'envoy-admin' },
    );
    setEnvoyMeshResource(envoy.container, this.gateway.virtualGatewayArn);
    iam.Grant.addToPrincipal({
      grantee: taskDefinition.taskRole,
      actions: ['appmesh:StreamAggregatedResources'],
      resourceArns: [this.gateway.virtualGatewayArn],
    });
    Validations.of(taskDefinition.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The gateway task sets only non-secret Envoy settings (log level, its mesh resource ARN) as plain environment variables.',
    });
    acknowledgeFindings(
      taskDefinition,
      [controlTower('ecs_containers_readonly_access_check')],
      "Reference design only (App Mesh's end of support: synth refuses to produce it without -c appMeshReference=true, so it is never deployed): the gateway's Envoy task is kept as the original design built it.",
    );
    acknowledgeFindings(
      taskDefinition,
      [controlTower('ecs_task_definition_memory_hard_limit_check')],
      'On Fargate the task memory (1024 MiB) is the hard limit of its only container, the Envoy gateway.',
    );

    // Egress: HTTPS (App Mesh's control plane, image pulls, logs) and, added by each
    // routed service, its port; nothing else.
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: 'App Mesh virtual gateway tasks',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(HTTPS_PORT),
      'App Mesh control plane and AWS APIs',
    );
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition,
      desiredCount: props.desiredCount,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      assignPublicIp: false,
      enableExecuteCommand: props.ecsExec,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      healthCheckGracePeriod: Duration.seconds(30),
    });
    if (props.ecsExec) {
      Tags.of(this.service).add(ECS_EXEC_TAG.key, ECS_EXEC_TAG.value);
    }

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.cluster.vpc,
      targetType: elbv2.TargetType.IP,
      port: GATEWAY_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        // Envoy's own readiness, on its admin port: never an application.
        port: String(ENVOY.adminPort),
        path: '/ready',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
      },
      targets: [
        this.service.loadBalancerTarget({
          containerName: envoy.container.containerName,
          containerPort: GATEWAY_LISTENER_PORT,
        }),
      ],
    });
    this.targetGroup.node.defaultChild!.node.addMetadata(GATEWAY_TARGET_GROUP_MARKER, {
      adminPort: ENVOY.adminPort,
    });

    for (const prefix of props.routedPrefixes) {
      new elbv2.ApplicationListenerRule(
        this,
        `Rule${listenerRulePriority(prefix, props.routedPrefixes)}`,
        {
          listener: props.listener,
          priority: listenerRulePriority(prefix, props.routedPrefixes),
          conditions: [
            elbv2.ListenerCondition.pathPatterns(pathPatternsOf(prefix)),
            ...props.routeConditions,
          ],
          action: elbv2.ListenerAction.forward([this.targetGroup]),
        },
      );
    }
    this.service.connections.allowFrom(
      props.loadBalancer,
      ec2.Port.tcp(GATEWAY_LISTENER_PORT),
      'Load balancer to the gateway',
    );
    this.service.connections.allowFrom(
      props.loadBalancer,
      ec2.Port.tcp(ENVOY.adminPort),
      'Load balancer health check of Envoy',
    );
  }
}
