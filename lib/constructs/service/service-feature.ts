import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceConfig } from '../../../config';
import { PlatformAlarm } from '../operations/platform-alarm';
import { TaskSidecar } from './sidecars/task-sidecar';

/** What a feature sees of a service while its task definition is being built. */
export interface ServiceTask {
  /** The service construct: features create their resources under it. */
  readonly scope: Construct;
  /** The service's settings. */
  readonly spec: ServiceConfig;
  /** The task definition being built. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** Where sidecars send their own output. */
  readonly sidecarLogs: logs.ILogGroup;
  /**
   * The user sidecars run as (see {@link IServiceMesh.sidecarUser}).
   * @default - the image's user
   */
  readonly sidecarUser?: string;
}

/** What a feature sees once the app container exists. */
export interface ServiceApp extends ServiceTask {
  /** The application container. */
  readonly appContainer: ecs.ContainerDefinition;
}

/** What a feature sees once the ECS service exists. */
export interface ServiceInstance extends ServiceApp {
  /** The ECS service. */
  readonly service: ecs.FargateService;
  /**
   * The service's own security group: features open ports and egress on it
   * (never on `service.connections`, which also holds the callers' groups
   * the tasks carry).
   */
  readonly securityGroup: ec2.SecurityGroup;
  /** The service's task-count scaling, for scaling policies of the feature. */
  readonly scaling: ecs.ScalableTaskCount;
}

/**
 * One feature of a service (a sidecar, the mesh, load-balancer ingress, a
 * queue), in the spirit of cdk-ecs-service-extensions: the service calls
 * every hook a feature implements, feature by feature, in this order:
 * taskDefinitionProps, addContainers, useAppContainer, serviceProps,
 * securityGroups, useService, deploymentAlarms.
 * Permissions and environment are granted together by the feature that needs them.
 */
export interface ServiceFeature {
  /** Task definition properties the feature sets (e.g. the proxy configuration). */
  taskDefinitionProps?(spec: ServiceConfig): Partial<ecs.FargateTaskDefinitionProps>;
  /** Adds containers the app starts after; their `appEnvironment` reaches the app. */
  addContainers?(task: ServiceTask): readonly TaskSidecar[];
  /** Runs once the app container exists (e.g. a proxy the app must wait for). */
  useAppContainer?(app: ServiceApp): void;
  /**
   * Security groups the tasks carry besides their own, as markers for other
   * services' rules (the callers' group of a called service): they are not
   * part of the service's connections, so no rule is ever added to them here.
   */
  securityGroups?(): readonly ec2.ISecurityGroup[];
  /** Service properties the feature sets (discovery, Service Connect, grace period). */
  serviceProps?(spec: ServiceConfig): Partial<ecs.FargateServiceProps>;
  /** Runs once the ECS service exists (target groups, queues, mesh resources, scaling). */
  useService?(service: ServiceInstance): void;
  /**
   * The feature's alarms that roll a deployment of the service back (ECS
   * deployment alarms), once the service exists: its health as the feature sees it.
   */
  deploymentAlarms?(): readonly PlatformAlarm[];
}
