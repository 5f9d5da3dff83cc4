import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { ClientBase } from 'pg';
import { MIGRATION_LOCK } from './migrate';

/**
 * What a database role may do. Each access level is a fixed list of grants
 * (below); a role gets exactly the grants of its level and nothing else.
 * - `identity-triggers`: what the Cognito triggers run (lambda/shared/users.ts):
 *   read a company's ID, read a user's claims, insert a user with the columns
 *   the triggers set (never `roles` or `status`), update its email.
 * - `read-write`: a service that manages the identity data (select, insert,
 *   update, delete on every identity table).
 * - `read-only`: select on every identity table.
 * - `integ-assertions`: only the integration suite's assertion function
 *   (test/integ, never a shipped stage): seed and delete its test company,
 *   count, grant roles to and delete that company's users.
 */
export const DATABASE_ACCESS_LEVELS = [
  'identity-triggers',
  'read-write',
  'read-only',
  'integ-assertions',
] as const;
export type DatabaseAccess = (typeof DATABASE_ACCESS_LEVELS)[number];

/** The access levels a service may declare (`database` of a service spec). */
export const SERVICE_DATABASE_ACCESS = [
  'read-write',
  'read-only',
] as const satisfies readonly DatabaseAccess[];
export type ServiceDatabaseAccess = (typeof SERVICE_DATABASE_ACCESS)[number];

/**
 * The roles of the platform itself, by their `/<env>/database/<name>` name;
 * a service's role is named after the service, so no service may take these.
 */
export const PLATFORM_DATABASE_ROLES = {
  triggers: 'identity-triggers',
  operator: 'operator',
} as const;

/**
 * The tables of the identity schema (db/migrations). A migration that adds a
 * table adds it here, so the `read-write` and `read-only` roles see it; a
 * test fails when a table of the migrations is missing.
 */
export const IDENTITY_TABLES = [
  'companies',
  'users',
  'company_ip_allow_lists',
  'reseller_grants',
] as const;

/** One `GRANT <privilege> ON TABLE <table>`; a privilege may name columns: `SELECT (id)`. */
export interface TableGrant {
  readonly table: (typeof IDENTITY_TABLES)[number];
  readonly privileges: readonly string[];
}

const onEveryTable = (privileges: readonly string[]): readonly TableGrant[] =>
  IDENTITY_TABLES.map((table) => ({ table, privileges }));

/** The grants of each access level. Nothing else is granted: no DELETE, no DDL, no other table. */
export const ACCESS_GRANTS: Readonly<Record<DatabaseAccess, readonly TableGrant[]>> = {
  'identity-triggers': [
    { table: 'companies', privileges: ['SELECT (id)'] },
    {
      table: 'users',
      privileges: [
        'SELECT (id, company_id, status, roles, cognito_sub, email)',
        'INSERT (cognito_sub, company_id, user_pool, login_id, email)',
        'UPDATE (email, updated_at)',
      ],
    },
  ],
  'read-write': onEveryTable(['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  'read-only': onEveryTable(['SELECT']),
  'integ-assertions': [
    { table: 'companies', privileges: ['SELECT (id)', 'INSERT (id, name)', 'DELETE'] },
    { table: 'users', privileges: ['SELECT (company_id, login_id)', 'UPDATE (roles)', 'DELETE'] },
  ],
};

/**
 * The suffix the multi-user rotation adds to a role's user for the second
 * user it alternates with (a member of the role, so it has the same grants).
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html
 */
export const ROTATION_CLONE_SUFFIX = '_clone';

/** A role to create or update, with the login its secret holds now. */
export interface DatabaseRole {
  /** The role's name, e.g. `identity_triggers`. */
  readonly role: string;
  /** What it may do. */
  readonly access: DatabaseAccess;
  /** The current `username` and `password` of the role's secret (the role or its rotation clone). */
  readonly login: { readonly username: string; readonly password: string };
}

/** Lowercase letters, digits and `_`, a letter first, and room for the clone suffix. */
const ROLE_NAME = /^[a-z][a-z0-9_]{0,56}$/;

/**
 * The SCRAM-SHA-256 verifier of a password, in the form PostgreSQL stores
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`), so the
 * password itself never reaches the server or its log.
 * See https://www.postgresql.org/docs/current/catalog-pg-authid.html and RFC 5802.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/**
 * Creates or updates every role, idempotently and in one transaction (under
 * the migrations' advisory lock): the role exists and can log in; its grants
 * are reset to exactly those of its access level (so removing a grant here
 * removes it from the database); the user its secret names (the role itself,
 * or the rotation's clone, a member of the role) has the secret's password.
 * Runs after the migrations, so every table exists.
 */
export async function applyRoles(
  client: ClientBase,
  roles: readonly DatabaseRole[],
): Promise<void> {
  for (const { role, login } of roles) {
    if (!ROLE_NAME.test(role)) {
      throw new Error(`database role "${role}" is not 1-57 lowercase letters, digits and "_"`);
    }
    if (login.username !== role && login.username !== `${role}${ROTATION_CLONE_SUFFIX}`) {
      throw new Error(
        `the secret of database role "${role}" names user "${login.username}"; allowed: ${role}, ${role}${ROTATION_CLONE_SUFFIX}`,
      );
    }
  }
  const id = (name: string) => client.escapeIdentifier(name);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
    const database = id(
      (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name,
    );
    for (const { role, access, login } of roles) {
      await ensureLoginRole(client, role);
      await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${id(role)}`);
      await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${id(role)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${id(role)}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${id(role)}`);
      for (const { table, privileges } of ACCESS_GRANTS[access]) {
        for (const privilege of privileges) {
          await client.query(`GRANT ${privilege} ON TABLE ${id(table)} TO ${id(role)}`);
        }
      }
      if (login.username !== role) {
        await ensureLoginRole(client, login.username);
        await client.query(`GRANT ${id(role)} TO ${id(login.username)}`);
      }
      await client.query(
        `ALTER ROLE ${id(login.username)} WITH PASSWORD ${client.escapeLiteral(scramVerifier(login.password))}`,
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Creates a role that can log in, unless it exists (then it is made able to log in). */
async function ensureLoginRole(client: ClientBase, role: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
  await client.query(`${verb} ROLE ${client.escapeIdentifier(role)} WITH LOGIN`);
}
