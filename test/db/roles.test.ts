import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import {
  applyRoles,
  DatabaseAccess,
  IDENTITY_TABLES,
  ROTATION_CLONE_SUFFIX,
  scramVerifier,
} from '../../db/roles';
import { claimsOf, companyExists, upsertUser } from '../../lambda/shared/users';
import { createTestDatabase, TestPostgres, TestRole, tlsConnection } from '../helpers/postgres';

describe('database roles (real PostgreSQL)', () => {
  let db: TestPostgres;
  const pools: Pool[] = [];
  const companyId = randomUUID();
  /** A pool that logs in as `login`, as the role's consumer would. */
  const poolAs = (login: TestRole['login']) => {
    const pool = new Pool({
      ...tlsConnection(db, db.database),
      user: login.username,
      password: login.password,
    });
    pools.push(pool);
    return pool;
  };
  const asSuperuser = async (use: (client: Client) => Promise<void>) => {
    const client = new Client(tlsConnection(db, db.database));
    await client.connect();
    try {
      await use(client);
    } finally {
      await client.end();
    }
  };
  const newUser = () => ({
    cognitoSub: randomUUID(),
    companyId,
    userPool: 'product' as const,
    loginId: `user-${randomUUID().slice(0, 8)}`,
    email: 'user@example.com',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.admin.query("INSERT INTO companies (id, name) VALUES ($1, 'Example KK')", [companyId]);
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await db.stop();
  });

  describe('the identity triggers role', () => {
    const triggers = () => poolAs(db.triggerRole.login);

    test('runs every statement of the triggers: company lookup, user upsert, claims', async () => {
      const pool = triggers();
      const user = newUser();
      await expect(companyExists(pool, companyId)).resolves.toBe(true);
      const claims = await upsertUser(pool, user);
      expect(claims).toMatchObject({ companyId, status: 'active', roles: [] });
      // A retried confirmation updates the email of the same row.
      await upsertUser(pool, { ...user, email: 'new@example.com' });
      await expect(claimsOf(pool, user.cognitoSub)).resolves.toEqual(claims);
    });

    const user = '(SELECT id FROM users LIMIT 1)';
    test.each([
      [
        'delete a user',
        `DELETE FROM users WHERE id = ${user}`,
        'permission denied for table users',
      ],
      ['truncate a table', 'TRUNCATE users', 'permission denied for table users'],
      [
        "change a user's roles",
        `UPDATE users SET roles = '{admin}' WHERE id = ${user}`,
        'permission denied for table users',
      ],
      [
        "change a user's status",
        `UPDATE users SET status = 'active' WHERE id = ${user}`,
        'permission denied for table users',
      ],
      [
        'insert a user with roles',
        `INSERT INTO users (cognito_sub, company_id, user_pool, login_id, email, roles)
         VALUES (gen_random_uuid(), '${companyId}', 'product', 'sneaky', 'x@example.com', '{admin}')`,
        'permission denied for table users',
      ],
      [
        'insert a company',
        "INSERT INTO companies (name) VALUES ('Mine')",
        'permission denied for table companies',
      ],
      [
        "read a company's name",
        'SELECT name FROM companies',
        'permission denied for table companies',
      ],
      ...['company_ip_allow_lists', 'reseller_grants', 'schema_migrations'].map((table) => [
        `read ${table}`,
        `SELECT * FROM ${table}`,
        `permission denied for table ${table}`,
      ]),
      ['drop a table', 'DROP TABLE users', 'must be owner of table users'],
      ['alter a table', 'ALTER TABLE users ADD COLUMN note text', 'must be owner of table users'],
      ['create a table', 'CREATE TABLE mine (id int)', 'permission denied for schema public'],
      [
        'create a temporary table',
        'CREATE TEMPORARY TABLE mine (id int)',
        'permission denied to create temporary tables in database',
      ],
      ['create a role', 'CREATE ROLE mine', 'permission denied to create role'],
    ])('is refused to %s', async (_what, statement, refusal) => {
      await upsertUser(triggers(), newUser());
      await expect(triggers().query(statement)).rejects.toThrow(refusal);
    });

    test('is no superuser and may not create roles or databases', async () => {
      const attributes = await db.admin.query(
        'SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1',
        [db.triggerRole.role],
      );
      expect(attributes.rows).toEqual([
        {
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolreplication: false,
          rolbypassrls: false,
          rolcanlogin: true,
        },
      ]);
    });
  });

  describe.each<[DatabaseAccess, boolean]>([
    ['read-write', true],
    ['read-only', false],
  ])('a %s service role', (access, writes) => {
    let role: TestRole;
    beforeAll(async () => {
      role = db.newRole(access);
      await asSuperuser((client) => applyRoles(client, [db.triggerRole, role]));
    });

    test.each(IDENTITY_TABLES)('reads %s', async (table) => {
      await expect(poolAs(role.login).query(`SELECT * FROM ${table}`)).resolves.toBeDefined();
    });

    test(`${writes ? 'inserts, updates and deletes' : 'is refused to insert, update or delete'} companies`, async () => {
      const pool = poolAs(role.login);
      const statements = [
        "INSERT INTO companies (name) VALUES ('Written KK')",
        "UPDATE companies SET name = 'Renamed KK' WHERE name = 'Written KK'",
        "DELETE FROM companies WHERE name = 'Renamed KK'",
      ];
      for (const statement of statements) {
        const run = pool.query(statement);
        await (writes
          ? expect(run).resolves.toBeDefined()
          : expect(run).rejects.toThrow('permission denied for table companies'));
      }
    });

    test.each([
      ['drop a table', 'DROP TABLE users', 'must be owner of table users'],
      ['create a table', 'CREATE TABLE mine (id int)', 'permission denied for schema public'],
      ['read schema_migrations', 'SELECT * FROM schema_migrations', 'permission denied for table'],
    ])('is refused to %s', async (_what, statement, refusal) => {
      await expect(poolAs(role.login).query(statement)).rejects.toThrow(refusal);
    });
  });

  describe('applied again', () => {
    test('changes nothing for a role that is up to date, and its login keeps working', async () => {
      await asSuperuser((client) => applyRoles(client, [db.triggerRole]));
      await asSuperuser((client) => applyRoles(client, [db.triggerRole]));
      await expect(companyExists(poolAs(db.triggerRole.login), companyId)).resolves.toBe(true);
    });

    test('revokes a privilege granted by hand, so a role has exactly the grants of its level', async () => {
      await db.admin.query(`GRANT DELETE ON users TO ${db.triggerRole.role}`);
      await asSuperuser((client) => applyRoles(client, [db.triggerRole]));
      await expect(poolAs(db.triggerRole.login).query('DELETE FROM users')).rejects.toThrow(
        'permission denied for table users',
      );
    });

    test("after a multi-user rotation, sets the clone's password and the clone has the role's grants", async () => {
      const clone = `${db.triggerRole.role}${ROTATION_CLONE_SUFFIX}`;
      // What the rotation function does on its first run: a clone that is a member of the role.
      await db.admin.query(`CREATE ROLE ${clone} WITH LOGIN PASSWORD 'rotated-once'`);
      await db.admin.query(`GRANT ${db.triggerRole.role} TO ${clone}`);
      const rotated = { ...db.triggerRole, login: { username: clone, password: randomUUID() } };
      await asSuperuser((client) => applyRoles(client, [rotated]));
      const pool = poolAs(rotated.login);
      await expect(upsertUser(pool, newUser())).resolves.toMatchObject({ companyId });
      await expect(pool.query('DELETE FROM users')).rejects.toThrow('permission denied');
    });

    test("stores a SCRAM verifier: the password itself never reaches the server's statements", async () => {
      const stored = await db.admin.query<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [db.triggerRole.role],
      );
      expect(stored.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:[^$]+\$[^:]+:.+$/);
      expect(stored.rows[0].rolpassword).not.toContain(db.triggerRole.login.password);
      expect(scramVerifier('same')).not.toEqual(scramVerifier('same'));
    });
  });

  describe('fails, changing nothing, when', () => {
    test('the secret names a user other than the role or its clone', async () => {
      const stranger = { ...db.triggerRole, login: { username: 'postgres', password: 'x' } };
      await expect(asSuperuser((client) => applyRoles(client, [stranger]))).rejects.toThrow(
        `the secret of database role "${db.triggerRole.role}" names user "postgres"; allowed: ${db.triggerRole.role}, ${db.triggerRole.role}_clone`,
      );
    });

    test('a role name is not lowercase letters, digits and "_"', async () => {
      const bad = { ...db.triggerRole, role: 'Robert"; DROP TABLE users; --' };
      await expect(asSuperuser((client) => applyRoles(client, [bad]))).rejects.toThrow(
        'database role "Robert"; DROP TABLE users; --" is not 1-57 lowercase letters, digits and "_"',
      );
    });
  });
});
