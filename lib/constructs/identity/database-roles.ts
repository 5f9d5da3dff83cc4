import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceConfig } from '../../../config';
import { DatabaseAccess, PLATFORM_DATABASE_ROLES } from '../../../db/roles';
import { pascalCase } from '../../naming';
import { SecretParameterRegistry } from '../secrets/secret-parameter-registry';
import { addDatabaseClientSecurityGroup } from './database-client-security-group';
import { AwsApiEgress } from '../network/aws-api-egress';
import { DatabaseRole } from './database-role';
import { IdentityDatabase } from './identity-database';

/** Properties of {@link DatabaseRoles}. */
export interface DatabaseRolesProps {
  /** The database. */
  readonly database: IdentityDatabase;
  /** The VPC of the rotation functions. */
  readonly vpc: ec2.IVpc;
  /** Their subnets: private with egress (the Secrets Manager API). */
  readonly subnets: ec2.SubnetSelection;
  /** How they reach the Secrets Manager API. */
  readonly awsApis: AwsApiEgress;
  /** Days between rotations of each role's secret. */
  readonly rotationDays: number;
  /** Encrypts the rotation functions' log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of their log groups. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to their log groups when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** The `/<env>/` registry the secrets are published in. */
  readonly parameters: SecretParameterRegistry;
  /** The services: each that declares `database` gets a role named after it. */
  readonly services: readonly ServiceConfig[];
}

/**
 * The database roles of the platform, one {@link DatabaseRole} per consumer:
 * the identity triggers' role and one per service that declares `database`
 * (named after the service), and any role added later:
 *
 * ```ts
 * roles.add('operator', { access: 'read-only', usedBy: 'operators' });
 * ```
 *
 * The schema migration creates and grants every role added here, and each
 * consumer reads its own role's secret (`roles.role('admin-api').secret`).
 * Each role's secret has a rotation function of its own (alternating users);
 * they share one security group: HTTPS out (Secrets Manager) and the
 * database's port, nothing else.
 */
export class DatabaseRoles extends Construct {
  /** The security group of the roles' rotation functions. */
  readonly rotationSecurityGroup: ec2.ISecurityGroup;
  private readonly byName = new Map<string, DatabaseRole>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DatabaseRolesProps,
  ) {
    super(scope, id);
    const securityGroup = addDatabaseClientSecurityGroup(this, 'RotationSecurityGroup', {
      vpc: props.vpc,
      database: props.database,
      description: 'Rotation functions of the database roles',
      https: props.awsApis.to(['secretsmanager'], 'Secrets Manager API'),
      databaseRule: 'Role secret rotation',
    });
    this.rotationSecurityGroup = securityGroup;
    this.add(PLATFORM_DATABASE_ROLES.triggers, {
      access: 'identity-triggers',
      usedBy: 'the Cognito triggers',
    });
    for (const service of props.services) {
      if (service.database) {
        this.add(service.name, { access: service.database, usedBy: `service ${service.name}` });
      }
    }
  }

  /** Adds a role (`name` is `<name>` of `/<env>/database/<name>`, e.g. `identity-triggers`). */
  add(name: string, options: { access: DatabaseAccess; usedBy: string }): DatabaseRole {
    if (this.byName.has(name)) {
      throw new Error(`DatabaseRoles: role "${name}" is added twice`);
    }
    const { database, parameters } = this.props;
    const role = new DatabaseRole(this, pascalCase(name), {
      name,
      ...options,
      database,
      parameters,
      rotation: {
        vpc: this.props.vpc,
        subnets: this.props.subnets,
        securityGroup: this.rotationSecurityGroup,
        automaticallyAfter: Duration.days(this.props.rotationDays),
        logsKey: this.props.logsKey,
        logRetention: this.props.logRetention,
        removalPolicy: this.props.removalPolicy,
      },
    });
    this.byName.set(name, role);
    return role;
  }

  /** A role by name; an unknown name fails, listing the roles there are. */
  role(name: string): DatabaseRole {
    const found = this.byName.get(name);
    if (!found) {
      throw new Error(
        `DatabaseRoles: no role "${name}"; roles: ${[...this.byName.keys()].join(', ') || 'none'}`,
      );
    }
    return found;
  }

  /** Every role, in the order added. */
  get all(): readonly DatabaseRole[] {
    return [...this.byName.values()];
  }
}
