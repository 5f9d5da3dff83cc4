import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { logger } from '../shared/logger';
import { registerUser } from '../shared/registration';

/**
 * Post confirmation: writes the user to PostgreSQL and publishes `user.created`.
 *
 * Database down: the handler fails loudly. It throws, Cognito returns the
 * error to the caller, and the function's error alarm fires. The user is
 * confirmed in Cognito all the same, and is not lost: the pre token
 * generation trigger runs the same idempotent registration when it finds no
 * row, so the first sign-in after the outage completes it.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
export async function handler(
  event: PostConfirmationTriggerEvent,
): Promise<PostConfirmationTriggerEvent> {
  // A forgotten-password confirmation is not a new user.
  if (event?.triggerSource === 'PostConfirmation_ConfirmForgotPassword') {
    return event;
  }
  const claims = await registerUser(event);
  logger.info('user registered', { userId: claims.userId, companyId: claims.companyId });
  return event;
}
