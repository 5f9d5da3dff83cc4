import type { PreSignUpTriggerEvent, PostConfirmationTriggerEvent } from 'aws-lambda';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { TEST_CA_FILE, TestPostgres } from './postgres';

export const SECRET_ARN =
  'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:identity-db-AbCdEf';
export const TOPIC_ARN = 'arn:aws:sns:ap-northeast-1:111111111111:identity-lifecycle';

/** One Lambda container: the three handlers loaded in their own module registry. */
export interface TriggerContainer {
  preSignUp(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent>;
  postConfirmation(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent>;
  preTokenGeneration(
    event: PreTokenGenerationV2TriggerEvent,
  ): Promise<PreTokenGenerationV2TriggerEvent>;
  /** GetSecretValue calls this container made. */
  secretsManagerCalls(): number;
  /** Messages this container published to SNS, parsed. */
  published(): { id: string; type: string; data: Record<string, string> }[];
}

/** The environment the stack gives the triggers, pointing at the test server. */
export function triggerEnvironment(db: Pick<TestPostgres, 'host' | 'port' | 'database'>) {
  return {
    AWS_REGION: 'ap-northeast-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The tests run on node 20 (the project's engine); the Lambdas run on node 24.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_NAME: db.database,
    DB_SECRET_ARN: SECRET_ARN,
    DB_CA_FILE: TEST_CA_FILE,
    LIFECYCLE_TOPIC_ARN: TOPIC_ARN,
    USER_POOL_KIND: 'product',
    LOGIN_ID_SOURCE: 'username',
  };
}

/**
 * Loads the handlers as a fresh Lambda container would: new module state (pool,
 * secret cache, SDK clients), with Secrets Manager answering `secret` and SNS
 * accepting every publish. The database pool is created, from `process.env`,
 * on the first invocation.
 */
export function newContainer(secret: { username: string; password: string }): TriggerContainer {
  let container: TriggerContainer | undefined;
  jest.isolateModules(() => {
    const { mockClient } =
      jest.requireActual<typeof import('aws-sdk-client-mock')>('aws-sdk-client-mock');
    const sm = jest.requireActual<typeof import('@aws-sdk/client-secrets-manager')>(
      '@aws-sdk/client-secrets-manager',
    );
    const sn = jest.requireActual<typeof import('@aws-sdk/client-sns')>('@aws-sdk/client-sns');
    const secrets = mockClient(sm.SecretsManagerClient);
    secrets.on(sm.GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const sns = mockClient(sn.SNSClient);
    sns.on(sn.PublishCommand).resolves({ MessageId: 'm-1' });
    const handler = <T>(name: string) =>
      jest.requireActual<{ handler: T }>(`../../lambda/${name}`).handler;
    container = {
      preSignUp: handler('pre-sign-up'),
      postConfirmation: handler('post-confirmation'),
      preTokenGeneration: handler('pre-token-generation'),
      secretsManagerCalls: () => secrets.commandCalls(sm.GetSecretValueCommand).length,
      published: () =>
        sns.commandCalls(sn.PublishCommand).map((call) => JSON.parse(call.args[0].input.Message!)),
    };
  });
  return container!;
}

/** A confirmed sign-up event as Cognito sends it. */
export function postConfirmationEvent(
  sub: string,
  companyId: string,
  userName = 'taro.yamada',
): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'ap-northeast-1',
    userPoolId: 'ap-northeast-1_Example',
    userName,
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
    request: {
      userAttributes: {
        sub,
        email: `${userName}@example.com`,
        'custom:company_id': companyId,
      },
    },
    response: {},
  };
}

/** A sign-up event as Cognito sends it to pre sign-up. */
export function preSignUpEvent(userName: string, companyId: string): PreSignUpTriggerEvent {
  return {
    version: '1',
    region: 'ap-northeast-1',
    userPoolId: 'ap-northeast-1_Example',
    userName,
    triggerSource: 'PreSignUp_SignUp',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
    request: {
      userAttributes: { email: 'user@example.com', 'custom:company_id': companyId },
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

/** A sign-in event as Cognito sends it to pre token generation (version 2). */
export function preTokenEvent(
  sub: string,
  companyId: string,
  userName = 'taro.yamada',
): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    region: 'ap-northeast-1',
    userPoolId: 'ap-northeast-1_Example',
    userName,
    triggerSource: 'TokenGeneration_Authentication',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
    request: {
      userAttributes: {
        sub,
        email: `${userName}@example.com`,
        'custom:company_id': companyId,
      },
      groupConfiguration: {},
    },
    response: { claimsAndScopeOverrideDetails: {} },
  };
}
