import { randomUUID } from 'node:crypto';
import { ROTATION_CLONE_SUFFIX } from '../../../db/roles';
import {
  newContainer,
  postConfirmationEvent,
  useTriggerDatabase,
} from '../../helpers/trigger-container';

describe("the triggers' database connection (real PostgreSQL)", () => {
  const context = useTriggerDatabase();
  const savedMaxAge = process.env.DB_SECRET_MAX_AGE_SECONDS;
  afterAll(() => {
    process.env.DB_SECRET_MAX_AGE_SECONDS = savedMaxAge;
  });
  const connectedUsers = async () =>
    (
      await context.db.admin.query<{ usename: string }>(
        'SELECT usename FROM pg_stat_activity WHERE datname = $1 AND usename LIKE $2',
        [context.db.database, `${context.db.triggerRole.role}%`],
      )
    ).rows.map((row) => row.usename);

  test('after a multi-user rotation, switches to the user the secret names once the cache expires', async () => {
    // A cache of 0 s: every invocation reads the (mocked) secret again.
    process.env.DB_SECRET_MAX_AGE_SECONDS = '0';
    const container = newContainer(context.secret());
    await container.postConfirmation(postConfirmationEvent(randomUUID(), context.companyId, 'ume'));
    expect(await connectedUsers()).toEqual([context.db.triggerRole.role]);

    // The rotation's first run: a clone with the role's grants becomes the secret's user.
    const clone = {
      username: `${context.db.triggerRole.role}${ROTATION_CLONE_SUFFIX}`,
      password: randomUUID(),
    };
    await context.db.admin.query(
      `CREATE ROLE ${clone.username} WITH LOGIN PASSWORD '${clone.password}' IN ROLE ${context.db.triggerRole.role}`,
    );
    container.rotateSecret(clone);
    // The cache entry of 0 s expires once the clock has moved on.
    await new Promise((resolve) => setTimeout(resolve, 5));

    await container.postConfirmation(
      postConfirmationEvent(randomUUID(), context.companyId, 'momo'),
    );
    expect(await connectedUsers()).toContain(clone.username);
  });
});
