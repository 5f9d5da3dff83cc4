/**
 * The contract between the identity stack and the secret-rotation function:
 * its environment variables and its strategies. lib/ (which sets them) and
 * lambda/ (which reads them) both import this module.
 */

/**
 * How a database secret is rotated.
 * - `single-user`: the secret's user logs in with its current password and
 *   changes it (the master secret: nothing else may log in as the master).
 * - `alternating-users`: the master user (the secret's `masterarn`) sets the
 *   password of the user the secret does not hold now, the role or its
 *   `<role>_clone`, so the previous login keeps working until the rotation
 *   after it (the database roles' secrets).
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html
 */
export const ROTATION_STRATEGIES = ['single-user', 'alternating-users'] as const;
export type RotationStrategy = (typeof ROTATION_STRATEGIES)[number];

/** The environment variables of the rotation function. */
export const ROTATION_ENVIRONMENT = {
  /** One of {@link ROTATION_STRATEGIES}. */
  strategy: 'ROTATION_STRATEGY',
  /** The characters generated passwords leave out (GetRandomPassword's `ExcludeCharacters`). */
  excludeCharacters: 'EXCLUDE_CHARACTERS',
  /** The CA bundle the database certificate is verified against. */
  databaseCaFile: 'DB_CA_FILE',
} as const;

/** Length of a generated password, as the secrets' `generateSecretString` makes them. */
export const ROTATED_PASSWORD_LENGTH = 32;

/**
 * Kept out of generated passwords, by the secrets and by their rotation: the
 * characters RDS refuses in passwords (`/`, `"`, `@`; see
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html)
 * and those that need escaping in connection strings and shells, as
 * aws-cdk-lib's rds module excludes them from its generated passwords.
 */
export const EXCLUDED_PASSWORD_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';
