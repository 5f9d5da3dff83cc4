import { loginIdSource, userPoolKind } from './environment';
import { attribute, companyIdOf, MalformedEventError } from './events';
import { publishLifecycleEvent } from './lifecycle';
import { normaliseLoginId } from './login-id';
import { database } from './database';
import { upsertUser, UserClaims } from './users';

/** The parts of a Cognito trigger event that identify a confirmed user. */
export interface ConfirmedUserEvent {
  readonly userName: string;
  readonly request: { readonly userAttributes: Readonly<Record<string, string>> };
}

/**
 * Writes the confirmed user to the database (idempotent upsert) and then
 * publishes `user.created`. The event is published on every call, retries
 * included, with a deterministic ID: publishing only on first insert would
 * lose the event when the first attempt inserted the row and then failed to
 * publish. Any failure throws, so Cognito reports it and retries.
 */
export async function registerUser(event: ConfirmedUserEvent): Promise<UserClaims> {
  if (typeof event.userName !== 'string' || !event.request?.userAttributes) {
    throw new MalformedEventError('userName or request.userAttributes is missing');
  }
  const attributes = event.request.userAttributes;
  const cognitoSub = attribute(attributes, 'sub');
  const email = attribute(attributes, 'email');
  const companyId = companyIdOf(attributes);
  const raw = loginIdSource() === 'username' ? event.userName : email;
  const claims = await upsertUser(await database(), {
    cognitoSub,
    companyId,
    userPool: userPoolKind(),
    loginId: normaliseLoginId(raw),
    email,
  });
  await publishLifecycleEvent({
    id: `user.created:${cognitoSub}`,
    type: 'user.created',
    occurredAt: new Date().toISOString(),
    data: { userId: claims.userId, companyId: claims.companyId, cognitoSub },
  });
  return claims;
}
