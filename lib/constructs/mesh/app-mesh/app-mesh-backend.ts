import { Annotations, CfnResource, Duration } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { ServiceConfig, ServiceProtocol } from '../../../../config';
import { ENVOY } from '../../../defaults';
import {
  addEnvoyProxy,
  ENVOY_CONTAINER_NAME,
  setEnvoyMeshResource,
} from '../../service/sidecars/envoy-proxy';
import { APP_MESH_END_OF_SUPPORT } from '../../../app-mesh-reference';
import { acknowledgeAppMeshEndOfSupport } from './end-of-support';
import { ServiceApp, ServiceInstance } from '../../service/service-feature';
import { IServiceMesh } from '../service-mesh';
import { VirtualGatewayService, VirtualGatewayServiceProps } from './virtual-gateway-service';

/** Properties of {@link AppMeshBackend}. */
export interface AppMeshBackendProps {
  /** The Cloud Map namespace name, e.g. `dev.internal`; virtual services are `<service>.<namespace>`. */
  readonly namespaceName: string;
  /** The VPC of the private DNS namespace (ECS registers tasks with A records). */
  readonly vpc: ec2.IVpc;
}

/** Gateway route priorities run 0 (first) to 1000 (last). */
const GATEWAY_ROUTE_MAX_PRIORITY = 1000;

/** Per-protocol listener settings; the listener speaks exactly the app port's protocol. */
const LISTENER_TIMEOUT = { idle: Duration.seconds(60), perRequest: Duration.seconds(15) };
const OUTLIER_DETECTION: appmesh.OutlierDetection = {
  interval: Duration.seconds(10),
  maxServerErrors: 5,
  baseEjectionDuration: Duration.seconds(30),
  maxEjectionPercent: 50,
};

function listenerFor(spec: ServiceConfig, port: number): appmesh.VirtualNodeListener {
  const path = spec.route?.healthCheckPath ?? '/';
  const common = { port, outlierDetection: OUTLIER_DETECTION, timeout: LISTENER_TIMEOUT };
  const healthCheck = {
    interval: Duration.seconds(10),
    timeout: Duration.seconds(5),
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  };
  const listeners: Record<ServiceProtocol, () => appmesh.VirtualNodeListener> = {
    http: () =>
      appmesh.VirtualNodeListener.http({
        ...common,
        healthCheck: appmesh.HealthCheck.http({ ...healthCheck, path }),
        connectionPool: { maxConnections: 1024, maxPendingRequests: 1024 },
      }),
    http2: () =>
      appmesh.VirtualNodeListener.http2({
        ...common,
        healthCheck: appmesh.HealthCheck.http2({ ...healthCheck, path }),
        connectionPool: { maxRequests: 1024 },
      }),
    grpc: () =>
      appmesh.VirtualNodeListener.grpc({
        ...common,
        healthCheck: appmesh.HealthCheck.grpc(healthCheck),
        connectionPool: { maxRequests: 1024 },
      }),
  };
  return listeners[spec.protocol]();
}

function routeSpecFor(spec: ServiceConfig, node: appmesh.IVirtualNode): appmesh.RouteSpec {
  const weightedTargets = [{ virtualNode: node, weight: 1 }];
  const retry = { retryAttempts: 2, retryTimeout: Duration.seconds(5) };
  if (spec.protocol === 'grpc') {
    return appmesh.RouteSpec.grpc({
      weightedTargets,
      match: { serviceName: `${spec.name}` },
      retryPolicy: {
        ...retry,
        httpRetryEvents: [
          appmesh.HttpRetryEvent.SERVER_ERROR,
          appmesh.HttpRetryEvent.GATEWAY_ERROR,
        ],
        grpcRetryEvents: [appmesh.GrpcRetryEvent.UNAVAILABLE],
      },
    });
  }
  const options = {
    weightedTargets,
    match: { path: appmesh.HttpRoutePathMatch.startsWith('/') },
    retryPolicy: {
      ...retry,
      httpRetryEvents: [appmesh.HttpRetryEvent.SERVER_ERROR, appmesh.HttpRetryEvent.GATEWAY_ERROR],
    },
  };
  return spec.protocol === 'http2'
    ? appmesh.RouteSpec.http2(options)
    : appmesh.RouteSpec.http(options);
}

/**
 * The original App Mesh design: a mesh that drops all egress not declared as
 * a backend, and per service a Cloud Map service, a virtual node (listener,
 * health check, timeouts, outlier detection, connection pool for its
 * protocol, backends from `calls`), a virtual router with a retrying route,
 * and a virtual service named by its discovery name. Tasks get an Envoy
 * sidecar and the AppMesh proxy configuration.
 * See https://docs.aws.amazon.com/app-mesh/latest/userguide/what-is-app-mesh.html
 */
export class AppMeshBackend extends Construct implements IServiceMesh {
  readonly kind = 'app-mesh' as const;
  readonly loadBalancerRoutesToServices = false;
  readonly sidecarUser = String(ENVOY.uid);
  /** The mesh. */
  readonly mesh: appmesh.Mesh;
  /** The namespace services register in. */
  readonly namespace: servicediscovery.PrivateDnsNamespace;
  /** The virtual gateway, once added. */
  gateway?: VirtualGatewayService;
  private readonly envoys = new Map<ecs.TaskDefinition, ecs.ContainerDefinition>();

  constructor(scope: Construct, id: string, props: AppMeshBackendProps) {
    super(scope, id);
    Annotations.of(this).addWarningV2(
      'platform:app-mesh-end-of-support',
      `AWS App Mesh reached end of support on ${APP_MESH_END_OF_SUPPORT}: its console and resources can no longer be ` +
        'accessed. This assembly is the reference of the original design, for study and review: it cannot be deployed. ' +
        "Use mesh 'service-connect'; the README section 'From App Mesh to Service Connect' maps each concept.",
    );
    this.mesh = new appmesh.Mesh(this, 'Mesh', { egressFilter: appmesh.MeshFilterType.DROP_ALL });
    acknowledgeAppMeshEndOfSupport(this.mesh);
    this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: props.namespaceName,
      vpc: props.vpc,
      description: 'Cloud Map namespace of the App Mesh virtual nodes',
    });
  }

  /** Adds the virtual gateway service the load balancer forwards the routed prefixes to. */
  addGateway(props: Omit<VirtualGatewayServiceProps, 'mesh'>): VirtualGatewayService {
    if (this.gateway) {
      throw new Error('AppMeshBackend: the mesh already has a virtual gateway');
    }
    this.gateway = new VirtualGatewayService(this, 'VirtualGateway', { ...props, mesh: this.mesh });
    acknowledgeAppMeshEndOfSupport(this.gateway.gateway);
    return this.gateway;
  }

  /** The virtual service name of a service: its discovery name. */
  virtualServiceName(serviceName: string): string {
    return `${serviceName}.${this.namespace.namespaceName}`;
  }

  /** The callee's virtual service, through the caller's Envoy. */
  urlOf(callee: ServiceConfig & { readonly port: number }): string {
    return `http://${this.virtualServiceName(callee.name)}:${callee.port}`;
  }

  taskDefinitionProps(
    spec: ServiceConfig,
  ): Pick<ecs.FargateTaskDefinitionProps, 'proxyConfiguration'> {
    return {
      // Envoy's own traffic (UID 1337) and the metadata endpoints bypass the proxy.
      // See https://docs.aws.amazon.com/app-mesh/latest/userguide/getting-started-ecs.html
      proxyConfiguration: new ecs.AppMeshProxyConfiguration({
        containerName: ENVOY_CONTAINER_NAME,
        properties: {
          ignoredUID: ENVOY.uid,
          proxyIngressPort: ENVOY.ingressPort,
          proxyEgressPort: ENVOY.egressPort,
          appPorts: spec.port === undefined ? [] : [spec.port],
          egressIgnoredIPs: [...ENVOY.egressIgnoredIps],
        },
      }),
    };
  }

  useAppContainer(task: ServiceApp): void {
    const envoy = addEnvoyProxy({
      taskDefinition: task.taskDefinition,
      logGroup: task.sidecarLogs,
    });
    task.appContainer.addContainerDependencies({
      container: envoy.container,
      condition: envoy.appStartsAfter,
    });
    this.envoys.set(task.taskDefinition, envoy.container);
  }

  serviceProps(spec: ServiceConfig): Pick<ecs.FargateServiceProps, 'cloudMapOptions'> {
    return {
      cloudMapOptions: {
        cloudMapNamespace: this.namespace,
        name: spec.name,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
      },
    };
  }

  useService(binding: ServiceInstance): void {
    const { scope, spec, service, taskDefinition } = binding;
    const cloudMapService = service.cloudMapService;
    if (!cloudMapService) {
      throw new Error(`service "${spec.name}": App Mesh needs the service registered in Cloud Map`);
    }
    const node = new appmesh.VirtualNode(scope, 'VirtualNode', {
      mesh: this.mesh,
      serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(cloudMapService),
      listeners: spec.port === undefined ? [] : [listenerFor(spec, spec.port)],
      backends: (spec.calls ?? []).map((callee) =>
        appmesh.Backend.virtualService(
          appmesh.VirtualService.fromVirtualServiceAttributes(scope, `Backend${callee}`, {
            mesh: this.mesh,
            virtualServiceName: this.virtualServiceName(callee),
          }),
        ),
      ),
    });
    if (spec.port !== undefined) {
      const router = new appmesh.VirtualRouter(scope, 'VirtualRouter', {
        mesh: this.mesh,
        listeners: [appmesh.VirtualRouterListener[spec.protocol](spec.port)],
      });
      const route = router.addRoute('Route', { routeSpec: routeSpecFor(spec, node) });
      const virtualService = new appmesh.VirtualService(scope, 'VirtualService', {
        virtualServiceName: this.virtualServiceName(spec.name),
        virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
      });
      acknowledgeAppMeshEndOfSupport(router, route, virtualService);
      if (spec.route && this.gateway) {
        this.addGatewayRoute(scope, spec.route.pathPrefix, virtualService);
        binding.securityGroup.connections.allowFrom(
          this.gateway.service,
          ec2.Port.tcp(spec.port),
          'App Mesh virtual gateway',
        );
      }
    }
    acknowledgeAppMeshEndOfSupport(node);
    const envoy = this.envoys.get(taskDefinition);
    if (!envoy) {
      throw new Error(`service "${spec.name}": useAppContainer must run before useService`);
    }
    setEnvoyMeshResource(envoy, node.virtualNodeArn);
    // Envoy fetches the configuration of its own node, and only that node. A
    // policy of its own (not the role's default policy) avoids a dependency
    // cycle: the node needs the Cloud Map service, which the ECS service
    // creates after the default policy.
    const meshAccess = new iam.Policy(scope, 'EnvoyMeshAccess', {
      roles: [taskDefinition.taskRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['appmesh:StreamAggregatedResources'],
          resources: [node.virtualNodeArn],
        }),
      ],
    });
    (service.node.defaultChild as CfnResource).addResourceDependency(
      meshAccess.node.defaultChild as CfnResource,
    );
  }

  /**
   * Routes a prefix from the gateway to a virtual service. App Mesh rewrites
   * a matched prefix to `/` by default; the rewrite is disabled so the app
   * sees the path the client sent (`/v1/api/users` stays `/v1/api/users`).
   * Longer prefixes get higher priority (lower number), as on the ALB.
   * See https://docs.aws.amazon.com/app-mesh/latest/userguide/gateway-routes.html
   */
  private addGatewayRoute(scope: Construct, prefix: string, target: appmesh.IVirtualService): void {
    const route = new appmesh.GatewayRoute(scope, 'GatewayRoute', {
      virtualGateway: this.gateway!.gateway,
      routeSpec: appmesh.GatewayRouteSpec.http({
        routeTarget: target,
        match: {
          path: appmesh.HttpGatewayRoutePathMatch.startsWith(
            prefix === '/' ? '/' : `${prefix}/`,
            '',
          ),
        },
        priority: GATEWAY_ROUTE_MAX_PRIORITY - prefix.length,
      }),
    });
    acknowledgeAppMeshEndOfSupport(route);
  }
}
