import { randomUUID } from 'node:crypto';
import { freePort, createTestDatabase, TestPostgres } from '../../helpers/postgres';
import {
  newContainer,
  postConfirmationEvent,
  preTokenEvent,
  TriggerContainer,
  triggerEnvironment,
} from '../../helpers/trigger-container';

describe('pre token generation trigger (real PostgreSQL)', () => {
  let db: TestPostgres;
  let lambda: TriggerContainer;
  const companyId = randomUUID();
  const savedEnv = { ...process.env };
  const secret = () => ({ username: db.user, password: db.password });

  beforeAll(async () => {
    db = await createTestDatabase();
    Object.assign(process.env, triggerEnvironment(db));
    await db.admin.query("INSERT INTO companies (id, name) VALUES ($1, 'Example KK')", [companyId]);
    lambda = newContainer(secret());
  });

  afterAll(async () => {
    process.env = savedEnv;
    await db?.stop();
  });

  test('adds the company ID and roles from the database to the ID and access tokens', async () => {
    const sub = randomUUID();
    await lambda.postConfirmation(postConfirmationEvent(sub, companyId, 'admin1'));
    await db.admin.query(
      "UPDATE users SET roles = ARRAY['user-admin', 'ip-admin'] WHERE cognito_sub = $1",
      [sub],
    );
    const result = await lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'admin1'));
    const claims = { company_id: companyId, roles: 'user-admin ip-admin' };
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    });
  });

  test('registers a user whose post confirmation failed while the database was down', async () => {
    const sub = randomUUID();
    const port = process.env.DB_PORT;
    process.env.DB_PORT = String(await freePort());
    try {
      const unreachable = newContainer(secret());
      await expect(
        unreachable.postConfirmation(postConfirmationEvent(sub, companyId, 'late')),
      ).rejects.toThrow();
    } finally {
      process.env.DB_PORT = port;
    }
    // The database is back: the first sign-in completes the registration.
    const result = await lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'late'));
    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({ company_id: companyId, roles: '' });
    const rows = await db.admin.query('SELECT login_id FROM users WHERE cognito_sub = $1', [sub]);
    expect(rows.rows).toEqual([{ login_id: 'late' }]);
    expect(lambda.published()).toContainEqual(
      expect.objectContaining({ id: `user.created:${sub}` }),
    );
  });

  test('fails when the account is disabled', async () => {
    const sub = randomUUID();
    await lambda.postConfirmation(postConfirmationEvent(sub, companyId, 'gone'));
    await db.admin.query("UPDATE users SET status = 'disabled' WHERE cognito_sub = $1", [sub]);
    await expect(lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'gone'))).rejects.toThrow(
      'This account is disabled; contact your administrator.',
    );
  });

  test('fails when the event is malformed', async () => {
    await expect(lambda.preTokenGeneration({ request: {} } as never)).rejects.toThrow(
      'malformed trigger event: request.userAttributes or response is missing',
    );
    const noSub = preTokenEvent(randomUUID(), companyId);
    delete (noSub.request.userAttributes as Record<string, string>).sub;
    await expect(lambda.preTokenGeneration(noSub)).rejects.toThrow(
      'malformed trigger event: user attribute sub is missing',
    );
  });
});
