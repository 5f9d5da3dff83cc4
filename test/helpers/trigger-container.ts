import type { PreSignUpTriggerEvent, PostConfirmationTriggerEvent } from 'aws-lambda';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, TEST_CA_FILE, TestPostgres } from './postgres';

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
  /** From now on, Secrets Manager answers `secret` (a rotation). */
  rotateSecret(secret: { username: string; password: string }): void;
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
      rotateSecret: (rotated) =>
        secrets.on(sm.GetSecretValueCommand).resolves({ SecretString: JSON.stringify(rotated) }),
      published: () =>
        sns.commandCalls(sn.PublishCommand).map((call) => JSON.parse(call.args[0].input.Message!)),
    };
  });
  return container!;
}

/** What every trigger event carries besides its trigger source, request and response. */
function envelope(version: string, userName: string) {
  return {
    version,
    region: 'ap-northeast-1',
    userPoolId: 'ap-northeast-1_Example',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'client' },
  };
}

/** The attributes of a confirmed user. */
function confirmedAttributes(sub: string, companyId: string, userName: string) {
  return { sub, email: `${userName}@example.com`, 'custom:company_id': companyId };
}

/** A confirmed sign-up event as Cognito sends it. */
export function postConfirmationEvent(
  sub: string,
  companyId: string,
  userName = 'taro.yamada',
): PostConfirmationTriggerEvent {
  return {
    ...envelope('1', userName),
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    request: { userAttributes: confirmedAttributes(sub, companyId, userName) },
    response: {},
  };
}

/** A sign-up event as Cognito sends it to pre sign-up. */
export function preSignUpEvent(userName: string, companyId: string): PreSignUpTriggerEvent {
  return {
    ...envelope('1', userName),
    triggerSource: 'PreSignUp_SignUp',
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
    ...envelope('2', userName),
    triggerSource: 'TokenGeneration_Authentication',
    request: {
      userAttributes: confirmedAttributes(sub, companyId, userName),
      groupConfiguration: {},
    },
    response: { claimsAndScopeOverrideDetails: {} },
  };
}

/** What a trigger test works with: its database, one container, and a company in it. */
export interface TriggerTestContext {
  readonly db: TestPostgres;
  readonly lambda: TriggerContainer;
  readonly companyId: string;
  /** The secret the mocked Secrets Manager returns, for further containers. */
  secret(): { username: string; password: string };
}

/**
 * Registers hooks that create a fresh database with one company, point the
 * triggers' environment at it and load one container; the context's fields
 * are set once `beforeAll` has run. Restores the environment afterwards.
 */
export function useTriggerDatabase(): TriggerTestContext {
  const savedEnv = { ...process.env };
  const context = { companyId: randomUUID() } as {
    db: TestPostgres;
    lambda: TriggerContainer;
    companyId: string;
    secret(): { username: string; password: string };
  };
  // The triggers log in as their role, as deployed: every trigger test also proves the role suffices.
  context.secret = () => ({ ...context.db.triggerRole.login });
  beforeAll(async () => {
    context.db = await createTestDatabase();
    Object.assign(process.env, triggerEnvironment(context.db));
    await context.db.admin.query("INSERT INTO companies (id, name) VALUES ($1, 'Example KK')", [
      context.companyId,
    ]);
    context.lambda = newContainer(context.secret());
  });
  afterAll(async () => {
    process.env = savedEnv;
    await context.db?.stop();
  });
  return context;
}
