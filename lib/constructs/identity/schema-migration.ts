import { CfnResource, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { MIGRATION_ENVIRONMENT } from '../../../lambda/shared/migration-contract';
import { FunctionErrorAlarm } from '../operations/alarms/function-error-alarm';
import { PlatformAlarm } from '../operations/platform-alarm';
import { addDatabaseClientSecurityGroup } from './database-client-security-group';
import { AwsApiEgress } from '../network/aws-api-egress';
import { DatabaseRole } from './database-role';
import { IdentityDatabase } from './identity-database';
import { handlerCode } from './handler-bundle';
import { addVpcHandlerFunction } from './vpc-handler-function';
import { acknowledgeFindings, nist } from '../../compliance/acknowledge';

/**
 * How long one run may take: connecting to a paused Aurora Serverless v2
 * instance (it resumes first) and applying the pending files. The deployment
 * waits as long for the function's answer.
 */
export const MIGRATION_TIMEOUT = Duration.minutes(10);

/** Properties of {@link SchemaMigration}. */
export interface SchemaMigrationProps {
  /** The database to migrate. */
  readonly database: IdentityDatabase;
  /** The roles to create and grant after the migrations. */
  readonly roles: readonly DatabaseRole[];
  /** The CA bundle the database's certificate is verified against. */
  readonly caFile: string;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress (the Secrets Manager API). */
  readonly subnets: ec2.SubnetSelection;
  /** How it reaches the Secrets Manager API. */
  readonly awsApis: AwsApiEgress;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of its log group. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The schema migration of every deployment: a function (bundled like the
 * triggers, with db/migrations/*.sql copied into its asset) that applies the
 * pending migrations as the master user and then creates and grants the
 * database roles, and an `aws-cdk-lib/triggers` trigger that runs it once the
 * database exists and again whenever the function changes (new SQL files,
 * code or roles change its asset or configuration). A failure fails the
 * deployment with the file and the PostgreSQL error. The function runs in
 * the private subnets with a security group of its own (HTTPS out and the
 * database's port), logs to an encrypted log group, and raises an alarm
 * when it fails.
 * See https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.triggers-readme.html
 */
export class SchemaMigration extends Construct {
  /** The migration function. */
  readonly function: lambda.Function;
  /** The trigger that runs it during the deployment. */
  readonly trigger: triggers.Trigger;
  /** Its security group, which the database admits. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** In alarm when a run failed. */
  readonly errorAlarm: PlatformAlarm;
  /** The roles it creates and grants (see {@link addRole}). */
  private readonly roles: DatabaseRole[] = [];

  constructor(scope: Construct, id: string, props: SchemaMigrationProps) {
    super(scope, id);
    const { database } = props;
    const securityGroup = addDatabaseClientSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      database,
      description: 'Schema migration function',
      https: props.awsApis.to(['secretsmanager'], 'Secrets Manager API'),
      databaseRule: 'Schema migration',
    });

    const env = MIGRATION_ENVIRONMENT;
    const fn = addVpcHandlerFunction(this, {
      // db/migrate.ts reads the migrations beside its code; in the asset, they change its hash.
      code: handlerCode('schema-migration', [
        { from: 'db/migrations', to: 'migrations', extension: '.sql' },
      ]),
      memorySize: 256,
      timeout: MIGRATION_TIMEOUT,
      vpc: props.vpc,
      subnets: props.subnets,
      securityGroup,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      environment: {
        [env.databaseHost]: database.endpoint,
        [env.databasePort]: String(database.port),
        [env.databaseName]: database.databaseName,
        [env.masterSecretArn]: database.secret.secretArn,
        [env.databaseCaFile]: props.caFile,
        [env.roles]: Lazy.string({
          produce: () => JSON.stringify(this.roles.map((role) => role.migrationSpec)),
        }),
      },
    });
    database.secret.grantRead(fn);

    acknowledgeFindings(
      fn,
      [nist('LambdaDLQ'), nist('LambdaConcurrency')],
      'Invoked once per deployment by the CDK Trigger, synchronously (REQUEST_RESPONSE): a failure fails and rolls back the deployment, so there is no asynchronous event to dead-letter, and one invocation at a time needs no reserved concurrency.',
    );
    this.trigger = new triggers.Trigger(this, 'Trigger', {
      handler: fn,
      timeout: MIGRATION_TIMEOUT,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      executeOnHandlerChange: true,
    });
    // After the database (cluster, instances, the migration's own ingress rule).
    this.trigger.node.addDependency(database);
    this.errorAlarm = new FunctionErrorAlarm(this, 'Errors', {
      function: fn,
      impact:
        'A schema migration failed: the deployment rolled back, so the new release did not go out and the database keeps its previous schema.',
      firstCheck:
        "the migration function's log (it names the file and the PostgreSQL error), then the deployment's CloudFormation events.",
      runbook: 'schema-migration',
      panel: { section: 'database', title: 'Schema migration errors', label: 'migration' },
    });
    this.function = fn;
    this.securityGroup = securityGroup;
    for (const role of props.roles) {
      this.addRole(role);
    }
  }

  /**
   * Creates and grants `role` too: for a role added to the DatabaseRoles
   * after the migration was built (the integration suite's own role).
   */
  addRole(role: DatabaseRole): void {
    this.roles.push(role);
    role.secret.grantRead(this.function);
    // The role's secret exists before the migration reads it, and its rotation is
    // scheduled only once the migration has created the role.
    this.trigger.node.addDependency(role.secret.node.defaultChild as CfnResource);
    role.rotation.schedule.node.addDependency(this.trigger);
  }

  /** Makes `constructs` (e.g. the user pools and their triggers) deploy after the migration ran. */
  runBefore(...constructs: Construct[]): void {
    this.trigger.executeBefore(...constructs);
  }
}
