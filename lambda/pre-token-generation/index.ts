import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { database } from '../shared/database';
import { attribute, MalformedEventError } from '../shared/events';
import { logger } from '../shared/logger';
import { registerUser } from '../shared/registration';
import { claimsOf } from '../shared/users';

/**
 * Pre token generation (event version 2): adds the company ID and the roles
 * from the database to the ID and access tokens. A user without a row (post
 * confirmation failed while the database was down) is registered here with
 * the same idempotent upsert, so the first sign-in completes the registration.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  if (!event?.request?.userAttributes || !event.response) {
    throw new MalformedEventError('request.userAttributes or response is missing');
  }
  const cognitoSub = attribute(event.request.userAttributes, 'sub');
  let claims = await claimsOf(await database(), cognitoSub);
  if (!claims) {
    logger.warn('user had no database row; registering it now', { cognitoSub });
    claims = await registerUser(event);
  }
  if (claims.status !== 'active') {
    throw new Error('This account is disabled; contact your administrator.');
  }
  // V2 claim values are strings here: roles are space-separated, like OAuth scopes.
  const added = { company_id: claims.companyId, roles: claims.roles.join(' ') };
  event.response.claimsAndScopeOverrideDetails = {
    idTokenGeneration: { claimsToAddOrOverride: added },
    accessTokenGeneration: { claimsToAddOrOverride: added },
  };
  return event;
}
