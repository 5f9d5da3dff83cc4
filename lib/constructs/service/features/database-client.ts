import { ServiceDatabaseAccess } from '../../../../db/roles';
import { DatabaseRole } from '../../identity/database-role';
import { IdentityDatabase } from '../../identity/identity-database';
import { ServiceApp, ServiceFeature, ServiceInstance } from '../service-feature';

/** The environment a service with database access receives. */
export const DATABASE_ENVIRONMENT = {
  /** The writer endpoint (`read-write`) or the reader endpoint (`read-only`). */
  host: 'DB_HOST',
  port: 'DB_PORT',
  name: 'DB_NAME',
  /** Container secrets from the role's secret, read at task start. */
  username: 'DB_USERNAME',
  password: 'DB_PASSWORD',
} as const;

/**
 * A service's access to the identity database through its own role: the
 * role's user name and password as container secrets (the execution role may
 * read that secret only), the endpoint, port and name as plain environment,
 * and the database's port between the service's security group and the
 * database's, nothing wider. The alternating-users rotation keeps the previous
 * user's password valid for one more rotation period, so a task started
 * before a rotation keeps working until it is replaced.
 */
export class DatabaseClient implements ServiceFeature {
  constructor(
    private readonly database: IdentityDatabase,
    private readonly role: DatabaseRole,
    private readonly access: ServiceDatabaseAccess,
  ) {}

  useAppContainer({ appContainer }: ServiceApp): void {
    const env = DATABASE_ENVIRONMENT;
    const { database, role } = this;
    appContainer.addEnvironment(
      env.host,
      this.access === 'read-only' ? database.readerEndpoint : database.endpoint,
    );
    appContainer.addEnvironment(env.port, String(database.port));
    appContainer.addEnvironment(env.name, database.databaseName);
    // ECS reads the fields at task start with the execution role, which may read this secret only.
    appContainer.addSecret(env.username, role.parameter.ecsSecret('username'));
    appContainer.addSecret(env.password, role.parameter.ecsSecret('password'));
  }

  useService({ securityGroup }: ServiceInstance): void {
    securityGroup.connections.allowTo(
      this.database,
      this.database.connections.defaultPort!,
      `Database (${this.access})`,
    );
  }
}
