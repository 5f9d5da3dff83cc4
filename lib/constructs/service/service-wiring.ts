import { RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmThresholds, ServiceConfig } from '../../../config';
import { UserPoolKind } from '../../../lambda/shared/trigger-contract';
import { DatabaseRoles } from '../identity/database-roles';
import { IdentityDatabase } from '../identity/identity-database';
import { PlatformUserPool } from '../identity/platform-user-pool';
import { ServiceCallers } from '../mesh/service-callers';
import { IServiceMesh } from '../mesh/service-mesh';
import { DatabaseClient } from './features/database-client';
import { MeshServerPort } from './features/mesh-server-port';
import { PlatformAlarm } from '../operations/platform-alarm';
import { QueueConsumer } from './features/queue-consumer';
import { CalledService, ServiceCalls } from './features/service-calls';
import { TokenValidation } from './features/token-validation';
import { ServiceFeature } from './service-feature';

/** What the services use of identity. */
export interface ServiceIdentity {
  /** The database and its endpoints. */
  readonly database: IdentityDatabase;
  /** The services' database roles, by service name. */
  readonly databaseRoles: DatabaseRoles;
  /**
   * The lifecycle events: the queue the lifecycle worker consumes, and the
   * alarm on its dead-letter queue (it rolls back the worker's deployments).
   */
  readonly lifecycle: {
    readonly queue: sqs.IQueue;
    readonly alarms: { readonly deadLetter: PlatformAlarm };
  };
  /** The user pools whose tokens services validate. */
  readonly userPools: Readonly<Record<UserPoolKind, PlatformUserPool>>;
}

/** What a service is wired to. */
export interface ServiceWiring {
  /** Every service of the environment (the callees' ports and protocols). */
  readonly services: readonly ServiceConfig[];
  /** The mesh, for the callees' URLs. */
  readonly mesh: IServiceMesh;
  /** The callers' group of each service that can be called. */
  readonly callers: ServiceCallers;
  /** Database, roles, lifecycle queue and user pools. */
  readonly identity: ServiceIdentity;
  /** The identifier of the APIs' resource server. */
  readonly apiIdentifier: string;
  /** Removal policy of a service's own queues. */
  readonly removalPolicy: RemovalPolicy;
  /** Thresholds of the alarms of a service's own queue. */
  readonly alarmThresholds: AlarmThresholds;
}

/**
 * The features that follow from a service's spec: its port open to its
 * declared callers, the services it calls (`calls`), the database
 * (`database`), token validation (`userPools`) and its queue (`queue`).
 */
export function wiredFeatures(spec: ServiceConfig, wiring: ServiceWiring): ServiceFeature[] {
  const { identity } = wiring;
  const features: ServiceFeature[] = [new MeshServerPort(wiring.callers)];
  const callees = wiring.services.filter(
    (s): s is CalledService => (spec.calls ?? []).includes(s.name) && s.port !== undefined,
  );
  if (callees.length > 0) {
    features.push(new ServiceCalls(callees, wiring.callers, wiring.mesh));
  }
  if (spec.database) {
    const role = identity.databaseRoles.role(spec.name);
    features.push(new DatabaseClient(identity.database, role, spec.database));
  }
  if (spec.userPools && spec.userPools.length > 0) {
    const pools = Object.fromEntries(
      spec.userPools.map((kind) => [kind, identity.userPools[kind]]),
    );
    features.push(new TokenValidation(pools, wiring.apiIdentifier));
  }
  if (spec.queue) {
    features.push(
      new QueueConsumer(
        spec.queue.source === 'own'
          ? {
              kind: 'own',
              config: spec.queue,
              removalPolicy: wiring.removalPolicy,
              alarmThresholds: wiring.alarmThresholds,
            }
          : {
              kind: 'existing',
              queue: identity.lifecycle.queue,
              deadLetterAlarm: identity.lifecycle.alarms.deadLetter,
            },
        spec.queue.messagesPerTask,
      ),
    );
  }
  return features;
}
