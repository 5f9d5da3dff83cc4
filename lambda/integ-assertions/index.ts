import { randomBytes } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { database } from '../shared/database';
import { requiredEnv } from '../shared/environment';
import { logger } from '../shared/logger';
import { ASSERTION_ENVIRONMENT, AssertionRequest, PlatformClaims, SignInResult } from './contract';

const cognito = new CognitoIdentityProviderClient({});

/**
 * A password of the pool's policy (12 or more characters, lowercase,
 * uppercase, digit and symbol): random, used once, known only here.
 */
function randomPassword(): string {
  return `${randomBytes(24).toString('base64url')}aA1!`;
}

/** The platform's claims of a JWT, read from its payload (the token came straight from Cognito over TLS). */
function claimsOf(token: string | undefined): PlatformClaims {
  const payload = token?.split('.')[1];
  if (!payload) {
    throw new Error('Cognito answered no token');
  }
  const { company_id, roles } = JSON.parse(
    Buffer.from(payload, 'base64url').toString('utf8'),
  ) as PlatformClaims;
  return { company_id, roles };
}

/**
 * Sets a permanent password, which confirms a user created by
 * AdminCreateUser, and signs in with ADMIN_USER_PASSWORD_AUTH: the pre
 * token generation trigger runs (and registers the user if it has no row,
 * as post confirmation does not run for admin-created users).
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
async function signIn(loginId: string): Promise<SignInResult> {
  const UserPoolId = requiredEnv(ASSERTION_ENVIRONMENT.userPoolId);
  const password = randomPassword();
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId,
      Username: loginId,
      Password: password,
      Permanent: true,
    }),
  );
  const { AuthenticationResult, ChallengeName } = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId,
      ClientId: requiredEnv(ASSERTION_ENVIRONMENT.clientId),
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: loginId, PASSWORD: password },
    }),
  );
  if (ChallengeName) {
    throw new Error(`the sign-in of ${loginId} answered the challenge ${ChallengeName}, no tokens`);
  }
  return {
    idToken: claimsOf(AuthenticationResult?.IdToken),
    accessToken: claimsOf(AuthenticationResult?.AccessToken),
  };
}

/**
 * The integration suite's assertion function (test/integ only, never in a
 * shipped stage): it runs in the VPC and logs in as its own database role
 * (`integ-assertions`, db/roles.ts), so the suite can seed the company that
 * pre sign-up requires, sign a test user in and count its rows. Each
 * request does one thing (see {@link AssertionRequest}); a malformed one
 * throws, so the assertion that sent it fails.
 */
export async function handler(event: unknown): Promise<unknown> {
  const parsed = AssertionRequest.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new Error(`malformed assertion request: ${problems}`);
  }
  const request = parsed.data;
  logger.info('assertion request', { action: request.action });
  switch (request.action) {
    case 'seed-company': {
      await (
        await database()
      ).query('INSERT INTO companies (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        request.companyId,
        request.name,
      ]);
      return { companyId: request.companyId };
    }
    case 'sign-in':
      return signIn(request.loginId);
    case 'count-users': {
      const result = await (
        await database()
      ).query<{ users: number }>(
        'SELECT count(*)::int AS users FROM users WHERE company_id = $1 AND login_id = $2',
        [request.companyId, request.loginId],
      );
      return { users: result.rows[0].users };
    }
    case 'grant-roles': {
      const result = await (
        await database()
      ).query('UPDATE users SET roles = $3 WHERE company_id = $1 AND login_id = $2', [
        request.companyId,
        request.loginId,
        request.roles,
      ]);
      return { updated: result.rowCount };
    }
    case 'clean-up': {
      const db = await database();
      const users = await db.query('DELETE FROM users WHERE company_id = $1', [request.companyId]);
      const companies = await db.query('DELETE FROM companies WHERE id = $1', [request.companyId]);
      return { users: users.rowCount, companies: companies.rowCount };
    }
  }
}
