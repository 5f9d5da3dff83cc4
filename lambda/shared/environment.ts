/** A required environment variable; a missing one is a deployment bug, reported by name. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

/** Which user pool a trigger serves, from `USER_POOL_KIND`. */
export type UserPoolKind = 'product' | 'console';

export function userPoolKind(): UserPoolKind {
  return oneOf('USER_POOL_KIND', ['product', 'console'] as const);
}

/** A required environment variable that must be one of `allowed`. */
function oneOf<T extends string>(name: string, allowed: readonly T[]): T {
  const value = requiredEnv(name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} is "${value}"; allowed: ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * Where the login ID comes from, from `LOGIN_ID_SOURCE`: the Cognito user
 * name (pools that sign in by login ID) or the email (email-only pools, whose
 * user names are generated UUIDs).
 */
export type LoginIdSource = 'username' | 'email';

export function loginIdSource(): LoginIdSource {
  return oneOf('LOGIN_ID_SOURCE', ['username', 'email'] as const);
}
