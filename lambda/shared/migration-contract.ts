/**
 * The contract between the identity stack and the schema-migration function:
 * its environment variables and the role list it receives. lib/ (which sets
 * them) and lambda/ (which reads them) both import this module.
 */
import { DatabaseAccess } from '../../db/roles';

/** The environment variables of the migration function. */
export const MIGRATION_ENVIRONMENT = {
  /** Host name of the database's writer endpoint. */
  databaseHost: 'DB_HOST',
  /** The database's port. */
  databasePort: 'DB_PORT',
  /** The database's name. */
  databaseName: 'DB_NAME',
  /** ARN of the master user's secret (`username`, `password`): migrations run as the schema owner. */
  masterSecretArn: 'DB_MASTER_SECRET_ARN',
  /** The CA bundle the database certificate is verified against. */
  databaseCaFile: 'DB_CA_FILE',
  /** The roles to create or update, as JSON: an array of {@link MigrationRoleSpec}. */
  roles: 'DB_ROLES',
} as const;

/** One database role the migration function creates or updates. */
export interface MigrationRoleSpec {
  /** The role's name in PostgreSQL. */
  readonly role: string;
  /** What it may do. */
  readonly access: DatabaseAccess;
  /** ARN of its secret, whose `username` and `password` the role's login gets. */
  readonly secretArn: string;
}
