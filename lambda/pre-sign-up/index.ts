import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { database } from '../shared/database';
import { loginIdSource } from '../shared/environment';
import { attribute, companyIdOf, MalformedEventError } from '../shared/events';
import { logger } from '../shared/logger';
import { LoginIdError, validLoginId } from '../shared/login-id';
import { companyExists } from '../shared/users';

/**
 * Pre sign-up: checks the login ID and the company before Cognito creates the
 * user. Cognito shows a thrown error's message to the caller, so the messages
 * say what to change. A pre sign-up trigger cannot change the user name, so a
 * login ID that is not in its normalised form is rejected with that form,
 * which keeps Cognito and the database on one spelling.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export async function handler(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  if (typeof event?.userName !== 'string' || !event.request?.userAttributes) {
    throw new MalformedEventError('userName or request.userAttributes is missing');
  }
  const attributes = event.request.userAttributes;
  if (loginIdSource() === 'username') {
    const loginId = validLoginId(event.userName);
    if (loginId !== event.userName) {
      throw new LoginIdError(
        `Login ID "${event.userName}" must be entered as "${loginId}" (no surrounding spaces, half-width, lowercase).`,
      );
    }
  } else {
    validLoginId(attribute(attributes, 'email'));
  }
  const companyId = companyIdOf(attributes);
  if (!(await companyExists(await database(), companyId))) {
    logger.info('sign-up rejected: unknown company', { companyId });
    throw new Error(
      `Company ${companyId} does not exist; check the company ID with your administrator.`,
    );
  }
  return event;
}
