import * as ecs from 'aws-cdk-lib/aws-ecs';
import { MeshKind, ServiceConfig } from '../../../config';

/** What a mesh sees of one service while its task is being built. */
export interface MeshTask {
  /** The service's settings. */
  readonly spec: ServiceConfig;
  /** The task definition being built. */
  readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  readonly appContainer: ecs.ContainerDefinition;
}

/**
 * How services reach each other. One implementation per back end, built from
 * the same service specs: ECS Service Connect today, the original App Mesh
 * design as the second implementation.
 */
export interface IServiceMesh {
  /** The back end, as configured. */
  readonly kind: MeshKind;
  /** Adds what the mesh needs inside the task (e.g. a proxy sidecar) before the service exists. */
  configureTask(task: MeshTask): void;
  /** Service properties the mesh sets (discovery, Service Connect). */
  serviceOptions(spec: ServiceConfig): Pick<ecs.FargateServiceProps, 'serviceConnectConfiguration'>;
}
