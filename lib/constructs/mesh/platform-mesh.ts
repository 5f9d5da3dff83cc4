import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MeshKind } from '../../../config';
import { LoadBalancerRoutes } from '../service/features/load-balancer-ingress';
import { AppMeshBackend } from './app-mesh/app-mesh-backend';
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
  /** Tasks of the virtual gateway (App Mesh). */
  readonly gatewayTasks: number;
  /** Key, retention and removal policy of the mesh's log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The environment's mesh and the security group that marks its clients. */
export interface PlatformMesh {
  readonly mesh: IServiceMesh;
  /** Carried by every task; servers accept mesh traffic from it. */
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * Builds the configured mesh in `scope`: Service Connect (a namespace and the
 * proxies' log group) or App Mesh (mesh, namespace and the virtual gateway
 * behind the load balancer), plus the mesh security group. The resources keep
 * the construct IDs they had in the application stack, so no deployed
 * resource is replaced.
 */
export function addPlatformMesh(scope: Construct, props: PlatformMeshProps): PlatformMesh {
  const securityGroup = new ec2.SecurityGroup(scope, 'MeshSecurityGroup', {
    vpc: props.vpc,
    description: 'Carried by every platform task: identifies mesh clients',
    // Only a marker for servers' ingress rules: egress comes from each service's own group.
    allowAllOutbound: false,
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
    return { mesh, securityGroup };
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
    logsKey: props.logsKey,
    logRetention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  return { mesh: appMesh, securityGroup };
}
