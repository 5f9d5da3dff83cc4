/**
 * The hello service's answers, kept apart from the server so that a test can
 * call them: every health-check path of the platform's services answers
 * 200, and so does any other path, with a greeting that names it.
 */

/** The health-check paths of the platform's routed services (`route.healthCheckPath` in config/shared.ts). */
export const HEALTH_PATHS: readonly string[] = ['/api/health', '/healthz'];

/** The ports the platform's routed services listen on (`port` in config/shared.ts). */
export const DEFAULT_PORTS = '3000,8080';

/** One answer: status, headers and body. */
export interface HelloResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** The answer to a request: `GET` or `HEAD` of any path; other methods get 405. */
export function respond(method: string | undefined, url: string | undefined): HelloResponse {
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      headers: { ...JSON_HEADERS, allow: 'GET, HEAD' },
      body: JSON.stringify({ error: `${String(method)} is not allowed; allowed: GET, HEAD` }),
    };
  }
  const path = new URL(url ?? '/', 'http://hello.invalid').pathname;
  return HEALTH_PATHS.includes(path)
    ? { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: 'ok' }) }
    : {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({ message: 'Hello from the platform', path }),
      };
}

/** The ports of `PORTS` (comma-separated), each 1024-65535; throws naming a bad one. */
export function portsOf(value: string = DEFAULT_PORTS): number[] {
  return value.split(',').map((text) => {
    const port = Number(text.trim());
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw new Error(
        `PORTS: ${JSON.stringify(text)} is not a port; allowed: 1024-65535, comma-separated`,
      );
    }
    return port;
  });
}
