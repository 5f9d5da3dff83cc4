import { INTERFACE_ENDPOINT_NAMES, InterfaceEndpointName } from './environment-config';
import { pipeline } from './pipeline';
import { EnvironmentSettings } from './schema';

type ServiceSettings = EnvironmentSettings['application']['services'][number];

/** Tags every environment starts from. */
export const PROJECT_TAGS: EnvironmentSettings['tags'] = {
  project: 'user-management',
  owner: 'platform-team',
};

/**
 * Every endpoint the workloads call: ECR pulls, logs, secrets and parameters,
 * ECS Exec sessions (ssmmessages), tracing, STS and KMS. `guardduty-data` is
 * left out: GuardDuty's automated agent configuration creates it.
 */
export const WORKLOAD_INTERFACE_ENDPOINTS: readonly InterfaceEndpointName[] =
  INTERFACE_ENDPOINT_NAMES.filter((name) => name !== 'guardduty-data');

/** Task counts of one environment, applied to every default service. */
export interface ServiceCounts {
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
}

/**
 * The GitHub repository of a service (seed 000: one repository per
 * microservice), in the platform repository's organisation. Replace the
 * names with your services' repositories.
 */
function serviceRepository(name: string): ServiceSettings['github'] {
  return { owner: pipeline.github.owner, repository: `user-management-${name}` };
}

/** A task's size: Fargate CPU units and memory (a valid Fargate combination). */
export interface TaskSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** The task size of each default service. */
export interface TaskSizes {
  readonly web: TaskSize;
  readonly api: TaskSize;
  readonly imageWorker: TaskSize;
  readonly lifecycleWorker: TaskSize;
}

/** Sizes for load: half a vCPU for the front end and the APIs, a vCPU for image work. */
export const STANDARD_TASK_SIZES: TaskSizes = {
  web: { cpu: 512, memoryMiB: 1024 },
  api: { cpu: 512, memoryMiB: 1024 },
  imageWorker: { cpu: 1024, memoryMiB: 2048 },
  lifecycleWorker: { cpu: 256, memoryMiB: 512 },
};

/**
 * The smallest sizes the sidecars allow, for one engineer's traffic: the log
 * router reserves 64 MiB and the OpenTelemetry collector 64 CPU units and
 * 128 MiB of each task, so a 0.25 vCPU / 512 MiB task leaves the app about
 * 320 MiB (enough for the APIs and the workers); the Next.js front end keeps
 * 1 GiB for server-side rendering, the image worker half a vCPU and 1 GiB
 * (image decoding). At the ARM64 prices of ap-northeast-1 these cost
 * $55.59 a month for the five services instead of $98.95 at
 * {@link STANDARD_TASK_SIZES} (`npm run cost -- --released`).
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const SMALLEST_TASK_SIZES: TaskSizes = {
  web: { cpu: 256, memoryMiB: 1024 },
  api: { cpu: 256, memoryMiB: 512 },
  imageWorker: { cpu: 512, memoryMiB: 1024 },
  lifecycleWorker: { cpu: 256, memoryMiB: 512 },
};

/**
 * The platform's services (seed 000): the Next.js front end at `/`, the
 * mobile/public API at `/v1/api`, the admin API at `/v1/api/admin`, the image
 * worker that consumes a queue of its own, and the lifecycle worker that
 * consumes the identity lifecycle events; the workers have no ingress. The
 * APIs own the tenant data (their own database roles); the front end and the
 * public API accept product users' tokens, the admin API only the console's.
 * Each is built and published by its own repository, at `sizes`.
 */
export function platformServices(
  counts: ServiceCounts,
  sizes: TaskSizes = STANDARD_TASK_SIZES,
): ServiceSettings[] {
  const api = {
    protocol: 'http',
    port: 8080,
    ...sizes.api,
    readonlyRootFilesystem: true,
    environment: { LOG_LEVEL: 'info' },
    secrets: {},
    database: 'read-write',
    ...counts,
  } as const;
  const worker = {
    protocol: 'http',
    readonlyRootFilesystem: true,
    environment: { LOG_LEVEL: 'info' },
    secrets: {},
    ...counts,
  } as const;
  return [
    {
      name: 'web',
      github: serviceRepository('web'),
      route: { pathPrefix: '/', healthCheckPath: '/api/health' },
      protocol: 'http',
      port: 3000,
      ...sizes.web,
      // Next.js writes its cache under .next/cache at run time.
      readonlyRootFilesystem: false,
      environment: { NODE_ENV: 'production' },
      secrets: {},
      // Server-side rendering reads through the public API, for the signed-in product user.
      calls: ['api'],
      userPools: ['product'],
      ...counts,
    },
    {
      ...api,
      name: 'api',
      github: serviceRepository('api'),
      route: { pathPrefix: '/v1/api', healthCheckPath: '/healthz' },
      userPools: ['product'],
    },
    // Resellers' requests are authorised against the tenant data the API owns.
    {
      ...api,
      name: 'admin-api',
      github: serviceRepository('admin-api'),
      route: { pathPrefix: '/v1/api/admin', healthCheckPath: '/healthz' },
      calls: ['api'],
      userPools: ['console'],
    },
    {
      ...worker,
      name: 'image-worker',
      github: serviceRepository('image-worker'),
      ...sizes.imageWorker,
      queue: {
        source: 'own',
        visibilityTimeoutSeconds: 300,
        maxReceiveCount: 5,
        messagesPerTask: 100,
      },
    },
    // Appended last: services are grouped into stacks in order.
    {
      ...worker,
      name: 'lifecycle-worker',
      github: serviceRepository('lifecycle-worker'),
      ...sizes.lifecycleWorker,
      queue: { source: 'lifecycle-events', messagesPerTask: 10 },
    },
  ];
}

/**
 * Edge settings every environment starts from: the admin API behind the
 * allow-list and a rate limit of 2000 requests per IP in 5 minutes.
 * Environments add their admin CIDRs, domain, price class and retention.
 */
export const EDGE_DEFAULTS = {
  rateLimit: { limit: 2000, windowSeconds: 300 },
  adminPathPrefixes: ['/v1/api/admin'],
} as const satisfies Pick<EnvironmentSettings['edge'], 'rateLimit'> & {
  adminPathPrefixes: readonly string[];
};

/**
 * Requests per IP in 5 minutes the user pools' web ACL lets through: the
 * sign-ins and token refreshes of a customer office behind one NAT address
 * stay below it, a password-spraying client does not. Raise it for customers
 * with larger offices rather than drop it.
 */
export const USER_POOL_RATE_LIMIT: EnvironmentSettings['identity']['rateLimit'] = {
  limit: 1000,
  windowSeconds: 300,
};

/**
 * Short-lived ID and access tokens (an hour, Cognito's default) and a month of
 * refresh, so a revoked or disabled user loses access within the hour.
 */
export const DEFAULT_TOKEN_VALIDITY: EnvironmentSettings['identity']['tokenValidity'] = {
  idTokenMinutes: 60,
  accessTokenMinutes: 60,
  refreshTokenDays: 30,
};

/**
 * Where people open `docs/runbooks/`: the repository's default branch on
 * GitHub, so the link in an alarm e-mail or Slack message opens the page.
 */
export const RUNBOOK_BASE_URL = `https://github.com/${pipeline.github.owner}/${pipeline.github.repository}/blob/main/docs/runbooks`;
