/**
 * The contract between the integration suite (test/integ, which deploys the
 * assertion function and invokes it from its assertions) and the function's
 * handler: its environment variables and the requests it answers. Both
 * import this module, so a renamed field breaks the build, not a run.
 */
import { z } from 'zod';

/**
 * The environment variables of the function besides the database's, which
 * are the triggers' (`TRIGGER_ENVIRONMENT`: host, port, name, secret, CA).
 */
export const ASSERTION_ENVIRONMENT = {
  /** The product pool the test user signs in to. */
  userPoolId: 'USER_POOL_ID',
  /** The suite's app client of that pool, which allows `ADMIN_USER_PASSWORD_AUTH`. */
  clientId: 'USER_POOL_CLIENT_ID',
} as const;

const uuid = z.uuid();
const loginId = z.string().min(1);

/** What the function is asked to do, one `action` per invocation. */
export const AssertionRequest = z.discriminatedUnion('action', [
  /** Inserts the test company (nothing if it exists), so pre sign-up admits its users. */
  z.object({ action: z.literal('seed-company'), companyId: uuid, name: z.string().min(1) }),
  /**
   * Sets a new random permanent password (which confirms an admin-created
   * user) and signs in with it; answers the claims of both tokens. The
   * password and the tokens never leave the function.
   */
  z.object({ action: z.literal('sign-in'), loginId }),
  /** Counts the rows of `users` with this company and login ID. */
  z.object({ action: z.literal('count-users'), companyId: uuid, loginId }),
  /** Sets the roles of that user's row, as the admin API would. */
  z.object({
    action: z.literal('grant-roles'),
    companyId: uuid,
    loginId,
    roles: z.array(z.string().min(1)).min(1),
  }),
  /** Deletes the company's users and the company. */
  z.object({ action: z.literal('clean-up'), companyId: uuid }),
]);
export type AssertionRequest = z.infer<typeof AssertionRequest>;

/** The claims the platform adds to a token (lambda/pre-token-generation). */
export interface PlatformClaims {
  readonly company_id?: unknown;
  readonly roles?: unknown;
}

/** The answer to `sign-in`: the platform's claims of the ID token and of the access token. */
export interface SignInResult {
  readonly idToken: PlatformClaims;
  readonly accessToken: PlatformClaims;
}
