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
 * The platform's services (seed 000): the Next.js front end at `/`, the
 * mobile/public API at `/v1/api`, the admin API at `/v1/api/admin`, and the
 * image worker that consumes a queue and has no ingress.
 */
export function platformServices(counts: ServiceCounts): ServiceSettings[] {
  const api = {
    protocol: 'http',
    port: 8080,
    cpu: 512,
    memoryMiB: 1024,
    readonlyRootFilesystem: true,
    environment: { LOG_LEVEL: 'info' },
    secrets: {},
    ...counts,
  } as const;
  return [
    {
      name: 'web',
      route: { pathPrefix: '/', healthCheckPath: '/api/health' },
      protocol: 'http',
      port: 3000,
      cpu: 512,
      memoryMiB: 1024,
      // Next.js writes its cache under .next/cache at run time.
      readonlyRootFilesystem: false,
      environment: { NODE_ENV: 'production' },
      secrets: {},
      // Server-side rendering reads through the public API.
      calls: ['api'],
      ...counts,
    },
    { ...api, name: 'api', route: { pathPrefix: '/v1/api', healthCheckPath: '/healthz' } },
    // Resellers' requests are authorised against the tenant data the API owns.
    {
      ...api,
      name: 'admin-api',
      route: { pathPrefix: '/v1/api/admin', healthCheckPath: '/healthz' },
      calls: ['api'],
    },
    {
      name: 'image-worker',
      protocol: 'http',
      cpu: 1024,
      memoryMiB: 2048,
      readonlyRootFilesystem: true,
      environment: { LOG_LEVEL: 'info' },
      secrets: {},
      queue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 5, messagesPerTask: 100 },
      ...counts,
    },
  ];
}

/**
 * Edge settings every environment starts from: the admin API behind the
 * allow-list, CloudFront's origin-facing prefix list of ap-northeast-1, and a
 * rate limit of 2000 requests per IP in 5 minutes. Environments add their
 * admin CIDRs, domain, price class and retention.
 */
export const EDGE_DEFAULTS = {
  originFacingPrefixListId: 'pl-58a04531',
  rateLimit: { limit: 2000, windowSeconds: 300 },
  adminPathPrefixes: ['/v1/api/admin'],
} as const satisfies Pick<EnvironmentSettings['edge'], 'originFacingPrefixListId' | 'rateLimit'> & {
  adminPathPrefixes: readonly string[];
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
