import { startServer } from './embedded-postgres-server';
import { SERVER_ENV } from './postgres';

/**
 * Jest global setup: one PostgreSQL server per `jest` run. Each test file
 * creates its own database on it (see postgres.ts). The workers inherit the
 * address through the environment; teardown stops the server.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startServer();
  process.env[SERVER_ENV] = JSON.stringify({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  (globalThis as { testPostgres?: typeof server }).testPostgres = server;
}
