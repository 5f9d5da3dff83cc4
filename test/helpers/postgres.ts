import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client, ClientConfig, Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { applyRoles, DatabaseAccess, ROTATION_CLONE_SUFFIX } from '../../db/roles';

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

/** A database role of a test database and the login its secret would hold. */
export interface TestRole {
  readonly role: string;
  readonly access: DatabaseAccess;
  readonly login: { readonly username: string; readonly password: string };
}

/** A fresh database on the run's server, by default with the schema and the triggers' role. */
export interface TestPostgres extends ServerAddress {
  readonly database: string;
  /** A pool for arranging and inspecting data as the superuser, over TLS like the triggers. */
  readonly admin: Pool;
  /**
   * The identity triggers' role, unique to this database (roles are shared by
   * every database of a server), created by the same `applyRoles` as deployed.
   */
  readonly triggerRole: TestRole;
  /** A role of this database with `access` (not created: pass it to `applyRoles`). */
  newRole(access: DatabaseAccess): TestRole;
  /** Closes the pool, drops the database and the roles of this database. */
  stop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /**
   * Apply the migrations and create the triggers' role.
   * @default true
   */
  readonly schema?: boolean;
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

/**
 * Creates a database on `address` (by default the run's server), with the
 * schema migrations applied and the triggers' role created unless
 * `schema: false`.
 */
export async function createTestDatabase(
  address?: ServerAddress,
  options: TestDatabaseOptions = {},
): Promise<TestPostgres> {
  const server = address ?? (JSON.parse(process.env[SERVER_ENV] ?? 'null') as ServerAddress);
  if (!server) {
    throw new Error(
      `${SERVER_ENV} is not set: run the tests with jest (its global setup starts PostgreSQL)`,
    );
  }
  const suffix = randomUUID().replace(/-/g, '');
  const database = `test_${suffix}`;
  const roles: string[] = [];
  const newRole = (access: DatabaseAccess): TestRole => {
    const role = `${access.replace(/-/g, '_')}_${suffix.slice(0, 12)}_${roles.length}`;
    roles.push(role, `${role}${ROTATION_CLONE_SUFFIX}`);
    return { role, access, login: { username: role, password: randomUUID() } };
  };
  const triggerRole = newRole('identity-triggers');
  await withClient(tlsConnection(server, 'postgres'), (client) =>
    client.query(`CREATE DATABASE ${database}`),
  );
  if (options.schema ?? true) {
    await withClient(tlsConnection(server, database), async (client) => {
      await migrate(client);
      await applyRoles(client, [triggerRole]);
    });
  }
  const admin = new Pool(tlsConnection(server, database));
  return {
    ...server,
    database,
    admin,
    triggerRole,
    newRole,
    async stop() {
      await admin.end();
      await withClient(tlsConnection(server, 'postgres'), async (client) => {
        await client.query(`DROP DATABASE ${database} WITH (FORCE)`);
        for (const role of roles) {
          await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
        }
      });
    },
  };
}
