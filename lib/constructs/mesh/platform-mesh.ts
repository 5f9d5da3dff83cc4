import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MeshKind } from '../../../config';
import { LoadBalancerRoutes } from '../service/features/load-balancer-ingress';
import { AppMeshBackend } from './app-mesh/app-mesh-backend';
import { ServiceCallers } from './service-callers';
import { ServiceConnectMesh } from './service-connect-mesh';
import { IServiceMesh } from './service-mesh';

/** Properties of {@link addPlatformMesh}. */
export interface PlatformMeshProps {
  /** The back end. */
  readonly kind: MeshKind;
  /** The Cloud Map namespace name, e.g. `dev.internal`. */
  readonly namespaceName: string;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The cluster (App Mesh runs its virtual gateway there). */
  readonly cluster: ecs.ICluster;
  /** Private subnets of the virtual gateway's tasks (App Mesh). */
  readonly gatewaySubnets: ec2.SubnetSelection;
  /** The load balancer's routes (App Mesh routes them to its virtual gateway). */
  readonly routes: LoadBalancerRoutes;
  /** The path prefixes of every routed service (App Mesh: the gateway's rules). */
  readonly routedPrefixes: readonly string[];
  /** The services some service calls: each gets its callers' group. */
  readonly servers: readonly string[];
  /** Tasks of the virtual gateway (App Mesh). */
  readonly gatewayTasks: number;
  /** ECS Exec into the virtual gateway's tasks (App Mesh). */
  readonly gatewayEcsExec: boolean;
  /** Key, retention and removal policy of the mesh's log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The environment's mesh and who may call whom in it. */
export interface PlatformMesh {
  readonly mesh: IServiceMesh;
  /** The callers' security group of each service that can be called. */
  readonly callers: ServiceCallers;
}

/**
 * Builds the configured mesh in `scope`: Service Connect (a namespace and the
 * proxies' log group) or App Mesh (mesh, namespace and the virtual gateway
 * behind the load balancer), and the callers' security groups, which let
 * each service reach only the services it declares in `calls`, whichever the
 * mesh. The resources keep the construct IDs they had in the application
 * stack, so no deployed resource is replaced.
 */
export function addPlatformMesh(scope: Construct, props: PlatformMeshProps): PlatformMesh {
  const callers = new ServiceCallers(scope, 'ServiceCallers', {
    vpc: props.vpc,
    servers: props.servers,
  });
  if (props.kind === 'service-connect') {
    const mesh = new ServiceConnectMesh(scope, 'ServiceConnect', {
      namespaceName: props.namespaceName,
      logGroup: new logs.LogGroup(scope, 'ServiceConnectLogs', {
        encryptionKey: props.logsKey,
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      }),
    });
    return { mesh, callers };
  }
  const appMesh = new AppMeshBackend(scope, 'AppMesh', {
    namespaceName: props.namespaceName,
    vpc: props.vpc,
  });
  appMesh.addGateway({
    cluster: props.cluster,
    subnets: props.gatewaySubnets,
    listener: props.routes.listener,
    loadBalancer: props.routes.loadBalancer,
    routeConditions: props.routes.routeConditions,
    routedPrefixes: props.routedPrefixes,
    desiredCount: props.gatewayTasks,
    ecsExec: props.gatewayEcsExec,
    logsKey: props.logsKey,
    logRetention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  return { mesh: appMesh, callers };
}
