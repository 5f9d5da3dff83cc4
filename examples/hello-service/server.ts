/**
 * A tiny HTTP service to deploy on day one: run as the image of any routed
 * service of the platform, it listens on every port of `PORTS` (the
 * services' ports by default) and answers the load balancer's health checks
 * and everything else (see hello.ts). Node.js runs this TypeScript as is
 * (type stripping). Stops on SIGTERM, as ECS asks.
 */
import { createServer } from 'node:http';
import { portsOf, respond } from './hello.ts';

/**
 * Longer than the load balancer's idle timeout (60 s), so the load balancer,
 * not the app, closes idle connections. See
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout
 */
const KEEP_ALIVE_MS = 65_000;

const servers = portsOf(process.env.PORTS).map((port) => {
  const server = createServer((request, response) => {
    const answer = respond(request.method, request.url);
    response.writeHead(answer.status, answer.headers);
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.listen(port, () => console.log(JSON.stringify({ message: 'listening', port })));
  return server;
});

process.on('SIGTERM', () => {
  for (const server of servers) {
    server.close();
    server.closeIdleConnections();
  }
});
