import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../../db/migrate';
import type { MigrationResult } from '../../../lambda/schema-migration';
import { MIGRATION_ENVIRONMENT } from '../../../lambda/shared/migration-contract';
import {
  createTestDatabase,
  TEST_CA_FILE,
  TestPostgres,
  TestRole,
  tlsConnection,
} from '../../helpers/postgres';

/**
 * The handler as the deployment runs it: CloudFormation sends the
 * `Custom::Trigger` event to the trigger provider of aws-cdk-lib/triggers,
 * which invokes the migration function (without a payload) and fails the
 * resource with the function's error. The provider's own code runs here; the
 * Lambda service is replaced by a mock that runs the handler in-process and
 * answers as Lambda does (an unhandled error is a 200 with `FunctionError`).
 */
const provider = jest.requireActual<{
  handler(event: CloudFormationCustomResourceEvent): Promise<void>;
}>(
  path.join(
    path.dirname(require.resolve('aws-cdk-lib/package.json')),
    'custom-resource-handlers/dist/triggers/lambda/index.js',
  ),
);

const MIGRATION_FILES = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
const MASTER_SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:master-AbCdEf';
const secretArnOf = (role: TestRole) =>
  `arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:${role.role}-AbCdEf`;

const properties = {
  ServiceToken: 'arn:aws:lambda:ap-northeast-1:111111111111:function:trigger-provider',
  HandlerArn: 'arn:aws:lambda:ap-northeast-1:111111111111:function:schema-migration:3',
  InvocationType: 'RequestResponse',
  Timeout: '600000',
  ExecuteOnHandlerChange: 'true',
};
const common = {
  ServiceToken: properties.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:ap-northeast-1:111111111111:stack/Dev-Identity/0a1b',
  RequestId: 'e2f3',
  LogicalResourceId: 'SchemaMigrationTrigger',
  ResourceType: 'Custom::Trigger',
  ResourceProperties: properties,
};
const createEvent = (): CloudFormationCustomResourceEvent => ({
  ...common,
  RequestType: 'Create',
});
const updateEvent = (): CloudFormationCustomResourceEvent => ({
  ...common,
  RequestType: 'Update',
  PhysicalResourceId: 'SchemaMigrationTrigger-1',
  OldResourceProperties: { ...properties, HandlerArn: properties.HandlerArn.replace(':3', ':2') },
});

describe('schema migration function, invoked by the deployment (real PostgreSQL)', () => {
  const savedEnv = { ...process.env };
  const lambda = mockClient(LambdaClient);
  const secrets = mockClient(SecretsManagerClient);
  const results: MigrationResult[] = [];
  let db: TestPostgres;
  let serviceRole: TestRole;
  let handler: () => Promise<MigrationResult>;

  beforeAll(() => {
    // Loaded once the environment is set, as the Lambda runtime loads it (logger level, SDK client).
    Object.assign(process.env, {
      AWS_REGION: 'ap-northeast-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The tests run on node 20 (the project's engine); the Lambdas run on node 24.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    handler = jest.requireActual<{ handler: typeof handler }>(
      '../../../lambda/schema-migration',
    ).handler;
  });

  beforeEach(async () => {
    results.length = 0;
    db = await createTestDatabase(undefined, { schema: false });
    serviceRole = db.newRole('read-write');
    const roles = [db.triggerRole, serviceRole];
    Object.assign(process.env, {
      [MIGRATION_ENVIRONMENT.databaseHost]: db.host,
      [MIGRATION_ENVIRONMENT.databasePort]: String(db.port),
      [MIGRATION_ENVIRONMENT.databaseName]: db.database,
      [MIGRATION_ENVIRONMENT.masterSecretArn]: MASTER_SECRET_ARN,
      [MIGRATION_ENVIRONMENT.databaseCaFile]: TEST_CA_FILE,
      [MIGRATION_ENVIRONMENT.roles]: JSON.stringify(
        roles.map((role) => ({
          role: role.role,
          access: role.access,
          secretArn: secretArnOf(role),
        })),
      ),
    });
    secrets
      .on(GetSecretValueCommand, { SecretId: MASTER_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ username: db.user, password: db.password }) });
    for (const role of roles) {
      secrets
        .on(GetSecretValueCommand, { SecretId: secretArnOf(role) })
        .resolves({ SecretString: JSON.stringify({ ...role.login, engine: 'postgres' }) });
    }
    lambda.on(InvokeCommand).callsFake(async () => {
      const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
      try {
        const result = await handler();
        results.push(result);
        return { StatusCode: 200, Payload: encode(result) };
      } catch (error) {
        const { name, message, stack } = error as Error;
        const payload = { errorType: name, errorMessage: message, trace: stack?.split('\n') };
        return { StatusCode: 200, FunctionError: 'Unhandled', Payload: encode(payload) };
      }
    });
    // The provider logs the event and the response; the test reads them from the mocks.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    lambda.reset();
    secrets.reset();
    await db.stop();
  });
  afterAll(() => {
    process.env = savedEnv;
  });

  const loginWorks = async ({ login }: TestRole) => {
    const client = new Client({
      ...tlsConnection(db, db.database),
      ...login,
      user: login.username,
    });
    await client.connect();
    await client.end();
  };

  test('on Create, applies every migration and creates every role', async () => {
    await expect(provider.handler(createEvent())).resolves.toBeUndefined();
    expect(lambda.commandCalls(InvokeCommand)[0].args[0].input).toMatchObject({
      FunctionName: properties.HandlerArn,
      InvocationType: 'RequestResponse',
    });
    expect(results).toEqual([
      { applied: [...MIGRATION_FILES].sort(), roles: [db.triggerRole.role, serviceRole.role] },
    ]);
    await loginWorks(db.triggerRole);
    await loginWorks(serviceRole);
  });

  test('on Update (a changed handler), applies nothing that was applied and keeps the roles', async () => {
    await provider.handler(createEvent());
    await expect(provider.handler(updateEvent())).resolves.toBeUndefined();
    expect(results[1]).toEqual({ applied: [], roles: [db.triggerRole.role, serviceRole.role] });
    await loginWorks(db.triggerRole);
  });

  test('on Delete, leaves the database alone', async () => {
    await provider.handler({ ...updateEvent(), RequestType: 'Delete' } as never);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  test('a failing migration fails the resource with the file and the PostgreSQL error, leaving nothing of it', async () => {
    // A table the first migration creates already exists: that migration fails on its first statement.
    await db.admin.query('CREATE TABLE companies (id int)');
    const failed = provider.handler(createEvent());
    await expect(failed).rejects.toThrow(
      'migration 001_identity.sql failed: relation "companies" already exists (SQLSTATE 42P07)',
    );
    const users = await db.admin.query("SELECT to_regclass('users') AS found");
    expect(users.rows[0].found).toBeNull();
    const recorded = await db.admin.query('SELECT version FROM schema_migrations');
    expect(recorded.rows).toEqual([]);
  });
});
