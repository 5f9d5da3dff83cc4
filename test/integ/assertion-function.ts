import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ASSERTION_ENVIRONMENT } from '../../lambda/integ-assertions/contract';
import { TRIGGER_ENVIRONMENT } from '../../lambda/shared/trigger-contract';
import { AwsApiEgress } from '../../lib/constructs/network/aws-api-egress';
import { addDatabaseClientSecurityGroup } from '../../lib/constructs/identity/database-client-security-group';
import { DatabaseRole } from '../../lib/constructs/identity/database-role';
import { handlerCode } from '../../lib/constructs/identity/handler-bundle';
import { acknowledgeVpcExecutionPolicies } from '../../lib/constructs/identity/vpc-handler-function';
import { LAMBDA_CA_BUNDLE } from '../../lib/constructs/identity/user-pool-with-triggers';
import { LAMBDA_NODE_RUNTIME } from '../../lib/pins';
import { IdentityStack } from '../../lib/stacks/identity-stack';
import { NetworkHandles } from '../../lib/stacks/network-stack';

/** The `/<env>/database/<name>` name of the suite's database role. */
export const ASSERTION_DATABASE_ROLE = 'integ-assertions';

/**
 * The integration suite's assertion function (lambda/integ-assertions), in
 * the identity stack of the `Integ` stage only, never in a shipped one:
 * - a database role of its own (`integ-assertions`, db/roles.ts: the test
 *   company and its users, nothing else), declared in the stage's
 *   DatabaseRoles and created by the stage's schema migration;
 * - a security group like every database client's (HTTPS out, the
 *   database's port opened to it);
 * - an app client of the product pool that allows ADMIN_USER_PASSWORD_AUTH,
 *   which the shipped clients (SRP and the authorization code grant) do not,
 *   and the Cognito calls of the sign-in on that pool only;
 * - the function, bundled like the triggers, in the private subnets.
 */
export class IntegAssertionFunction extends Construct {
  /** The function the assertions invoke. */
  readonly function: lambda.Function;
  /** Its database role. */
  readonly databaseRole: DatabaseRole;
  /** The suite's app client of the product pool. */
  readonly client: cognito.UserPoolClient;

  constructor(scope: IdentityStack, id: string, network: NetworkHandles) {
    super(scope, id);
    const { database, databaseRoles, userPools } = scope.identity;
    const role = databaseRoles.add(ASSERTION_DATABASE_ROLE, {
      access: 'integ-assertions',
      usedBy: 'the integration suite',
    });
    scope.migration.addRole(role);
    const securityGroup = addDatabaseClientSecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      database,
      description: 'Integration suite assertion function',
      // The platform creates no interface endpoint for Cognito's API.
      https: AwsApiEgress.internet('Secrets Manager and Cognito APIs'),
      databaseRule: 'Integration suite assertions',
    });
    const pool = userPools.product.userPool;
    const client = pool.addClient('IntegAssertionsClient', {
      generateSecret: false,
      authFlows: { adminUserPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });

    const env = TRIGGER_ENVIRONMENT;
    const fn = new lambda.Function(this, 'Function', {
      code: handlerCode('integ-assertions'),
      handler: 'index.handler',
      runtime: LAMBDA_NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      vpc: network.vpc,
      vpcSubnets: network.subnets.privateWithEgress,
      securityGroups: [securityGroup],
      logGroup: new logs.LogGroup(this, 'Logs', {
        retention: scope.config.identity.triggerLogRetentionDays,
        removalPolicy: scope.config.derived.removalPolicy,
      }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [env.databaseHost]: database.endpoint,
        [env.databasePort]: String(database.port),
        [env.databaseName]: database.databaseName,
        [env.databaseSecretArn]: role.secret.secretArn,
        [env.databaseCaFile]: LAMBDA_CA_BUNDLE,
        [env.serviceName]: 'integ-assertions',
        [ASSERTION_ENVIRONMENT.userPoolId]: pool.userPoolId,
        [ASSERTION_ENVIRONMENT.clientId]: client.userPoolClientId,
      },
    });
    role.secret.grantRead(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminInitiateAuth'],
        resources: [pool.userPoolArn],
      }),
    );
    acknowledgeVpcExecutionPolicies(fn);
    this.function = fn;
    this.databaseRole = role;
    this.client = client;
  }
}
