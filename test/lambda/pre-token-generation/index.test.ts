import { randomUUID } from 'node:crypto';
import { freePort } from '../../helpers/postgres';
import {
  newContainer,
  postConfirmationEvent,
  preTokenEvent,
  useTriggerDatabase,
} from '../../helpers/trigger-container';

describe('pre token generation trigger (real PostgreSQL)', () => {
  const context = useTriggerDatabase();
  const { companyId, secret } = context;

  test('adds the company ID and roles from the database to the ID and access tokens', async () => {
    const sub = randomUUID();
    await context.lambda.postConfirmation(postConfirmationEvent(sub, companyId, 'admin1'));
    await context.db.admin.query(
      "UPDATE users SET roles = ARRAY['user-admin', 'ip-admin'] WHERE cognito_sub = $1",
      [sub],
    );
    const result = await context.lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'admin1'));
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
    const result = await context.lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'late'));
    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({ company_id: companyId, roles: '' });
    const rows = await context.db.admin.query('SELECT login_id FROM users WHERE cognito_sub = $1', [
      sub,
    ]);
    expect(rows.rows).toEqual([{ login_id: 'late' }]);
    expect(context.lambda.published()).toContainEqual(
      expect.objectContaining({ id: `user.created:${sub}` }),
    );
  });

  test('fails when the account is disabled', async () => {
    const sub = randomUUID();
    await context.lambda.postConfirmation(postConfirmationEvent(sub, companyId, 'gone'));
    await context.db.admin.query("UPDATE users SET status = 'disabled' WHERE cognito_sub = $1", [
      sub,
    ]);
    await expect(
      context.lambda.preTokenGeneration(preTokenEvent(sub, companyId, 'gone')),
    ).rejects.toThrow('This account is disabled; contact your administrator.');
  });

  test('fails when the event is malformed', async () => {
    await expect(context.lambda.preTokenGeneration({ request: {} } as never)).rejects.toThrow(
      'malformed trigger event: request.userAttributes or response is missing',
    );
    const noSub = preTokenEvent(randomUUID(), companyId);
    delete (noSub.request.userAttributes as Record<string, string>).sub;
    await expect(context.lambda.preTokenGeneration(noSub)).rejects.toThrow(
      'malformed trigger event: user attribute sub is missing',
    );
  });
});
