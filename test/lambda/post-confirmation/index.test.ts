import { randomUUID } from 'node:crypto';
import { freePort } from '../../helpers/postgres';
import {
  newContainer,
  postConfirmationEvent,
  useTriggerDatabase,
} from '../../helpers/trigger-container';

describe('post confirmation trigger (real PostgreSQL)', () => {
  const context = useTriggerDatabase();
  const { companyId, secret } = context;
  const rowsFor = async (sub: string) =>
    (
      await context.db.admin.query(
        'SELECT company_id, user_pool, login_id, email, status FROM users WHERE cognito_sub = $1',
        [sub],
      )
    ).rows;

  test('writes the user and publishes user.created', async () => {
    const sub = randomUUID();
    const event = postConfirmationEvent(sub, companyId, 'hanako');
    await expect(context.lambda.postConfirmation(event)).resolves.toBe(event);
    expect(await rowsFor(sub)).toEqual([
      {
        company_id: companyId,
        user_pool: 'product',
        login_id: 'hanako',
        email: 'hanako@example.com',
        status: 'active',
      },
    ]);
    expect(context.lambda.published()).toContainEqual(
      expect.objectContaining({
        id: `user.created:${sub}`,
        type: 'user.created',
        data: expect.objectContaining({ companyId, cognitoSub: sub }),
      }),
    );
  });

  test('is idempotent: the same event twice leaves one row and no error', async () => {
    const sub = randomUUID();
    const event = postConfirmationEvent(sub, companyId, 'jiro');
    await context.lambda.postConfirmation(event);
    await expect(context.lambda.postConfirmation(event)).resolves.toBe(event);
    expect(await rowsFor(sub)).toHaveLength(1);
    // Both attempts publish the same event ID, which consumers deduplicate on.
    const ids = context.lambda
      .published()
      .filter((message) => message.id === `user.created:${sub}`);
    expect(ids).toHaveLength(2);
  });

  test('leaves one row when two containers confirm the same user concurrently', async () => {
    const other = newContainer(secret());
    const sub = randomUUID();
    const event = () => postConfirmationEvent(sub, companyId, 'saburo');
    const results = await Promise.allSettled([
      context.lambda.postConfirmation(event()),
      other.postConfirmation(event()),
      context.lambda.postConfirmation(event()),
      other.postConfirmation(event()),
    ]);
    expect(results.map((result) => result.status)).toEqual(Array(4).fill('fulfilled'));
    expect(await rowsFor(sub)).toHaveLength(1);
  });

  test('reads the secret once per container across many invocations (Powertools cache)', async () => {
    const container = newContainer(secret());
    for (let i = 0; i < 20; i += 1) {
      await container.postConfirmation(postConfirmationEvent(randomUUID(), companyId, `user${i}`));
    }
    expect(container.secretsManagerCalls()).toBe(1);
  });

  test('ignores a forgotten-password confirmation', async () => {
    const sub = randomUUID();
    const event = {
      ...postConfirmationEvent(sub, companyId),
      triggerSource: 'PostConfirmation_ConfirmForgotPassword' as const,
    };
    await expect(context.lambda.postConfirmation(event)).resolves.toBe(event);
    expect(await rowsFor(sub)).toEqual([]);
  });

  test('fails loudly when the database is unreachable, so Cognito reports the error', async () => {
    const port = process.env.DB_PORT;
    process.env.DB_PORT = String(await freePort());
    try {
      const unreachable = newContainer(secret());
      const sub = randomUUID();
      await expect(
        unreachable.postConfirmation(postConfirmationEvent(sub, companyId, 'shiro')),
      ).rejects.toThrow(/ECONNREFUSED|timeout/);
      expect(unreachable.published()).toEqual([]);
    } finally {
      process.env.DB_PORT = port;
    }
  });

  test('fails when the login ID of another user of the company is taken', async () => {
    await context.lambda.postConfirmation(postConfirmationEvent(randomUUID(), companyId, 'goro'));
    await expect(
      context.lambda.postConfirmation(postConfirmationEvent(randomUUID(), companyId, 'goro')),
    ).rejects.toThrow(/users_company_id_login_id_key/);
  });

  test.each([
    [
      'has no sub',
      (e: any) => delete e.request.userAttributes.sub,
      'user attribute sub is missing',
    ],
    [
      'has no company ID',
      (e: any) => delete e.request.userAttributes['custom:company_id'],
      'user attribute custom:company_id is missing',
    ],
    ['has no attributes', (e: any) => delete e.request, 'request.userAttributes is missing'],
  ])('fails when the event %s, without writing anything', async (_case, damage, message) => {
    const sub = randomUUID();
    const event = postConfirmationEvent(sub, companyId, 'rokuro');
    damage(event);
    await expect(context.lambda.postConfirmation(event)).rejects.toThrow(message);
    expect(await rowsFor(sub)).toEqual([]);
  });
});
