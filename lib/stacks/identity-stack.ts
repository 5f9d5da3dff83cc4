import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { UserPoolConfig } from '../../config';
import { AuroraDatabase, engineLifecycleSupportOf } from '../constructs/identity/aurora-database';
import { IdentityDatabase } from '../constructs/identity/identity-database';
import { LifecycleEvents } from '../constructs/identity/lifecycle-events';
import { PeeredDatabase } from '../constructs/identity/peered-database';
import { PlatformUserPool, UserPoolKind } from '../constructs/identity/platform-user-pool';
import { TriggerFunction, TriggerHandler } from '../constructs/identity/trigger-function';
import { PlatformSubnets } from '../constructs/network/platform-vpc';
import { HTTPS_PORT, removalPolicyOf } from '../defaults';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link IdentityStack}. */
export interface IdentityStackProps extends PlatformStackProps {
  /** The environment's VPC (from the network stack). */
  readonly vpc: ec2.IVpc;
  /** Its subnet tiers (from the network stack). */
  readonly subnets: PlatformSubnets;
}

/**
 * The CA bundle of the Lambda Node.js runtime, which includes the RDS CAs; the
 * triggers verify the database's certificate against it.
 * See https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading
 */
const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/**
 * Identity: the product and console user pools with their trigger Lambdas,
 * the PostgreSQL database (created here, or an existing one reached by
 * peering) and the lifecycle-event topic. The application stack takes
 * {@link database}, {@link databaseSecret} and {@link lifecycleTopic}.
 */
export class IdentityStack extends PlatformStack {
  /** The database: `database.connections.allowDefaultPortFrom(service)` opens it to a service. */
  readonly database: IdentityDatabase;
  /** The database credentials. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** User and company lifecycle events. */
  readonly lifecycleTopic: sns.ITopic;
  /** Topic, queue, dead-letter queue and its alarm. */
  readonly lifecycle: LifecycleEvents;
  /** The pool of the product's end users. */
  readonly productPool: PlatformUserPool;
  /** The pool of the admin console's operators. */
  readonly consolePool: PlatformUserPool;
  /** Security group of the trigger Lambdas. */
  readonly triggerSecurityGroup: ec2.ISecurityGroup;
  /** The trigger functions, by pool and handler. */
  readonly triggers: Readonly<
    Record<UserPoolKind, Readonly<Record<TriggerHandler, TriggerFunction>>>
  >;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config, vpc, subnets } = props;
    const production = config.tier === 'production';
    const removalPolicy = removalPolicyOf(config.removalPolicy);

    this.database =
      config.database.mode === 'managed'
        ? new AuroraDatabase(this, 'Database', {
            config: config.database,
            vpc,
            subnets: subnets.isolated,
            rotationSubnets: subnets.privateWithEgress,
            deletionProtection: production,
            clusterIdentifier: `${config.name}-identity`,
            removalPolicy: removalPolicyOf(config.removalPolicy, 'snapshottable'),
            logRetention: config.identity.triggerLogRetentionDays as logs.RetentionDays,
            engineLifecycleSupport: engineLifecycleSupportOf(config.tier),
          })
        : new PeeredDatabase(this, 'Database', {
            config: config.database,
            vpc,
            clientSubnets: subnets.privateWithEgress,
          });
    this.databaseSecret = this.database.secret;
    this.lifecycle = new LifecycleEvents(this, 'Lifecycle', { removalPolicy });
    this.lifecycleTopic = this.lifecycle.topic;

    // Egress only to the database and to HTTPS (Secrets Manager endpoint, SNS through NAT).
    const triggerSecurityGroup = new ec2.SecurityGroup(this, 'TriggerSecurityGroup', {
      vpc,
      description: 'Cognito trigger Lambdas',
      allowAllOutbound: false,
    });
    triggerSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(HTTPS_PORT),
      'Secrets Manager and SNS APIs',
    );
    this.database.connections.allowDefaultPortFrom(triggerSecurityGroup, 'Cognito triggers');
    this.triggerSecurityGroup = triggerSecurityGroup;

    const pool = (kind: UserPoolKind, poolConfig: UserPoolConfig) => {
      const trigger = (handler: TriggerHandler) => {
        const fn = new TriggerFunction(this, `${kind}-${handler}`, {
          handler,
          vpc,
          subnets: subnets.privateWithEgress,
          securityGroup: triggerSecurityGroup,
          logRetention: config.identity.triggerLogRetentionDays as logs.RetentionDays,
          removalPolicy,
          databaseSecret: this.database.secret,
          lifecycleTopic: this.lifecycleTopic,
          environment: {
            USER_POOL_KIND: kind,
            LOGIN_ID_SOURCE: poolConfig.signIn === 'email' ? 'email' : 'username',
            DB_HOST: this.database.endpoint,
            DB_PORT: String(this.database.port),
            DB_NAME: this.database.databaseName,
            DB_SECRET_ARN: this.database.secret.secretArn,
            DB_CA_FILE: LAMBDA_CA_BUNDLE,
            LIFECYCLE_TOPIC_ARN: this.lifecycleTopic.topicArn,
            POWERTOOLS_SERVICE_NAME: `identity-${kind}-${handler}`,
          },
        });
        return fn;
      };
      const triggers = {
        'pre-sign-up': trigger('pre-sign-up'),
        'post-confirmation': trigger('post-confirmation'),
        'pre-token-generation': trigger('pre-token-generation'),
      };
      const userPool = new PlatformUserPool(
        this,
        kind === 'product' ? 'ProductPool' : 'ConsolePool',
        {
          kind,
          config: poolConfig,
          threatProtection: config.identity.threatProtection,
          tokenValidity: config.identity.tokenValidity,
          apiIdentifier: config.identity.apiIdentifier,
          deletionProtection: production,
          removalPolicy,
          triggers: {
            preSignUp: triggers['pre-sign-up'].function,
            postConfirmation: triggers['post-confirmation'].function,
            preTokenGeneration: triggers['pre-token-generation'].function,
          },
        },
      );
      return { triggers, userPool };
    };
    const product = pool('product', config.identity.productPool);
    const operators = pool('console', config.identity.consolePool);
    this.productPool = product.userPool;
    this.consolePool = operators.userPool;
    this.triggers = { product: product.triggers, console: operators.triggers };
  }
}
