import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { migrate, MIGRATIONS_DIR } from '../../db/migrate';
import { IDENTITY_TABLES } from '../../db/roles';
import { createTestDatabase, TestPostgres, tlsConnection } from '../helpers/postgres';

const MIGRATION_FILES = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .sort();

describe('schema migrations (real PostgreSQL)', () => {
  let db: TestPostgres;
  const clients: Client[] = [];
  const connect = async () => {
    const client = new Client(tlsConnection(db, db.database));
    await client.connect();
    clients.push(client);
    return client;
  };
  const applied = async () =>
    (await db.admin.query<{ version: string }>('SELECT version FROM schema_migrations')).rows
      .map((row) => row.version)
      .sort();
  const tableExists = async (table: string) =>
    (await db.admin.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [table]))
      .rows[0].found !== null;

  beforeEach(async () => {
    db = await createTestDatabase(undefined, { schema: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await db.stop();
  });

  test('apply every file to a fresh database, in name order, and record each', async () => {
    expect(MIGRATION_FILES.length).toBeGreaterThan(0);
    await expect(migrate(await connect())).resolves.toEqual(MIGRATION_FILES);
    expect(await applied()).toEqual(MIGRATION_FILES);
    for (const table of IDENTITY_TABLES) {
      expect(await tableExists(table)).toBe(true);
    }
  });

  test('apply nothing on a second run', async () => {
    const client = await connect();
    await migrate(client);
    await expect(migrate(client)).resolves.toEqual([]);
    expect(await applied()).toEqual(MIGRATION_FILES);
  });

  test('apply each file once when two runs start together on a fresh database', async () => {
    const [first, second] = await Promise.all([connect(), connect()]);
    const runs = await Promise.all([migrate(first), migrate(second)]);
    expect(runs.flat().sort()).toEqual(MIGRATION_FILES);
    expect(await applied()).toEqual(MIGRATION_FILES);
  });

  test('a broken file reports its name and the PostgreSQL error, and nothing of it stays applied', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    try {
      for (const file of MIGRATION_FILES) {
        fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
      }
      // The first statement succeeds on its own; the second fails, so the file must roll back whole.
      fs.writeFileSync(
        path.join(dir, '900_broken.sql'),
        'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
      );
      const client = await connect();
      await expect(migrate(client, dir)).rejects.toThrow(
        'migration 900_broken.sql failed: relation "no_such_table" does not exist (SQLSTATE 42P01)',
      );
      expect(await tableExists('half_done')).toBe(false);
      expect(await applied()).toEqual(MIGRATION_FILES);

      // Fixed, the file applies on the next run (the next deployment).
      fs.writeFileSync(path.join(dir, '900_broken.sql'), 'CREATE TABLE half_done (id int);\n');
      await expect(migrate(client, dir)).resolves.toEqual(['900_broken.sql']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('IDENTITY_TABLES names every table the migrations create, so the service roles see them', async () => {
    await migrate(await connect());
    const tables = await db.admin.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
    );
    expect(tables.rows.map((row) => row.table_name).sort()).toEqual([...IDENTITY_TABLES].sort());
  });
});
