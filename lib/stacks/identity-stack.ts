import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PLATFORM_DATABASE_ROLES } from '../../db/roles';
import { UserPoolKind } from '../../lambda/shared/trigger-contract';
import { DatabaseRoles } from '../constructs/identity/database-roles';
import { DatabaseShell } from '../constructs/identity/database-shell';
import { IdentityDatabase } from '../constructs/identity/identity-database';
import { LifecycleEvents } from '../constructs/identity/lifecycle-events';
import { MailIdentity } from '../constructs/identity/mail-identity';
import { addIdentityDatabase } from '../constructs/identity/platform-database';
import { PlatformUserPool } from '../constructs/identity/platform-user-pool';
import { SchemaMigration } from '../constructs/identity/schema-migration';
import { TriggerFunction, TriggerHandler } from '../constructs/identity/trigger-function';
import {
  addTriggerSecurityGroup,
  addUserPoolWithTriggers,
  LAMBDA_CA_BUNDLE,
} from '../constructs/identity/user-pool-with-triggers';
import { UserPoolWebAcl } from '../constructs/identity/user-pool-web-acl';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { SecretParameterRegistry } from '../constructs/secrets/secret-parameter-registry';
import { NetworkHandles } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link IdentityStack}. */
export interface IdentityStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkHandles;
  /** The environment's `/<env>/` parameter registry (the database roles' secrets). */
  readonly parameters: SecretParameterRegistry;
}

/** What other stacks use of identity. */
export interface IdentityHandles {
  /** The database: `database.connections.allowDefaultPortFrom(x)` opens it to `x`. */
  readonly database: IdentityDatabase;
  /** The database roles and their secrets, by name (`databaseRoles.role('identity-triggers')`). */
  readonly databaseRoles: DatabaseRoles;
  /** User and company lifecycle events: topic, queue, dead-letter queue and its alarm. */
  readonly lifecycle: LifecycleEvents;
  /** The user pools, by kind. */
  readonly userPools: Readonly<Record<UserPoolKind, PlatformUserPool>>;
}

/**
 * Identity: the PostgreSQL database (created here, or an existing one reached
 * by peering), its least-privilege roles and the schema migration that every
 * deployment runs before anything uses the schema, the product and console
 * user pools with their trigger Lambdas and the web ACL in front of them, the
 * lifecycle events, and, when configured, the pools' SES mail identity and
 * the operators' database shell.
 */
export class IdentityStack extends PlatformStack {
  /** What other stacks take. */
  readonly identity: IdentityHandles;
  /** Security group of the trigger Lambdas. */
  readonly triggerSecurityGroup: ec2.ISecurityGroup;
  /** The trigger functions, by pool and handler. */
  readonly triggers: Readonly<
    Record<UserPoolKind, Readonly<Record<TriggerHandler, TriggerFunction>>>
  >;
  /** The deploy-time schema migration. */
  readonly migration: SchemaMigration;
  /** The operators' database shell, when `database.operatorAccess` is on. */
  readonly databaseShell?: DatabaseShell;
  /** The pools' SES identity, when `identity.mail` is set. */
  readonly mailIdentity?: MailIdentity;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config, network, parameters } = props;
    const { derived, identity } = config;
    const placement = {
      vpc: network.vpc,
      subnets: network.subnets.privateWithEgress,
      awsApis: network.awsApis,
    };
    const logsKey = new LogsEncryptionKey(this, 'LogsKey', {
      description: `${config.name}: encrypts the identity stack's log groups (database, triggers, migration, shell)`,
      removalPolicy: derived.removalPolicy,
    }).key;
    // Where the stack's functions and the shell run, and how they log.
    const logs = {
      logRetention: identity.triggerLogRetentionDays,
      removalPolicy: derived.removalPolicy,
      logsKey,
    };
    const database = addIdentityDatabase(this, {
      awsApis: network.awsApis,
      config: config.database,
      environmentName: config.name,
      vpc: network.vpc,
      subnets: network.subnets,
      deletionProtection: derived.deletionProtection,
      snapshotRemovalPolicy: derived.snapshotRemovalPolicy,
      removalPolicy: derived.removalPolicy,
      logRetention: logs.logRetention,
      logsKey,
      extendedSupport: derived.databaseExtendedSupport,
      alarmThresholds: derived.alarmThresholds,
      monitoringIntervalSeconds: derived.databaseMonitoringIntervalSeconds,
      backupPlanRetentionDays: derived.databaseBackupPlanRetentionDays,
    });
    const lifecycle = new LifecycleEvents(this, 'Lifecycle', {
      removalPolicy: derived.removalPolicy,
      alarmThresholds: derived.alarmThresholds,
    });
    const webAcl = new UserPoolWebAcl(this, 'UserPoolWebAcl', {
      name: `${config.name}-user-pools`,
      rateLimit: config.identity.rateLimit,
      logRetention: config.edge.wafLogRetentionDays,
      removalPolicy: derived.removalPolicy,
    });

    const databaseRoles = new DatabaseRoles(this, 'DatabaseRoles', {
      database,
      ...placement,
      ...logs,
      rotationDays: config.database.secretRotationDays,
      parameters,
      services: config.application.services,
    });
    if (config.database.operatorAccess) {
      // Before the migration: the shell adds the operators' role it creates.
      this.databaseShell = new DatabaseShell(this, 'DatabaseShell', {
        environmentName: config.name,
        database,
        roles: databaseRoles,
        ...placement,
        ...logs,
        parameters,
      });
    }
    this.migration = new SchemaMigration(this, 'SchemaMigration', {
      database,
      roles: databaseRoles.all,
      caFile: LAMBDA_CA_BUNDLE,
      ...placement,
      ...logs,
    });
    this.triggerSecurityGroup = addTriggerSecurityGroup(
      this,
      network.vpc,
      database,
      network.awsApis,
    );
    this.mailIdentity = identity.mail && new MailIdentity(this, 'Mail', { mail: identity.mail });
    const withTriggers = (kind: UserPoolKind) =>
      addUserPoolWithTriggers(this, {
        kind,
        pool: kind === 'product' ? identity.productPool : identity.consolePool,
        identity,
        placement: {
          ...placement,
          securityGroup: this.triggerSecurityGroup,
          database,
          databaseSecret: databaseRoles.role(PLATFORM_DATABASE_ROLES.triggers).secret,
          lifecycleTopic: lifecycle.topic,
          logsKey,
        },
        webAcl,
        email: this.mailIdentity?.poolEmail,
        deletionProtection: derived.deletionProtection,
        removalPolicy: derived.removalPolicy,
        alarmThresholds: derived.alarmThresholds,
      });
    const product = withTriggers('product');
    const operators = withTriggers('console');
    // Cognito invokes the triggers only once a pool names them: the pools wait for the schema.
    this.migration.runBefore(product.userPool, operators.userPool);
    this.triggers = { product: product.triggers, console: operators.triggers };
    this.identity = {
      database,
      databaseRoles,
      lifecycle,
      userPools: { product: product.userPool, console: operators.userPool },
    };
  }
}
