import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MeshKind, ServiceConfig } from '../../../config';

/** What a mesh sees of one service while its task is being built. */
export interface MeshTask {
  /** The service's settings. */
  readonly spec: ServiceConfig;
  /** The task definition being built. */
  readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  readonly appContainer: ecs.ContainerDefinition;
  /** Where sidecars the mesh adds send their own output. */
  readonly sidecarLogs: logs.ILogGroup;
}

/** What a mesh sees of one service once it exists. */
export interface MeshService extends MeshTask {
  /** Where the mesh creates the service's own mesh resources (its stack). */
  readonly scope: Construct;
  /** The ECS service. */
  readonly service: ecs.FargateService;
}

/**
 * How services reach each other. One implementation per back end, built from
 * the same service specs: ECS Service Connect (default) and the original App
 * Mesh design. The service construct calls the hooks in this order:
 * taskDefinitionOptions, configureTask, serviceOptions, attachService.
 */
export interface IServiceMesh {
  /** The back end, as configured. */
  readonly kind: MeshKind;
  /**
   * Whether the load balancer routes to each service's own target group
   * (Service Connect) or to a mesh gateway that routes on (App Mesh).
   */
  readonly loadBalancerRoutesToServices: boolean;
  /**
   * The user sidecars run as, so a transparent proxy lets their traffic
   * (logs, traces) bypass it.
   * @default - the image's user
   */
  readonly sidecarUser?: string;
  /** Task definition properties the mesh sets (e.g. the proxy configuration). */
  taskDefinitionOptions(
    spec: ServiceConfig,
  ): Pick<ecs.FargateTaskDefinitionProps, 'proxyConfiguration'>;
  /** Adds what the mesh needs inside the task (e.g. a proxy sidecar) before the service exists. */
  configureTask(task: MeshTask): void;
  /** Service properties the mesh sets (discovery, Service Connect). */
  serviceOptions(
    spec: ServiceConfig,
  ): Pick<ecs.FargateServiceProps, 'serviceConnectConfiguration' | 'cloudMapOptions'>;
  /** Creates the service's mesh resources once the ECS service exists. */
  attachService(service: MeshService): void;
}
