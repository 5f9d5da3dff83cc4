import {
  LOGIN_ID_SOURCES,
  LoginIdSource,
  TRIGGER_ENVIRONMENT,
  USER_POOL_KINDS,
  UserPoolKind,
} from './trigger-contract';

/** A required environment variable; a missing one is a deployment bug, reported by name. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

/** Which user pool a trigger serves. */
export function userPoolKind(): UserPoolKind {
  return oneOf(TRIGGER_ENVIRONMENT.userPoolKind, USER_POOL_KINDS);
}

/** A required environment variable that must be one of `allowed`. */
function oneOf<T extends string>(name: string, allowed: readonly T[]): T {
  const value = requiredEnv(name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} is "${value}"; allowed: ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Where the login ID comes from (see {@link LOGIN_ID_SOURCES}). */
export function loginIdSource(): LoginIdSource {
  return oneOf(TRIGGER_ENVIRONMENT.loginIdSource, LOGIN_ID_SOURCES);
}
