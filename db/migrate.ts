import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, ClientBase } from 'pg';

/** The folder of the SQL migrations, applied in file-name order. */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/**
 * Applies every `*.sql` file of `dir` not applied yet, each in its own
 * transaction, and records it in `schema_migrations`. An advisory lock makes
 * concurrent runs wait for each other instead of applying a file twice.
 * Returns the files applied by this run.
 */
export async function migrate(client: ClientBase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  await client.query('SELECT pg_advisory_lock(hashtext($1))', ['schema_migrations']);
  try {
    const done = new Set(
      (await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    const applied: string[] = [];
    for (const file of files.filter((name) => !done.has(name))) {
      await client.query('BEGIN');
      try {
        await client.query(fs.readFileSync(path.join(dir, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['schema_migrations']);
  }
}

// `npm run db:migrate`: connects with the standard libpq variables (PGHOST, PGPORT,
// PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE), see https://www.postgresql.org/docs/current/libpq-envars.html
if (require.main === module) {
  const client = new Client();
  client
    .connect()
    .then(() => migrate(client))
    .then((applied) => {
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    })
    .finally(() => client.end())
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
