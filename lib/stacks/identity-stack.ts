import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { UserPoolKind } from '../../lambda/shared/trigger-contract';
import { AuroraDatabase } from '../constructs/identity/aurora-database';
import { IdentityDatabase } from '../constructs/identity/identity-database';
import { LifecycleEvents } from '../constructs/identity/lifecycle-events';
import { PeeredDatabase } from '../constructs/identity/peered-database';
import { PlatformUserPool } from '../constructs/identity/platform-user-pool';
import { TriggerFunction, TriggerHandler } from '../constructs/identity/trigger-function';
import {
  addTriggerSecurityGroup,
  addUserPoolWithTriggers,
} from '../constructs/identity/user-pool-with-triggers';
import { NetworkHandles } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link IdentityStack}. */
export interface IdentityStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkHandles;
}

/** What other stacks use of identity. */
export interface IdentityHandles {
  /** The database: `database.connections.allowDefaultPortFrom(x)` opens it to `x`. */
  readonly database: IdentityDatabase;
  /** User and company lifecycle events: topic, queue, dead-letter queue and its alarm. */
  readonly lifecycle: LifecycleEvents;
  /** The user pools, by kind. */
  readonly userPools: Readonly<Record<UserPoolKind, PlatformUserPool>>;
}

/**
 * Identity: the product and console user pools with their trigger Lambdas,
 * the PostgreSQL database (created here, or an existing one reached by
 * peering) and the lifecycle events.
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

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config, network } = props;
    const { derived } = config;

    const database: IdentityDatabase =
      config.database.mode === 'managed'
        ? new AuroraDatabase(this, 'Database', {
            config: config.database,
            vpc: network.vpc,
            subnets: network.subnets.isolated,
            rotationSubnets: network.subnets.privateWithEgress,
            deletionProtection: derived.deletionProtection,
            clusterIdentifier: `${config.name}-identity`,
            removalPolicy: derived.snapshotRemovalPolicy,
            logRetention: config.identity.triggerLogRetentionDays,
            extendedSupport: derived.databaseExtendedSupport,
            alarmThresholds: derived.alarmThresholds,
          })
        : new PeeredDatabase(this, 'Database', {
            config: config.database,
            vpc: network.vpc,
            clientSubnets: network.subnets.privateWithEgress,
          });
    const lifecycle = new LifecycleEvents(this, 'Lifecycle', {
      removalPolicy: derived.removalPolicy,
      alarmThresholds: derived.alarmThresholds,
    });
    this.triggerSecurityGroup = addTriggerSecurityGroup(this, network.vpc, database);

    const withTriggers = (kind: UserPoolKind) =>
      addUserPoolWithTriggers(this, {
        kind,
        pool: kind === 'product' ? config.identity.productPool : config.identity.consolePool,
        identity: config.identity,
        placement: {
          vpc: network.vpc,
          subnets: network.subnets.privateWithEgress,
          securityGroup: this.triggerSecurityGroup,
          database,
          lifecycleTopic: lifecycle.topic,
        },
        deletionProtection: derived.deletionProtection,
        removalPolicy: derived.removalPolicy,
        alarmThresholds: derived.alarmThresholds,
      });
    const product = withTriggers('product');
    const operators = withTriggers('console');
    this.triggers = { product: product.triggers, console: operators.triggers };
    this.identity = {
      database,
      lifecycle,
      userPools: { product: product.userPool, console: operators.userPool },
    };
  }
}
