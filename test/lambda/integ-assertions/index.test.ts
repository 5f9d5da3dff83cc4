import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { applyRoles } from '../../../db/roles';
import type { AssertionRequest } from '../../../lambda/integ-assertions/contract';
import { companyExists, upsertUser } from '../../../lambda/shared/users';
import { createTestDatabase, TestPostgres, TestRole, tlsConnection } from '../../helpers/postgres';
import { triggerEnvironment } from '../../helpers/trigger-container';

type CognitoModule = typeof import('@aws-sdk/client-cognito-identity-provider');

/** A JWT whose payload is `claims` (the handler reads the payload only). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

describe('integration suite assertion function (real PostgreSQL)', () => {
  const savedEnv = { ...process.env };
  const companyId = randomUUID();
  let db: TestPostgres;
  let role: TestRole;
  let handler: (event: unknown) => Promise<unknown>;
  let cognito: ReturnType<typeof import('aws-sdk-client-mock').mockClient>;
  let idp: CognitoModule;
  const pools: Pool[] = [];
  /** A pool that logs in as `login`, as the role's consumer would. */
  const poolAs = ({ username, password }: TestRole['login']) => {
    const pool = new Pool({ ...tlsConnection(db, db.database), user: username, password });
    pools.push(pool);
    return pool;
  };
  const invoke = (request: AssertionRequest) => handler(request);

  beforeAll(async () => {
    db = await createTestDatabase();
    role = db.newRole('integ-assertions');
    const client = await db.admin.connect();
    try {
      await applyRoles(client, [role]);
    } finally {
      client.release();
    }
    Object.assign(process.env, triggerEnvironment(db), {
      USER_POOL_ID: 'ap-northeast-1_Example',
      USER_POOL_CLIENT_ID: 'integ-client',
    });
    jest.isolateModules(() => {
      const { mockClient } =
        jest.requireActual<typeof import('aws-sdk-client-mock')>('aws-sdk-client-mock');
      const sm = jest.requireActual<typeof import('@aws-sdk/client-secrets-manager')>(
        '@aws-sdk/client-secrets-manager',
      );
      // The function logs in as its own role, as deployed: every test also proves the role suffices.
      mockClient(sm.SecretsManagerClient)
        .on(sm.GetSecretValueCommand)
        .resolves({ SecretString: JSON.stringify(role.login) });
      idp = jest.requireActual<CognitoModule>('@aws-sdk/client-cognito-identity-provider');
      cognito = mockClient(idp.CognitoIdentityProviderClient);
      handler = jest.requireActual<{ handler: typeof handler }>(
        '../../../lambda/integ-assertions',
      ).handler;
    });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await Promise.all(pools.map((pool) => pool.end()));
    await db?.stop();
  });
  beforeEach(() => cognito.reset());

  test('seeds the company once, so pre sign-up admits its users', async () => {
    const seed = { action: 'seed-company', companyId, name: 'Integ KK' } as const;
    await expect(invoke(seed)).resolves.toEqual({ companyId });
    await expect(invoke(seed)).resolves.toEqual({ companyId });
    const rows = await db.admin.query('SELECT name FROM companies WHERE id = $1', [companyId]);
    expect(rows.rows).toEqual([{ name: 'Integ KK' }]);
    // What pre sign-up asks, as the triggers' role.
    await expect(companyExists(poolAs(db.triggerRole.login), companyId)).resolves.toBe(true);
  });

  test("counts the user's rows and grants it roles", async () => {
    const count = { action: 'count-users', companyId, loginId: 'integ-user' } as const;
    await expect(invoke(count)).resolves.toEqual({ users: 0 });
    const sub = randomUUID();
    await upsertUser(poolAs(db.triggerRole.login), {
      cognitoSub: sub,
      companyId,
      userPool: 'product',
      loginId: 'integ-user',
      email: 'integ-user@example.com',
    });
    await expect(invoke(count)).resolves.toEqual({ users: 1 });
    await expect(
      invoke({ action: 'grant-roles', companyId, loginId: 'integ-user', roles: ['integ-probe'] }),
    ).resolves.toEqual({ updated: 1 });
    const rows = await db.admin.query('SELECT roles FROM users WHERE cognito_sub = $1', [sub]);
    expect(rows.rows).toEqual([{ roles: ['integ-probe'] }]);
  });

  test('confirms the user with a random permanent password and answers its tokens’ claims', async () => {
    const claims = { company_id: companyId, roles: 'integ-probe' };
    cognito.on(idp.AdminSetUserPasswordCommand).resolves({});
    cognito.on(idp.AdminInitiateAuthCommand).resolves({
      AuthenticationResult: {
        IdToken: token({ ...claims, email: 'integ-user@example.com' }),
        AccessToken: token({ ...claims, scope: 'aws.cognito.signin.user.admin' }),
      },
    });
    await expect(invoke({ action: 'sign-in', loginId: 'integ-user' })).resolves.toEqual({
      idToken: claims,
      accessToken: claims,
    });
    const [setPassword] = cognito.commandCalls(idp.AdminSetUserPasswordCommand);
    const { Password, ...set } = setPassword.args[0].input;
    expect(set).toEqual({
      UserPoolId: 'ap-northeast-1_Example',
      Username: 'integ-user',
      Permanent: true,
    });
    // The pool's policy: 12 or more characters with lowercase, uppercase, digit and symbol.
    expect(Password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/);
    const [signIn] = cognito.commandCalls(idp.AdminInitiateAuthCommand);
    expect(signIn.args[0].input).toEqual({
      UserPoolId: 'ap-northeast-1_Example',
      ClientId: 'integ-client',
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'integ-user', PASSWORD: Password },
    });
  });

  test('fails when the sign-in answers a challenge instead of tokens', async () => {
    cognito.on(idp.AdminSetUserPasswordCommand).resolves({});
    cognito.on(idp.AdminInitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA' });
    await expect(invoke({ action: 'sign-in', loginId: 'integ-user' })).rejects.toThrow(
      'the sign-in of integ-user answered the challenge SOFTWARE_TOKEN_MFA, no tokens',
    );
  });

  test('may do nothing else: no emails, no other table, no other column', async () => {
    const asRole = poolAs(role.login);
    for (const statement of [
      'SELECT email FROM users',
      'SELECT cidr FROM company_ip_allow_lists',
      "UPDATE users SET status = 'disabled'",
      "UPDATE companies SET kind = 'operator'",
      'TRUNCATE companies',
    ]) {
      await expect(asRole.query(statement)).rejects.toThrow(/permission denied/);
    }
  });

  test('cleans up the company and its users', async () => {
    await expect(invoke({ action: 'clean-up', companyId })).resolves.toEqual({
      users: 1,
      companies: 1,
    });
    const rows = await db.admin.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
    expect(rows.rowCount).toBe(0);
  });

  test('fails when the request is malformed', async () => {
    await expect(handler({ action: 'drop-everything' })).rejects.toThrow(
      'malformed assertion request:',
    );
    await expect(
      handler({ action: 'count-users', companyId: 'not-a-uuid', loginId: 'x' }),
    ).rejects.toThrow(/malformed assertion request: .*UUID/);
  });
});
