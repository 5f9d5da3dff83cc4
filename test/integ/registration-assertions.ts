import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ExpectedResult, IApiCall, IDeployAssert, Match } from '@aws-cdk/integ-tests-alpha';
import { AssertionRequest } from '../../lambda/integ-assertions/contract';
import { IntegAssertionFunction } from './assertion-function';

/** The suite's test company: a fixed ID, so the snapshot is the same on every machine. */
export const INTEG_COMPANY_ID = '1e9a0c25-0000-4000-8000-000000000025';
/** The suite's test user of the product pool (a normalised login ID, as pre sign-up requires). */
export const INTEG_LOGIN_ID = 'integ-probe';
/** The role the suite grants the user, which its second token must carry. */
export const INTEG_USER_ROLE = 'integ-probe-role';

/**
 * The first database call may meet a paused Aurora instance, which resumes
 * within seconds while the function's 1.5 s connection timeout (the
 * triggers') fails: the seed is retried until the database answers.
 */
const WAKE = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) };

/** The function's answer to a request, as Lambda's `Payload` (a JSON string). */
const answers = (pattern: Record<string, unknown>) =>
  ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(pattern) });

/**
 * A user created with AdminCreateUser in the product pool gets its row in
 * `users` and its claims in its tokens, in order (`next`):
 * 1. the assertion function seeds the test company (pre sign-up refuses an
 *    unknown company, and only the admin API creates companies);
 * 2. AdminCreateUser with what the triggers require (a normalised login ID
 *    as user name, `email`, `custom:company_id`), no message sent: pre
 *    sign-up admits it;
 * 3. the function confirms it (AdminSetUserPassword, a random permanent
 *    password that never leaves the function) and signs in
 *    (ADMIN_USER_PASSWORD_AUTH): both tokens carry `company_id`; Cognito runs
 *    no post confirmation for admin-created users, so pre token generation
 *    registers the user;
 * 4. `users` holds exactly one row of that user;
 * 5. the function grants the user a role, as the admin API would, and a
 *    second sign-in's tokens carry `company_id` and that role in `roles`;
 * 6. clean-up: AdminDeleteUser, then the function deletes the user's row
 *    and the company.
 */
export function assertRegistration(
  assertionFunction: IntegAssertionFunction,
  userPool: cognito.IUserPool,
  assertions: IDeployAssert,
): void {
  const invoke = (request: AssertionRequest) =>
    assertions.invokeFunction({
      functionName: assertionFunction.function.functionName,
      payload: JSON.stringify(request),
    });
  const companyId = INTEG_COMPANY_ID;
  const loginId = INTEG_LOGIN_ID;
  const user = { UserPoolId: userPool.userPoolId, Username: loginId };
  const claims = (roles?: string) => {
    const token = Match.objectLike(
      roles === undefined ? { company_id: companyId } : { company_id: companyId, roles },
    );
    return answers({ idToken: token, accessToken: token });
  };

  const steps: IApiCall[] = [
    invoke({ action: 'seed-company', companyId, name: 'Integration suite KK' })
      .expect(answers({ companyId }))
      .waitForAssertions(WAKE),
    assertions
      .awsApiCall('@aws-sdk/client-cognito-identity-provider', 'adminCreateUser', {
        ...user,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${loginId}@example.com` },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:company_id', Value: companyId },
        ],
      })
      .expect(ExpectedResult.objectLike({ User: { UserStatus: 'FORCE_CHANGE_PASSWORD' } })),
    // The first sign-in also starts the triggers (cold, in the VPC): retried like the seed.
    invoke({ action: 'sign-in', loginId }).expect(claims()).waitForAssertions(WAKE),
    invoke({ action: 'count-users', companyId, loginId }).expect(answers({ users: 1 })),
    invoke({ action: 'grant-roles', companyId, loginId, roles: [INTEG_USER_ROLE] }).expect(
      answers({ updated: 1 }),
    ),
    invoke({ action: 'sign-in', loginId }).expect(claims(INTEG_USER_ROLE)),
    assertions.awsApiCall('@aws-sdk/client-cognito-identity-provider', 'adminDeleteUser', user),
    invoke({ action: 'clean-up', companyId }).expect(answers({ users: 1, companies: 1 })),
  ];
  steps.reduce((previous, step) => previous.next(step));
}
