import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyRoles, ROTATION_CLONE_SUFFIX } from '../../../db/roles';
import type { RotationEvent } from '../../../lambda/secret-rotation';
import {
  EXCLUDED_PASSWORD_CHARACTERS,
  ROTATION_ENVIRONMENT,
} from '../../../lambda/shared/rotation-contract';
import {
  createTestDatabase,
  TEST_CA_FILE,
  TestPostgres,
  tlsConnection,
} from '../../helpers/postgres';
import {
  FakeSecret,
  fakeSecretsManager,
  PasswordRequest,
} from '../../helpers/secrets-manager-fake';

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
const arnOf = (name: string) =>
  `arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:${name}-AbCdEf`;

describe('secret rotation function (real PostgreSQL, Secrets Manager faked)', () => {
  const savedEnv = { ...process.env };
  const secretsManager = mockClient(SecretsManagerClient);
  let handler: (event: RotationEvent) => Promise<void>;
  let alternateUser: (username: string) => string;
  let db: TestPostgres;

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_REGION: 'ap-northeast-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The tests run on node 20 (the project's engine); the Lambdas run on node 24.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [ROTATION_ENVIRONMENT.excludeCharacters]: EXCLUDED_PASSWORD_CHARACTERS,
      [ROTATION_ENVIRONMENT.databaseCaFile]: TEST_CA_FILE,
    });
    // Loaded once the environment is set, as the Lambda runtime loads it (logger level, SDK client).
    ({ handler, alternateUser } = jest.requireActual<{
      handler: typeof handler;
      alternateUser: typeof alternateUser;
    }>('../../../lambda/secret-rotation'));
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.stop();
    process.env = savedEnv;
  });

  /** The database secret of `username` (the JSON structure of an RDS PostgreSQL secret). */
  const secretOf = (username: string, password: string, extra: object = {}) => ({
    engine: 'postgres',
    host: db.host,
    port: db.port,
    dbname: db.database,
    username,
    password,
    ...extra,
  });

  /** Whether `username` logs in with `password`; if so, what `query` answers. */
  async function logIn(username: string, password: string, query = 'SELECT 1 AS ok') {
    const client = new Client({ ...tlsConnection(db, db.database), user: username, password });
    try {
      await client.connect();
    } catch {
      return undefined;
    }
    try {
      return (await client.query(query)).rows;
    } finally {
      await client.end();
    }
  }

  /** The schema migration's role update, as the superuser. */
  async function applyRolesAsSuperuser(roles: Parameters<typeof applyRoles>[1]) {
    const client = new Client(tlsConnection(db, db.database));
    await client.connect();
    try {
      await applyRoles(client, roles);
    } finally {
      await client.end();
    }
  }

  /** One step for the secret's version `token`. */
  const step = (secret: FakeSecret, token: string, Step: RotationEvent['Step']) =>
    handler({ Step, SecretId: secret.arn, ClientRequestToken: token });

  /** A whole rotation as Secrets Manager runs it, each step `times` times (a retry of every step). */
  async function rotate(secret: FakeSecret, times = 1): Promise<string> {
    const token = secret.startRotation();
    for (const name of STEPS) {
      for (let i = 0; i < times; i++) {
        await step(secret, token, name);
      }
    }
    return token;
  }

  describe('single user (the master secret)', () => {
    let user: string;
    let secret: FakeSecret;
    let passwords: PasswordRequest[];

    beforeEach(async () => {
      process.env[ROTATION_ENVIRONMENT.strategy] = 'single-user';
      user = db.newRole('read-only').role;
      const password = randomUUID();
      await db.admin.query(`CREATE ROLE ${user} WITH LOGIN PASSWORD '${password}'`);
      await db.admin.query(`GRANT CONNECT ON DATABASE ${db.database} TO ${user}`);
      secret = new FakeSecret(arnOf(user), secretOf(user, password, { dbClusterIdentifier: 'x' }));
      passwords = fakeSecretsManager(secretsManager, [secret]);
    });

    test('changes the password: the new one logs in, the old one no longer does', async () => {
      const before = secret.valueOf('AWSCURRENT');
      const token = await rotate(secret);
      const after = secret.valueOf('AWSCURRENT');
      expect(secret.versionIdOf('AWSCURRENT')).toBe(token);
      expect(secret.valueOf('AWSPREVIOUS')).toEqual(before);
      // Only the password changes; every other field is kept.
      expect({ ...after, password: undefined }).toEqual({ ...before, password: undefined });
      expect(after.password).not.toEqual(before.password);
      expect(await logIn(user, after.password as string)).toEqual([{ ok: 1 }]);
      expect(await logIn(user, before.password as string)).toBeUndefined();
    });

    test("generates a 32-character password without the project's excluded characters", async () => {
      await rotate(secret);
      expect(passwords).toEqual([{ length: 32, excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS }]);
      const password = secret.valueOf('AWSCURRENT').password as string;
      expect(password).toHaveLength(32);
      expect([...password].filter((c) => EXCLUDED_PASSWORD_CHARACTERS.includes(c))).toEqual([]);
    });

    test('does every step once when Secrets Manager retries each of them', async () => {
      const before = secret.valueOf('AWSCURRENT');
      await rotate(secret, 2);
      const after = secret.valueOf('AWSCURRENT');
      expect(passwords).toHaveLength(1);
      expect(await logIn(user, after.password as string)).toEqual([{ ok: 1 }]);
      expect(secret.valueOf('AWSPREVIOUS')).toEqual(before);
    });

    test('finishes when retried after setSecret changed the password (the current one no longer logs in)', async () => {
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      await step(secret, token, 'setSecret');
      // The invocation that set the password failed to answer: Secrets Manager retries the rotation.
      await step(secret, token, 'createSecret');
      await step(secret, token, 'setSecret');
      await step(secret, token, 'testSecret');
      await step(secret, token, 'finishSecret');
      expect(secret.versionIdOf('AWSCURRENT')).toBe(token);
      expect(await logIn(user, secret.valueOf('AWSCURRENT').password as string)).toEqual([
        { ok: 1 },
      ]);
    });

    test('logs in with the previous password when the current one does not work', async () => {
      const working = secret.valueOf('AWSCURRENT');
      secret.addVersion({ ...working, password: 'never-set-in-the-database' }, ['AWSCURRENT']);
      await rotate(secret);
      expect(await logIn(user, secret.valueOf('AWSCURRENT').password as string)).toEqual([
        { ok: 1 },
      ]);
    });

    test('fails when no password of the secret logs in, and leaves AWSCURRENT alone', async () => {
      await db.admin.query(`ALTER ROLE ${user} WITH PASSWORD '${randomUUID()}'`);
      const current = secret.versionIdOf('AWSCURRENT');
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      await expect(step(secret, token, 'setSecret')).rejects.toThrow(
        /cannot log in with the pending, current or previous password/,
      );
      expect(secret.versionIdOf('AWSCURRENT')).toBe(current);
    });

    test('fails when the pending version names another user', async () => {
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      const pending = secret.valueOf('AWSPENDING');
      secret.versions.get(token)!.value = JSON.stringify({ ...pending, username: 'someone_else' });
      await expect(step(secret, token, 'setSecret')).rejects.toThrow(/names another user/);
    });
    test('fails when the pending version names another database', async () => {
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      const pending = secret.valueOf('AWSPENDING');
      secret.versions.get(token)!.value = JSON.stringify({ ...pending, dbname: 'postgres' });
      await expect(step(secret, token, 'setSecret')).rejects.toThrow(
        /names another database than AWSCURRENT/,
      );
    });
  });

  describe('alternating users (a database role, the master logs in)', () => {
    const master = () =>
      new FakeSecret(arnOf('master'), secretOf(db.user, db.password, { dbname: 'postgres' }));
    let role: string;
    let secret: FakeSecret;

    beforeEach(async () => {
      process.env[ROTATION_ENVIRONMENT.strategy] = 'alternating-users';
      // The role as the schema migration creates it, with its grants.
      const created = db.newRole('read-only');
      role = created.role;
      await applyRolesAsSuperuser([created]);
      const masterSecret = master();
      secret = new FakeSecret(
        arnOf(role),
        secretOf(role, created.login.password, { masterarn: masterSecret.arn }),
      );
      fakeSecretsManager(secretsManager, [secret, masterSecret]);
    });

    const canRead = (username: string, password: string) =>
      logIn(username, password, 'SELECT count(*)::int AS n FROM companies');
    const isMember = async (member: string) =>
      (await db.admin.query('SELECT pg_has_role($1, $2, $3) AS member', [member, role, 'MEMBER']))
        .rows[0].member;

    test("first rotation: the clone, a member of the role with its grants, gets the new password; the role's keeps working", async () => {
      const before = secret.valueOf('AWSCURRENT');
      await rotate(secret);
      const after = secret.valueOf('AWSCURRENT');
      expect(after).toEqual({
        ...before,
        username: `${role}${ROTATION_CLONE_SUFFIX}`,
        password: expect.any(String),
      });
      expect(await isMember(after.username as string)).toBe(true);
      expect(await canRead(after.username as string, after.password as string)).toEqual([
        { n: expect.any(Number) },
      ]);
      // A task that read the secret before the rotation still logs in.
      expect(await canRead(role, before.password as string)).toEqual([{ n: expect.any(Number) }]);
    });

    test('second rotation: back to the role with a new password; the clone keeps working until the next one', async () => {
      const first = secret.valueOf('AWSCURRENT');
      await rotate(secret);
      const second = secret.valueOf('AWSCURRENT');
      await rotate(secret);
      const third = secret.valueOf('AWSCURRENT');
      expect(third.username).toBe(role);
      expect(third.password).not.toEqual(first.password);
      expect(await canRead(role, third.password as string)).toEqual([{ n: expect.any(Number) }]);
      expect(await logIn(role, first.password as string)).toBeUndefined();
      expect(await canRead(second.username as string, second.password as string)).toEqual([
        { n: expect.any(Number) },
      ]);
      // The third rotation replaces the clone's password: its old one stops working then.
      await rotate(secret);
      expect(await logIn(second.username as string, second.password as string)).toBeUndefined();
    });

    test('does every step once when Secrets Manager retries each of them', async () => {
      const before = secret.valueOf('AWSCURRENT');
      await rotate(secret, 2);
      const after = secret.valueOf('AWSCURRENT');
      expect(after.username).toBe(`${role}${ROTATION_CLONE_SUFFIX}`);
      expect(await canRead(after.username as string, after.password as string)).toBeTruthy();
      expect(secret.valueOf('AWSPREVIOUS')).toEqual(before);
    });

    test("the schema migration's role update keeps the rotated login working", async () => {
      await rotate(secret);
      const current = secret.valueOf('AWSCURRENT');
      const login = { username: current.username as string, password: current.password as string };
      // What every deployment's migration does with the secret's current login.
      await applyRolesAsSuperuser([{ role, access: 'read-only', login }]);
      expect(await canRead(login.username, login.password)).toEqual([{ n: expect.any(Number) }]);
      expect(await isMember(login.username)).toBe(true);
    });

    test('fails when the pending version names a user that is not the alternate', async () => {
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      const pending = secret.valueOf('AWSPENDING');
      secret.versions.get(token)!.value = JSON.stringify({ ...pending, username: db.user });
      await expect(step(secret, token, 'setSecret')).rejects.toThrow(
        new RegExp(`names user ${db.user}, not ${role}${ROTATION_CLONE_SUFFIX}`),
      );
    });

    test('fails when the current login does not work, before touching the database', async () => {
      await db.admin.query(`ALTER ROLE ${role} WITH PASSWORD '${randomUUID()}'`);
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      await expect(step(secret, token, 'setSecret')).rejects.toThrow(
        new RegExp(`user ${role} of secret .* cannot log in`),
      );
      const clone = await db.admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
        `${role}${ROTATION_CLONE_SUFFIX}`,
      ]);
      expect(clone.rowCount).toBe(0);
    });

    test('alternates between the role and <role>_clone, and fails when the clone name is too long', () => {
      expect(alternateUser('api')).toBe('api_clone');
      expect(alternateUser('api_clone')).toBe('api');
      expect(() => alternateUser('a'.repeat(58))).toThrow(/exceeds 63 characters/);
    });
  });

  describe('the rotation contract', () => {
    let secret: FakeSecret;
    let user: string;

    beforeEach(async () => {
      process.env[ROTATION_ENVIRONMENT.strategy] = 'single-user';
      user = db.newRole('read-only').role;
      const password = randomUUID();
      await db.admin.query(`CREATE ROLE ${user} WITH LOGIN PASSWORD '${password}'`);
      await db.admin.query(`GRANT CONNECT ON DATABASE ${db.database} TO ${user}`);
      secret = new FakeSecret(arnOf(user), secretOf(user, password));
      fakeSecretsManager(secretsManager, [secret]);
    });

    test.each(STEPS)('%s fails when rotation is not enabled on the secret', async (name) => {
      const token = secret.startRotation();
      secret.rotationEnabled = false;
      await expect(step(secret, token, name)).rejects.toThrow(/does not have rotation enabled/);
    });

    test.each(STEPS)('%s fails when the token is not a version of the secret', async (name) => {
      secret.startRotation();
      await expect(step(secret, randomUUID(), name)).rejects.toThrow(
        /has no version .* to rotate to/,
      );
    });

    test.each(STEPS)(
      '%s fails when the token names a version that is not AWSPENDING',
      async (name) => {
        const old = secret.addVersion(secret.valueOf('AWSCURRENT'), ['AWSPREVIOUS']);
        secret.startRotation();
        await expect(step(secret, old, name)).rejects.toThrow(/is not AWSPENDING/);
      },
    );

    test.each(STEPS)('%s does nothing when the version is AWSCURRENT already', async (name) => {
      const token = await rotate(secret);
      const versions = JSON.stringify(secret.describe());
      secretsManager.resetHistory();
      await step(secret, token, name);
      expect(JSON.stringify(secret.describe())).toEqual(versions);
      // Only DescribeSecret: no value read, no database touched.
      expect(secretsManager.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'DescribeSecretCommand',
      ]);
    });

    test('testSecret fails when the pending password does not log in, and finishSecret never ran', async () => {
      const current = secret.versionIdOf('AWSCURRENT');
      const token = secret.startRotation();
      await step(secret, token, 'createSecret');
      // setSecret did not run: the database still has the current password.
      await expect(step(secret, token, 'testSecret')).rejects.toThrow(
        /AWSPENDING version of secret .* cannot log in/,
      );
      expect(secret.versionIdOf('AWSCURRENT')).toBe(current);
      expect(await logIn(user, secret.valueOf('AWSCURRENT').password as string)).toEqual([
        { ok: 1 },
      ]);
    });

    test('fails when the strategy is not one it knows', async () => {
      process.env[ROTATION_ENVIRONMENT.strategy] = 'multi-user';
      const token = secret.startRotation();
      await expect(step(secret, token, 'createSecret')).rejects.toThrow(
        /ROTATION_STRATEGY is "multi-user"; allowed: single-user, alternating-users/,
      );
    });
  });
});
