import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as fs from 'node:fs';
import { Pool } from 'pg';
import { requiredEnv } from './environment';
import { TRIGGER_ENVIRONMENT } from './trigger-contract';
import { logger } from './logger';

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

let pool: Promise<Pool> | undefined;

async function createPool(): Promise<Pool> {
  const { username } = await databaseSecret();
  const created = new Pool({
    host: requiredEnv(TRIGGER_ENVIRONMENT.databaseHost),
    port: Number(requiredEnv(TRIGGER_ENVIRONMENT.databasePort)),
    database: requiredEnv(TRIGGER_ENVIRONMENT.databaseName),
    user: username,
    // Read for every new connection, so a rotated password is picked up after the cache TTL.
    password: async () => (await databaseSecret()).password,
    // TLS with certificate and host name verification; the CA bundle is the one Lambda
    // ships with the RDS CAs (/var/runtime/ca-cert.pem).
    // See https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading
    ssl: {
      ca: fs.readFileSync(requiredEnv(TRIGGER_ENVIRONMENT.databaseCaFile), 'utf8'),
      rejectUnauthorized: true,
    },
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

/** The container's connection pool, created on first use with the cached secret. */
export function database(): Promise<Pool> {
  pool ??= createPool().catch((error: unknown) => {
    pool = undefined;
    throw error;
  });
  return pool;
}
