import { RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  LoginIdSource,
  TRIGGER_ENVIRONMENT,
  UserPoolKind,
} from '../../../lambda/shared/trigger-contract';
import { AlarmThresholds, IdentityConfig, UserPoolConfig } from '../../../config';
import { addDatabaseClientSecurityGroup } from './database-client-security-group';
import { AwsApiEgress } from '../network/aws-api-egress';
import { IdentityDatabase } from './identity-database';
import { PlatformUserPool } from './platform-user-pool';
import { UserPoolWebAcl } from './user-pool-web-acl';
import { TRIGGER_HANDLERS, TriggerFunction, TriggerHandler } from './trigger-function';

/**
 * The CA bundle of the Lambda Node.js runtime, which includes the RDS CAs; the
 * triggers verify the database's certificate against it.
 * See https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading
 */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/**
 * Which handlers publish lifecycle events: post confirmation, and pre token
 * generation when it registers a user whose post confirmation failed. Pre
 * sign-up only reads the database, so it gets no SNS permission.
 */
const PUBLISHES_LIFECYCLE_EVENTS: Readonly<Record<TriggerHandler, boolean>> = {
  'pre-sign-up': false,
  'post-confirmation': true,
  'pre-token-generation': true,
};

/** Where the triggers run and what they reach. */
export interface TriggerPlacement {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress (Secrets Manager, SNS). */
  readonly subnets: ec2.SubnetSelection;
  /** The triggers' security group (see {@link addTriggerSecurityGroup}). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The database the triggers write users to. */
  readonly database: IdentityDatabase;
  /** The secret of the triggers' database role, the only secret they may read. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** The topic the triggers publish lifecycle events to. */
  readonly lifecycleTopic: sns.ITopic;
  /** The key of the triggers' log groups. */
  readonly logsKey: kms.IKey;
}

/** Properties of {@link addUserPoolWithTriggers}. */
export interface UserPoolWithTriggersProps {
  /** Which users the pool holds. */
  readonly kind: UserPoolKind;
  /** The pool's own settings. */
  readonly pool: UserPoolConfig;
  /** The settings both pools share (threat protection, tokens, resource server, log retention). */
  readonly identity: IdentityConfig;
  /** Where the triggers run. */
  readonly placement: TriggerPlacement;
  /** The web ACL in front of the pool. */
  readonly webAcl: UserPoolWebAcl;
  /**
   * How the pool sends mail.
   * @default - Cognito's default sender
   */
  readonly email?: cognito.UserPoolEmail;
  /** Deletion protection of the pool. */
  readonly deletionProtection: boolean;
  /** Removal policy of the pool and the triggers' log groups. */
  readonly removalPolicy: RemovalPolicy;
  /** Thresholds of the triggers' alarms. */
  readonly alarmThresholds: AlarmThresholds;
}

/** A user pool and its three trigger functions. */
export interface UserPoolWithTriggers {
  readonly userPool: PlatformUserPool;
  readonly triggers: Readonly<Record<TriggerHandler, TriggerFunction>>;
}

/**
 * A user pool of one kind with its pre sign-up, post confirmation and pre
 * token generation triggers, and the environment contract between them and
 * the handlers (`lambda/shared/trigger-contract.ts`). The triggers are
 * created in `scope` as `<kind>-<handler>` and the pool as `ProductPool` or
 * `ConsolePool`, the IDs they have always had.
 */
export function addUserPoolWithTriggers(
  scope: Construct,
  props: UserPoolWithTriggersProps,
): UserPoolWithTriggers {
  const { kind, pool, identity, placement } = props;
  const loginIdSource: LoginIdSource = pool.signIn === 'email' ? 'email' : 'username';
  const env = TRIGGER_ENVIRONMENT;
  const trigger = (handler: TriggerHandler) => {
    const topic = PUBLISHES_LIFECYCLE_EVENTS[handler] ? placement.lifecycleTopic : undefined;
    return new TriggerFunction(scope, `${kind}-${handler}`, {
      handler,
      vpc: placement.vpc,
      subnets: placement.subnets,
      securityGroup: placement.securityGroup,
      logRetention: identity.triggerLogRetentionDays,
      logsKey: placement.logsKey,
      removalPolicy: props.removalPolicy,
      alarmThresholds: props.alarmThresholds,
      databaseSecret: placement.databaseSecret,
      lifecycleTopic: topic,
      environment: {
        [env.userPoolKind]: kind,
        [env.loginIdSource]: loginIdSource,
        [env.databaseHost]: placement.database.endpoint,
        [env.databasePort]: String(placement.database.port),
        [env.databaseName]: placement.database.databaseName,
        [env.databaseSecretArn]: placement.databaseSecret.secretArn,
        [env.databaseCaFile]: LAMBDA_CA_BUNDLE,
        ...(topic ? { [env.lifecycleTopicArn]: topic.topicArn } : {}),
        [env.serviceName]: `identity-${kind}-${handler}`,
      },
    });
  };
  const triggers = Object.fromEntries(
    TRIGGER_HANDLERS.map((handler) => [handler, trigger(handler)]),
  ) as Record<TriggerHandler, TriggerFunction>;
  const userPool = new PlatformUserPool(scope, kind === 'product' ? 'ProductPool' : 'ConsolePool', {
    kind,
    config: pool,
    threatProtection: identity.threatProtection,
    tokenValidity: identity.tokenValidity,
    apiIdentifier: identity.apiIdentifier,
    deletionProtection: props.deletionProtection,
    removalPolicy: props.removalPolicy,
    webAcl: props.webAcl,
    email: props.email,
    triggers: {
      preSignUp: triggers['pre-sign-up'].function,
      postConfirmation: triggers['post-confirmation'].function,
      preTokenGeneration: triggers['pre-token-generation'].function,
    },
  });
  return { userPool, triggers };
}

/**
 * The triggers' security group, in `scope` as `TriggerSecurityGroup`: egress
 * only to HTTPS (the Secrets Manager endpoint, SNS through NAT), and the
 * database's port opened to it.
 */
export function addTriggerSecurityGroup(
  scope: Construct,
  vpc: ec2.IVpc,
  database: IdentityDatabase,
  awsApis: AwsApiEgress,
): ec2.SecurityGroup {
  return addDatabaseClientSecurityGroup(scope, 'TriggerSecurityGroup', {
    vpc,
    database,
    description: 'Cognito trigger Lambdas',
    https: awsApis.to(['secretsmanager', 'sns'], 'Secrets Manager and SNS APIs'),
    databaseRule: 'Cognito triggers',
  });
}
