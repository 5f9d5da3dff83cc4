import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClientBase } from 'pg';

/**
 * The folder of the SQL migrations, applied in file-name order. The
 * migration Lambda's bundle carries them in the same place beside its code.
 */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** The key of the advisory lock every migration run holds (see {@link migrate}). */
export const MIGRATION_LOCK = 'schema_migrations';

/**
 * Applies every `*.sql` file of `dir` not applied yet, each in its own
 * transaction, and records it in `schema_migrations`. An advisory lock makes
 * concurrent runs wait for each other instead of applying a file twice.
 * Returns the files applied by this run. A file that fails is rolled back
 * (nothing of it stays applied) and reported with its name and the
 * PostgreSQL error; the files before it stay applied.
 */
export async function migrate(client: ClientBase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  // Locked first: two runs creating the table at once on a fresh database would collide.
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
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
        const { message, code } = error as Error & { code?: string };
        throw new Error(
          `migration ${file} failed: ${message}${code ? ` (SQLSTATE ${code})` : ''}`,
          {
            cause: error,
          },
        );
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
  }
}
