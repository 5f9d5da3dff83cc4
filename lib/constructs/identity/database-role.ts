import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseAccess } from '../../../db/roles';
import { MigrationRoleSpec } from '../../../lambda/shared/migration-contract';
import { SecretParameterRegistry } from '../secrets/secret-parameter-registry';
import { SecretParameter } from '../secrets/secret-parameter';
import { IdentityDatabase } from './identity-database';

/**
 * Kept out of generated passwords, by the secret and by its rotation: the
 * characters RDS refuses in passwords (`/`, `"`, `@`; see
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html)
 * and those that need escaping in connection strings and shells, as
 * aws-cdk-lib's rds module excludes them from its generated passwords.
 */
const EXCLUDED_PASSWORD_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/** Where the rotation function of a role's secret runs. */
export interface RoleRotationPlacement {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress (the Secrets Manager API). */
  readonly subnets: ec2.SubnetSelection;
  /** The rotation functions' security group, which the database admits. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Days between rotations. */
  readonly automaticallyAfter: Duration;
}

/** Properties of {@link DatabaseRole}. */
export interface DatabaseRoleProps {
  /** `<name>` of `/<env>/database/<name>`: lowercase words and `-`, e.g. `identity-triggers`. */
  readonly name: string;
  /** What the role may do (db/roles.ts). */
  readonly access: DatabaseAccess;
  /** Who uses the role: the secret's description, and its reader in docs/parameters.md. */
  readonly usedBy: string;
  /** The database. */
  readonly database: IdentityDatabase;
  /** Where the rotation function runs. */
  readonly rotation: RoleRotationPlacement;
  /** The `/<env>/` registry the secret is published in. */
  readonly parameters: SecretParameterRegistry;
}

/**
 * One least-privilege PostgreSQL role (created and granted by the schema
 * migration, db/roles.ts) and its credentials: a generated password in a
 * Secrets Manager secret of its own, encrypted with the database's key,
 * rotated by the multi-user (alternating users) rotation, which logs in with
 * the master secret, and registered as `/<env>/database/<name>`.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html
 */
export class DatabaseRole extends Construct {
  /** The role's name in PostgreSQL (`identity-triggers` -> `identity_triggers`). */
  readonly roleName: string;
  /** What the role may do. */
  readonly access: DatabaseAccess;
  /** The secret (`username`, `password`, `host`, `port`, `dbname`, `engine`, `masterarn`). */
  readonly secret: secretsmanager.ISecret;
  /** The secret and its `/<env>/database/<name>` parameter. */
  readonly parameter: SecretParameter;

  constructor(scope: Construct, id: string, props: DatabaseRoleProps) {
    super(scope, id);
    const { database, rotation } = props;
    this.roleName = props.name.replace(/-/g, '_');
    this.access = props.access;

    // The JSON the multi-user rotation expects; `masterarn` names the secret it logs in with.
    // See https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Database role ${this.roleName} (${props.access}) of ${props.usedBy}`,
      encryptionKey: database.secretsKey,
      generateSecretString: {
        secretStringTemplate: Stack.of(this).toJsonString({
          engine: 'postgres',
          host: database.endpoint,
          port: database.port,
          dbname: database.databaseName,
          username: this.roleName,
          masterarn: database.secret.secretArn,
        }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      },
    });
    new secretsmanager.SecretRotation(this, 'Rotation', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_MULTI_USER,
      secret,
      masterSecret: database.secret,
      target: database,
      vpc: rotation.vpc,
      vpcSubnets: rotation.subnets,
      securityGroup: rotation.securityGroup,
      automaticallyAfter: rotation.automaticallyAfter,
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      // The role exists only once the schema migration has run; the first rotation follows
      // the schedule, so it never races the deployment that creates the role.
      rotateImmediatelyOnUpdate: false,
    });
    this.secret = secret;
    this.parameter = props.parameters.addSecret(`database/${props.name}`, {
      description: `Credentials of database role ${this.roleName} (${props.access})`,
      source: { kind: 'secret', secret },
      scope: this,
      readBy: [props.usedBy, 'the schema migration'],
    });
  }

  /** What the migration function needs to create or update the role. */
  get migrationSpec(): MigrationRoleSpec {
    return { role: this.roleName, access: this.access, secretArn: this.secret.secretArn };
  }
}
