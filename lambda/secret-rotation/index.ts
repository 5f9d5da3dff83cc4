import { Logger } from '@aws-lambda-powertools/logger';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { Client } from 'pg';
import { ROTATION_CLONE_SUFFIX, scramVerifier } from '../../db/roles';
import { requiredEnv } from '../shared/environment';
import {
  ROTATED_PASSWORD_LENGTH,
  ROTATION_ENVIRONMENT,
  ROTATION_STRATEGIES,
  RotationStrategy,
} from '../shared/rotation-contract';
import { verifiedTls } from '../shared/tls';

const logger = new Logger({ serviceName: 'identity-secret-rotation' });
const secrets = new SecretsManagerClient({});

/**
 * A paused Aurora Serverless v2 instance (minimum 0 ACUs) resumes on the
 * first connection, which takes seconds, more after a long pause.
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
 */
const CONNECT_TIMEOUT_MS = 60_000;

/** PostgreSQL's longest identifier (NAMEDATALEN - 1). See https://www.postgresql.org/docs/current/sql-syntax-lexical.html */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * What Secrets Manager sends for each step of a rotation.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html
 */
export interface RotationEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  /** The version being rotated to: AWSPENDING until finishSecret makes it AWSCURRENT. */
  readonly ClientRequestToken: string;
  /** Identifies the rotation's source; PutSecretValue passes it back. */
  readonly RotationToken?: string;
}

/**
 * A database secret (the JSON structure of an Amazon RDS PostgreSQL secret;
 * the fields besides these, such as `engine`, are kept as they are).
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html
 */
interface DatabaseSecret {
  readonly [field: string]: unknown;
  readonly host: string;
  readonly port?: number | string;
  readonly dbname?: string;
  readonly username: string;
  readonly password: string;
  /** The master secret, whose user sets the alternating users' passwords. */
  readonly masterarn?: string;
}

type Stage = 'AWSCURRENT' | 'AWSPENDING' | 'AWSPREVIOUS';

/**
 * A version of the secret as JSON, by stage (and for AWSPENDING the version
 * of the token), with `fields` present.
 */
async function secretValue(
  secretId: string,
  stage: Stage,
  token?: string,
  fields: readonly (keyof DatabaseSecret & string)[] = ['host', 'username', 'password'],
) {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: token }),
  );
  const value = JSON.parse(SecretString ?? '{}') as Partial<DatabaseSecret>;
  for (const field of fields) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new Error(`the ${stage} version of secret ${secretId} has no ${field}`);
    }
  }
  return value as DatabaseSecret;
}

/** Like {@link secretValue}, or undefined when no version has the stage. */
async function optionalSecretValue(secretId: string, stage: Stage, token?: string) {
  try {
    return await secretValue(secretId, stage, token);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return undefined;
    }
    throw error;
  }
}

/** The strategy the function was deployed with. */
function strategy(): RotationStrategy {
  const name = ROTATION_ENVIRONMENT.strategy;
  const value = requiredEnv(name);
  if (!(ROTATION_STRATEGIES as readonly string[]).includes(value)) {
    throw new Error(`${name} is "${value}"; allowed: ${ROTATION_STRATEGIES.join(', ')}`);
  }
  return value as RotationStrategy;
}

/**
 * The other user of the alternating-users strategy: `<role>_clone` for the
 * role and the role for its clone, the names AWS's multi-user rotation uses,
 * which db/roles.ts grants.
 */
export function alternateUser(username: string): string {
  if (username.endsWith(ROTATION_CLONE_SUFFIX)) {
    return username.slice(0, -ROTATION_CLONE_SUFFIX.length);
  }
  const clone = `${username}${ROTATION_CLONE_SUFFIX}`;
  if (clone.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(
      `user ${username} is too long for a clone: ${clone} exceeds ${MAX_IDENTIFIER_LENGTH} characters`,
    );
  }
  return clone;
}

/** A connection to the secret's database as `login` (by default the secret's own user), over verified TLS. */
async function connect(
  secret: DatabaseSecret,
  login: Pick<DatabaseSecret, 'username' | 'password'> = secret,
): Promise<Client> {
  const client = new Client({
    host: secret.host,
    port: Number(secret.port ?? 5432),
    // An RDS secret may leave the database out; PostgreSQL's default database is `postgres`.
    database: secret.dbname ?? 'postgres',
    user: login.username,
    password: login.password,
    ssl: verifiedTls(requiredEnv(ROTATION_ENVIRONMENT.databaseCaFile)),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** A connection as the secret's user, or undefined when it cannot log in (the reason is logged, never the password). */
async function tryConnect(secret: DatabaseSecret, version: string): Promise<Client | undefined> {
  try {
    return await connect(secret);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    logger.info('cannot log in', { version, username: secret.username, code, message });
    return undefined;
  }
}

/** Whether the secret's user can log in with its password. */
async function canLogIn(secret: DatabaseSecret, version: string): Promise<boolean> {
  const client = await tryConnect(secret, version);
  await client?.end();
  return client !== undefined;
}

/** Runs `use` on `client`, then closes it. */
async function using<T>(client: Client, use: (client: Client) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * `ALTER ROLE ... PASSWORD` with the SCRAM verifier, so the password never
 * reaches the server or its log; only the password, which a role may change
 * for itself (https://www.postgresql.org/docs/current/sql-alterrole.html).
 */
async function setPassword(client: Client, username: string, password: string): Promise<void> {
  await client.query(
    `ALTER ROLE ${client.escapeIdentifier(username)} WITH PASSWORD ${client.escapeLiteral(scramVerifier(password))}`,
  );
}

function sameDatabase(a: DatabaseSecret, b: DatabaseSecret, secretId: string): void {
  if (a.host !== b.host || String(a.port) !== String(b.port) || a.dbname !== b.dbname) {
    throw new Error(
      `the AWSPENDING version of secret ${secretId} names another database than AWSCURRENT`,
    );
  }
}

/**
 * createSecret: a new AWSPENDING version with a generated password (and, for
 * alternating users, the other user), unless this rotation made it already.
 */
async function createSecret(event: RotationEvent, rotation: RotationStrategy): Promise<void> {
  const { SecretId, ClientRequestToken } = event;
  const current = await secretValue(SecretId, 'AWSCURRENT');
  if (await optionalSecretValue(SecretId, 'AWSPENDING', ClientRequestToken)) {
    logger.info('createSecret: the pending version exists already', { SecretId });
    return;
  }
  const { RandomPassword } = await secrets.send(
    new GetRandomPasswordCommand({
      PasswordLength: ROTATED_PASSWORD_LENGTH,
      ExcludeCharacters: requiredEnv(ROTATION_ENVIRONMENT.excludeCharacters),
    }),
  );
  if (!RandomPassword) {
    throw new Error('GetRandomPassword returned no password');
  }
  const username =
    rotation === 'alternating-users' ? alternateUser(current.username) : current.username;
  await secrets.send(
    new PutSecretValueCommand({
      SecretId,
      ClientRequestToken,
      SecretString: JSON.stringify({ ...current, username, password: RandomPassword }),
      VersionStages: ['AWSPENDING'],
      RotationToken: event.RotationToken,
    }),
  );
  logger.info('createSecret: pending version created', { SecretId, username });
}

/**
 * setSecret, single user: the user changes its own password to the pending
 * one, logged in with the current one (or the previous one, when a rotation
 * set the database but did not finish). Done already when the pending
 * password logs in.
 */
async function setSingleUser(event: RotationEvent): Promise<void> {
  const { SecretId, ClientRequestToken } = event;
  const pending = await secretValue(SecretId, 'AWSPENDING', ClientRequestToken);
  if (await canLogIn(pending, 'AWSPENDING')) {
    logger.info('setSecret: the pending password is set already', { SecretId });
    return;
  }
  const current = await secretValue(SecretId, 'AWSCURRENT');
  if (current.username !== pending.username) {
    throw new Error(`the AWSPENDING version of secret ${SecretId} names another user`);
  }
  sameDatabase(current, pending, SecretId);
  let client = await tryConnect(current, 'AWSCURRENT');
  if (!client) {
    const previous = await optionalSecretValue(SecretId, 'AWSPREVIOUS');
    if (previous?.username === pending.username) {
      client = await tryConnect({ ...current, password: previous.password }, 'AWSPREVIOUS');
    }
  }
  if (!client) {
    throw new Error(
      `user ${pending.username} of secret ${SecretId} cannot log in with the pending, current or previous password`,
    );
  }
  await using(client, (c) => setPassword(c, pending.username, pending.password));
  logger.info('setSecret: password changed', { SecretId, username: pending.username });
}

/**
 * setSecret, alternating users: logged in as the master user, creates the
 * pending user if it is the clone and does not exist, makes it a member of
 * the role (so it has the role's grants) and sets its password. The current
 * user and its password are left alone. Done already when the pending user
 * logs in.
 */
async function setAlternatingUsers(event: RotationEvent): Promise<void> {
  const { SecretId, ClientRequestToken } = event;
  const pending = await secretValue(SecretId, 'AWSPENDING', ClientRequestToken);
  if (await canLogIn(pending, 'AWSPENDING')) {
    logger.info('setSecret: the pending user logs in already', { SecretId });
    return;
  }
  const current = await secretValue(SecretId, 'AWSCURRENT');
  if (alternateUser(current.username) !== pending.username) {
    throw new Error(
      `the AWSPENDING version of secret ${SecretId} names user ${pending.username}, not ${alternateUser(current.username)}`,
    );
  }
  sameDatabase(current, pending, SecretId);
  // As AWS's rotation does: a current login that fails is a problem to look at first.
  if (!(await canLogIn(current, 'AWSCURRENT'))) {
    throw new Error(`user ${current.username} of secret ${SecretId} cannot log in`);
  }
  if (!current.masterarn) {
    throw new Error(`secret ${SecretId} has no masterarn`);
  }
  // Only the master's login: the connection goes to the database the role's secret names.
  const master = await secretValue(current.masterarn, 'AWSCURRENT', undefined, [
    'username',
    'password',
  ]);
  const client = await connect(current, master);
  await using(client, async (c) => {
    const role = pending.username.endsWith(ROTATION_CLONE_SUFFIX)
      ? current.username
      : pending.username;
    const id = (name: string) => c.escapeIdentifier(name);
    await c.query('BEGIN');
    try {
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [pending.username]);
      if (exists.rowCount === 0) {
        if (pending.username === role) {
          throw new Error(`role ${role} does not exist: the schema migration creates it`);
        }
        await c.query(`CREATE ROLE ${id(pending.username)} WITH LOGIN`);
      }
      if (pending.username !== role) {
        await c.query(`GRANT ${id(role)} TO ${id(pending.username)}`);
      }
      await setPassword(c, pending.username, pending.password);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK');
      throw error;
    }
  });
  logger.info('setSecret: pending user set', { SecretId, username: pending.username });
}

/** testSecret: the pending version logs in and runs a query. */
async function testSecret(event: RotationEvent): Promise<void> {
  const { SecretId, ClientRequestToken } = event;
  const pending = await secretValue(SecretId, 'AWSPENDING', ClientRequestToken);
  const client = await tryConnect(pending, 'AWSPENDING');
  if (!client) {
    throw new Error(`the AWSPENDING version of secret ${SecretId} cannot log in`);
  }
  await using(client, (c) => c.query('SELECT now()'));
  logger.info('testSecret: the pending version logs in', { SecretId });
}

/** finishSecret: AWSCURRENT moves to the token's version (Secrets Manager labels the old one AWSPREVIOUS). */
async function finishSecret(event: RotationEvent): Promise<void> {
  const { SecretId, ClientRequestToken } = event;
  const { VersionIdsToStages = {} } = await secrets.send(new DescribeSecretCommand({ SecretId }));
  const current = Object.entries(VersionIdsToStages).find(([, stages]) =>
    stages.includes('AWSCURRENT'),
  )?.[0];
  if (current === ClientRequestToken) {
    logger.info('finishSecret: the version is AWSCURRENT already', { SecretId });
    return;
  }
  await secrets.send(
    new UpdateSecretVersionStageCommand({
      SecretId,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: ClientRequestToken,
      RemoveFromVersionId: current,
    }),
  );
  logger.info('finishSecret: the new version is AWSCURRENT', { SecretId });
}

/**
 * The rotation function of a PostgreSQL secret, one step per invocation, as
 * Secrets Manager's rotation contract has it: every step checks that the
 * secret's rotation is on and that the token's version is the pending one
 * (done when it is AWSCURRENT already), and may be retried: a step that did
 * its work before returns without doing it twice.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */
export async function handler(event: RotationEvent): Promise<void> {
  const rotation = strategy();
  const { SecretId, ClientRequestToken, Step } = event;
  const metadata = await secrets.send(new DescribeSecretCommand({ SecretId }));
  if (metadata.RotationEnabled === false) {
    throw new Error(`secret ${SecretId} does not have rotation enabled`);
  }
  const stages = metadata.VersionIdsToStages?.[ClientRequestToken];
  if (!stages) {
    throw new Error(`secret ${SecretId} has no version ${ClientRequestToken} to rotate to`);
  }
  if (stages.includes('AWSCURRENT')) {
    logger.info('the version is AWSCURRENT already', { SecretId, Step });
    return;
  }
  if (!stages.includes('AWSPENDING')) {
    throw new Error(`version ${ClientRequestToken} of secret ${SecretId} is not AWSPENDING`);
  }
  switch (Step) {
    case 'createSecret':
      return createSecret(event, rotation);
    case 'setSecret':
      return rotation === 'single-user' ? setSingleUser(event) : setAlternatingUsers(event);
    case 'testSecret':
      return testSecret(event);
    case 'finishSecret':
      return finishSecret(event);
    default:
      throw new Error(`unknown rotation step "${String(Step)}"`);
  }
}
