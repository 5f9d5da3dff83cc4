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
  const kind = requiredEnv('USER_POOL_KIND');
  if (kind !== 'product' && kind !== 'console') {
    throw new Error(`USER_POOL_KIND is "${kind}"; allowed: product, console`);
  }
  return kind;
}

/**
 * Where the login ID comes from, from `LOGIN_ID_SOURCE`: the Cognito user
 * name (pools that sign in by login ID) or the email (email-only pools, whose
 * user names are generated UUIDs).
 */
export type LoginIdSource = 'username' | 'email';

export function loginIdSource(): LoginIdSource {
  const source = requiredEnv('LOGIN_ID_SOURCE');
  if (source !== 'username' && source !== 'email') {
    throw new Error(`LOGIN_ID_SOURCE is "${source}"; allowed: username, email`);
  }
  return source;
}
