/**
 * The contract between the identity stack and the trigger handlers: the
 * environment variables a trigger function receives and the values they may
 * take. lib/ (which sets them) and lambda/ (which reads them) both import
 * this module, so a renamed variable breaks the build, not a sign-up.
 */

/** Which users a pool holds: product end users, or operators of the admin console. */
export const USER_POOL_KINDS = ['product', 'console'] as const;
export type UserPoolKind = (typeof USER_POOL_KINDS)[number];

/**
 * Where the login ID comes from: the Cognito user name (pools that sign in by
 * login ID) or the email (email-only pools, whose user names are generated UUIDs).
 */
export const LOGIN_ID_SOURCES = ['username', 'email'] as const;
export type LoginIdSource = (typeof LOGIN_ID_SOURCES)[number];

/** The environment variables of every trigger function. */
export const TRIGGER_ENVIRONMENT = {
  /** One of {@link USER_POOL_KINDS}. */
  userPoolKind: 'USER_POOL_KIND',
  /** One of {@link LOGIN_ID_SOURCES}. */
  loginIdSource: 'LOGIN_ID_SOURCE',
  /** Host name of the database's writer endpoint. */
  databaseHost: 'DB_HOST',
  /** The database's port. */
  databasePort: 'DB_PORT',
  /** The database's name. */
  databaseName: 'DB_NAME',
  /** ARN of the triggers' database role's secret (`username`, `password`). */
  databaseSecretArn: 'DB_SECRET_ARN',
  /** The CA bundle the database certificate is verified against. */
  databaseCaFile: 'DB_CA_FILE',
  /** The lifecycle-event topic (only the handlers that publish events get it). */
  lifecycleTopicArn: 'LIFECYCLE_TOPIC_ARN',
  /** The service name of Powertools' logs. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;
