import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Pool } from 'pg';
import { requiredEnv } from './environment';
import { TRIGGER_ENVIRONMENT } from './trigger-contract';
import { logger } from './logger';
import { verifiedTls } from './tls';

/** The fields of the database secret the triggers use (RDS's secret JSON structure). */
interface DatabaseSecret {
  readonly username: string;
  readonly password: string;
}

/**
 * Cognito gives a trigger 5 s in total, so connecting and each statement get
 * at most 1.5 s: an unreachable database fails the trigger with a clear error
 * instead of a Cognito timeout.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
const CONNECT_TIMEOUT_MS = 1500;
const STATEMENT_TIMEOUT_MS = 1500;

/** How long the secret is cached per container unless `DB_SECRET_MAX_AGE_SECONDS` says otherwise. */
const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

// One client and one cache per container: Powertools keeps the secret for maxAge seconds.
const secrets = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });

async function databaseSecret(): Promise<DatabaseSecret> {
  const maxAge = Number(process.env.DB_SECRET_MAX_AGE_SECONDS ?? DEFAULT_SECRET_MAX_AGE_SECONDS);
  const secret = await secrets.get<DatabaseSecret>(
    requiredEnv(TRIGGER_ENVIRONMENT.databaseSecretArn),
    {
      maxAge,
      transform: 'json',
    },
  );
  if (!secret?.username || !secret.password) {
    throw new Error('the database secret has no username or password');
  }
  return secret;
}

/** The container's pool and the login it was opened with. */
let current: { readonly login: DatabaseSecret; readonly pool: Pool } | undefined;

function createPool(login: DatabaseSecret): Pool {
  const created = new Pool({
    host: requiredEnv(TRIGGER_ENVIRONMENT.databaseHost),
    port: Number(requiredEnv(TRIGGER_ENVIRONMENT.databasePort)),
    database: requiredEnv(TRIGGER_ENVIRONMENT.databaseName),
    user: login.username,
    password: login.password,
    ssl: verifiedTls(requiredEnv(TRIGGER_ENVIRONMENT.databaseCaFile)),
    // A container handles one invocation at a time: one connection, reused across invocations.
    max: 1,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS,
  });
  // A connection dropped while idle (database restart, failover) must not crash the
  // container; the pool opens a new one on the next query.
  created.on('error', (error) => logger.warn('idle database connection failed', { error }));
  return created;
}

/**
 * The container's connection pool, for the login the (cached) secret holds.
 * The alternating-users rotation alternates the secret between the role's user and
 * its clone, so when the secret names another user or password than the pool
 * was opened with, the pool is replaced; the previous login stays valid until
 * the rotation after next, so connections in use are not cut.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html
 */
export async function database(): Promise<Pool> {
  const login = await databaseSecret();
  if (current?.login.username !== login.username || current.login.password !== login.password) {
    const previous = current?.pool;
    current = { login, pool: createPool(login) };
    previous
      ?.end()
      .catch((error: unknown) => logger.warn('closing the old pool failed', { error }));
  }
  return current.pool;
}
