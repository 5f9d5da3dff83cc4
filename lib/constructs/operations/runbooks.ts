/**
 * The alarm families, one runbook each: `docs/runbooks/<family>.md` says
 * what users notice, what to check first and how to recover. Every alarm
 * names its family; a test keeps this list and the pages in step.
 */
export const RUNBOOKS = [
  'load-balancer-5xx',
  'rejected-connections',
  'target-5xx',
  'target-latency',
  'unhealthy-targets',
  'tasks-below-desired',
  'service-saturation',
  'deployment-failed',
  'database-load',
  'database-replica-lag',
  'dead-letter-queue',
  'queue-backlog',
  'cognito-trigger',
  'schema-migration',
  'secret-rotation',
  'cloudfront-5xx',
  'waf-blocked-requests',
  'dns-firewall-blocked',
  'network-firewall-dropped',
] as const;

/** An alarm family, named like its runbook page. */
export type Runbook = (typeof RUNBOOKS)[number];

/** The link to a runbook page under `baseUrl` (the environment's `operations.runbookBaseUrl`). */
export function runbookUrl(baseUrl: string, runbook: Runbook): string {
  return `${baseUrl}/${runbook}.md`;
}

/** The runbooks' index page under `baseUrl`. */
export function runbookIndexUrl(baseUrl: string): string {
  return `${baseUrl}/README.md`;
}
