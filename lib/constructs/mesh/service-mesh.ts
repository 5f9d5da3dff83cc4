import * as ecs from 'aws-cdk-lib/aws-ecs';
import { MeshKind, ServiceConfig } from '../../../config';
import { ServiceApp, ServiceFeature, ServiceInstance } from '../service/service-feature';

/**
 * How services reach each other: a service feature every service has. One
 * implementation per back end, built from the same service specs: ECS Service
 * Connect (default) and the original App Mesh design.
 */
export interface IServiceMesh extends ServiceFeature {
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
  /** The URL a caller reaches `callee` (a service with a port) at, through the mesh. */
  urlOf(callee: ServiceConfig & { readonly port: number }): string;
  taskDefinitionProps(
    spec: ServiceConfig,
  ): Pick<ecs.FargateTaskDefinitionProps, 'proxyConfiguration'>;
  useAppContainer(app: ServiceApp): void;
  serviceProps(
    spec: ServiceConfig,
  ): Pick<ecs.FargateServiceProps, 'serviceConnectConfiguration' | 'cloudMapOptions'>;
  useService(service: ServiceInstance): void;
}
