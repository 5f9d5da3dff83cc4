import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client } from 'pg';
import { migrate } from '../../db/migrate';
import { applyRoles, DATABASE_ACCESS_LEVELS, DatabaseRole } from '../../db/roles';
import { requiredEnv } from '../shared/environment';
import { MIGRATION_ENVIRONMENT, MigrationRoleSpec } from '../shared/migration-contract';
import { verifiedTls } from '../shared/tls';

const logger = new Logger({ serviceName: 'identity-schema-migration' });
const secrets = new SecretsManagerClient({});

/**
 * A paused Aurora Serverless v2 instance (minimum 0 ACUs) resumes on the
 * first connection, which takes seconds, more after a long pause; the
 * deployment waits for it rather than failing.
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
 */
const CONNECT_TIMEOUT_MS = 60_000;

/** What a run did, in the function's response and log. */
export interface MigrationResult {
  /** The migration files this run applied, in order (empty when the schema was up to date). */
  readonly applied: readonly string[];
  /** The roles created or updated. */
  readonly roles: readonly string[];
}

/** The `username` and `password` of a secret (RDS's secret JSON structure). */
async function credentialsOf(secretArn: string): Promise<DatabaseRole['login']> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const value = JSON.parse(SecretString ?? '{}') as Partial<DatabaseRole['login']>;
  if (!value.username || !value.password) {
    throw new Error(`the secret ${secretArn} has no username or password`);
  }
  return { username: value.username, password: value.password };
}

/** The roles of `DB_ROLES`, checked: a bad list is a deployment bug, reported as such. */
function roleSpecs(): readonly MigrationRoleSpec[] {
  const name = MIGRATION_ENVIRONMENT.roles;
  const specs = JSON.parse(requiredEnv(name)) as unknown;
  const valid = (spec: Partial<MigrationRoleSpec>) =>
    typeof spec?.role === 'string' &&
    typeof spec.secretArn === 'string' &&
    (DATABASE_ACCESS_LEVELS as readonly unknown[]).includes(spec.access);
  if (!Array.isArray(specs) || !specs.every(valid)) {
    throw new Error(
      `${name} is not a list of { role, access (${DATABASE_ACCESS_LEVELS.join(', ')}), secretArn }`,
    );
  }
  return specs as MigrationRoleSpec[];
}

/**
 * The schema migration, run by the deployment (an `aws-cdk-lib/triggers`
 * trigger, which invokes it without a payload after the database exists and
 * before the user pools): applies the pending files of db/migrations as the
 * master user, then creates or updates the database roles. A failure throws:
 * the trigger fails the deployment with this error (the file's name and the
 * PostgreSQL error), and CloudFormation rolls the stack back; nothing of the
 * failed file is left applied.
 */
export async function handler(): Promise<MigrationResult> {
  const specs = roleSpecs();
  const master = await credentialsOf(requiredEnv(MIGRATION_ENVIRONMENT.masterSecretArn));
  const client = new Client({
    host: requiredEnv(MIGRATION_ENVIRONMENT.databaseHost),
    port: Number(requiredEnv(MIGRATION_ENVIRONMENT.databasePort)),
    database: requiredEnv(MIGRATION_ENVIRONMENT.databaseName),
    user: master.username,
    password: master.password,
    ssl: verifiedTls(requiredEnv(MIGRATION_ENVIRONMENT.databaseCaFile)),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    const applied = await migrate(client);
    const roles = await Promise.all(
      specs.map(async ({ role, access, secretArn }) => ({
        role,
        access,
        login: await credentialsOf(secretArn),
      })),
    );
    await applyRoles(client, roles);
    const result = { applied, roles: specs.map((spec) => spec.role) };
    logger.info(applied.length ? 'migrations applied' : 'schema is up to date', { ...result });
    return result;
  } finally {
    await client.end();
  }
}
