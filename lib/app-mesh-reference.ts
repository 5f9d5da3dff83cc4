import { App } from 'aws-cdk-lib';
import { ConfigValidationError, EnvironmentConfig } from '../config';
import { PINS } from './pins';

/**
 * The context key that asks for the App Mesh reference design:
 * `npx cdk synth -c mesh=app-mesh -c appMeshReference=true`.
 */
export const APP_MESH_REFERENCE_CONTEXT = 'appMeshReference';

/** The day AWS App Mesh reached end of support. */
export const APP_MESH_END_OF_SUPPORT = PINS.appMesh.reviewBy;

/**
 * Each App Mesh concept of the original design and what stands for it with
 * ECS Service Connect in this project. The README's "From App Mesh to Service
 * Connect" section shows the same table (a test keeps them equal).
 * See https://aws.amazon.com/blogs/containers/migrating-from-aws-app-mesh-to-amazon-ecs-service-connect
 */
export const APP_MESH_TO_SERVICE_CONNECT: readonly (readonly [
  appMesh: string,
  serviceConnect: string,
])[] = [
  [
    'Mesh with egress filter `DROP_ALL`',
    'Service Connect namespace `<env>.internal` (Cloud Map HTTP namespace); no egress filter: security groups decide who reaches whom',
  ],
  [
    'Virtual node (listener port and protocol, health check)',
    "The app port mapping (name, `appProtocol`) and the service's Service Connect entry (port mapping name, DNS name, port)",
  ],
  [
    'Virtual service `<name>.<env>.internal`',
    'Client alias `http://<name>:<port>` in the namespace',
  ],
  [
    "Virtual router and route (retries); the node's outlier detection, timeouts, connection pool",
    "The Service Connect proxy's built-in retries and outlier detection (not tunable); idle and per-request timeouts per service",
  ],
  [
    'Backends (`calls`): Envoy lets nothing else through',
    'No per-caller allow list: every platform task carries the mesh security group, which each service admits on its app port',
  ],
  [
    'Virtual gateway (Envoy-only ECS service) and gateway routes',
    "ALB listener rules: each path prefix forwards to the service's own target group",
  ],
  [
    'Envoy sidecar (`APPMESH_RESOURCE_ARN`, user 1337, proxy configuration)',
    'The Service Connect proxy, added and managed by ECS: no container in the task definition',
  ],
  [
    'Weighted routes between versions (canaries)',
    'ALB weighted target groups or ECS blue/green deployments',
  ],
  ['Mutual TLS between services', 'TLS with AWS Private CA (one-way, no mutual TLS)'],
  ['Envoy statistics', 'Service Connect application-level metrics in CloudWatch'],
];

/** Whether the app was asked for the App Mesh reference design (`-c appMeshReference=true`). */
export function appMeshReferenceRequested(app: App): boolean {
  const value: unknown = app.node.tryGetContext(APP_MESH_REFERENCE_CONTEXT);
  return value === true || value === 'true';
}

/**
 * Refuses environments with `mesh: 'app-mesh'` unless the reference design
 * was asked for: since App Mesh's end of support its console and resources
 * can no longer be accessed, so such an assembly could be neither deployed
 * nor operated. Throws one {@link ConfigValidationError} naming every such
 * environment, why, and the Service Connect counterpart of each concept.
 */
export function refuseAppMeshUnlessReference(
  environments: readonly EnvironmentConfig[],
  referenceRequested: boolean,
): void {
  const appMesh = environments.filter((env) => env.application.mesh === 'app-mesh');
  if (referenceRequested || appMesh.length === 0) {
    return;
  }
  const problems = appMesh.map(
    (env) =>
      `${env.name}.application.mesh: "app-mesh" is refused: AWS App Mesh reached end of support on ${APP_MESH_END_OF_SUPPORT} ` +
      'and since then its console and resources can no longer be accessed, so an app-mesh assembly can be neither ' +
      'deployed nor operated; allowed: "service-connect"',
  );
  const width = Math.max(...APP_MESH_TO_SERVICE_CONNECT.map(([appMesh]) => appMesh.length));
  const mapping = APP_MESH_TO_SERVICE_CONNECT.map(
    ([appMesh, serviceConnect]) => `      ${appMesh.padEnd(width)}  ->  ${serviceConnect}`,
  );
  problems[problems.length - 1] += [
    '',
    '    What Service Connect uses for each App Mesh concept:',
    ...mapping,
    `    To synthesize the App Mesh reference design for study or review (never to deploy), add -c ${APP_MESH_REFERENCE_CONTEXT}=true.`,
  ].join('\n');
  throw new ConfigValidationError(problems);
}
