import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseAccess } from '../../../db/roles';
import { MigrationRoleSpec } from '../../../lambda/shared/migration-contract';
import { SecretParameterRegistry } from '../secrets/secret-parameter-registry';
import { SecretParameter } from '../secrets/secret-parameter';
import {
  EXCLUDED_PASSWORD_CHARACTERS,
  ROTATED_PASSWORD_LENGTH,
} from '../../../lambda/shared/rotation-contract';
import { IdentityDatabase } from './identity-database';
import { SecretRotationFunction } from './secret-rotation-function';

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
  /** Encrypts the rotation function's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of its log group. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to its log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
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
 * rotated by a function of its own with the alternating-users strategy
 * ({@link SecretRotationFunction}), which logs in with the master secret, and
 * registered as `/<env>/database/<name>`. The first rotation follows the
 * schedule, days after the deployment whose schema migration created the
 * role.
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
  /** The rotation of the secret (alternating users). */
  readonly rotation: SecretRotationFunction;

  constructor(scope: Construct, id: string, props: DatabaseRoleProps) {
    super(scope, id);
    const { database, rotation } = props;
    this.roleName = props.name.replace(/-/g, '_');
    this.access = props.access;

    // The JSON of an RDS secret; `masterarn` names the secret the rotation logs in with.
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
        passwordLength: ROTATED_PASSWORD_LENGTH,
        excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      },
    });
    this.rotation = new SecretRotationFunction(this, 'Rotation', {
      secret,
      secretKey: database.secretsKey,
      strategy: 'alternating-users',
      masterSecret: database.secret,
      automaticallyAfter: rotation.automaticallyAfter,
      label: `role ${this.roleName}`,
      vpc: rotation.vpc,
      subnets: rotation.subnets,
      securityGroup: rotation.securityGroup,
      logsKey: rotation.logsKey,
      logRetention: rotation.logRetention,
      removalPolicy: rotation.removalPolicy,
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
