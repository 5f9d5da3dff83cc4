import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client, ClientConfig, Pool } from 'pg';
import { migrate } from '../../db/migrate';

/** The self-signed localhost certificate the test server presents (see test/fixtures/tls). */
export const TEST_CA_FILE = path.join(__dirname, '..', 'fixtures', 'tls', 'localhost.crt');
/** Its private key (a test fixture that protects nothing). */
export const TEST_KEY_FILE = path.join(__dirname, '..', 'fixtures', 'tls', 'localhost.key');

/** How to reach a running server as its superuser. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment variable through which the global setup passes the server's address. */
export const SERVER_ENV = 'IDENTITY_TEST_POSTGRES';

/** A fresh database, with the schema migrations applied, on the run's server. */
export interface TestPostgres extends ServerAddress {
  readonly database: string;
  /** A pool for arranging and inspecting data, over TLS like the triggers. */
  readonly admin: Pool;
  /** Closes the pool and drops the database. */
  stop(): Promise<void>;
}

/** Connection settings over TLS that verifies the test certificate. */
export function tlsConnection(address: ServerAddress, database: string): ClientConfig {
  return {
    ...address,
    database,
    ssl: { ca: fs.readFileSync(TEST_CA_FILE, 'utf8'), rejectUnauthorized: true },
  };
}

async function withClient<T>(config: ClientConfig, use: (client: Client) => Promise<T>) {
  const client = new Client(config);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with the schema migrations applied, on `address` (by default the run's server). */
export async function createTestDatabase(address?: ServerAddress): Promise<TestPostgres> {
  const server = address ?? (JSON.parse(process.env[SERVER_ENV] ?? 'null') as ServerAddress);
  if (!server) {
    throw new Error(
      `${SERVER_ENV} is not set: run the tests with jest (its global setup starts PostgreSQL)`,
    );
  }
  const database = `test_${randomUUID().replace(/-/g, '')}`;
  await withClient(tlsConnection(server, 'postgres'), (client) =>
    client.query(`CREATE DATABASE ${database}`),
  );
  await withClient(tlsConnection(server, database), (client) => migrate(client));
  const admin = new Pool(tlsConnection(server, database));
  return {
    ...server,
    database,
    admin,
    async stop() {
      await admin.end();
      await withClient(tlsConnection(server, 'postgres'), (client) =>
        client.query(`DROP DATABASE ${database} WITH (FORCE)`),
      );
    },
  };
}
