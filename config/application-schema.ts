import { z } from 'zod';
import { SERVICE_DATABASE_ACCESS } from '../db/roles';
import { USER_POOL_KINDS } from '../lambda/shared/trigger-contract';
import { SIDECAR_PORTS } from '../lib/constructs/service/sidecars/sidecar-ports';
import {
  CPU_ARCHITECTURES,
  MESH_KINDS,
  SERVICE_PROTOCOLS,
  TRACING_SIDECARS,
} from './environment-config';
import { gitHubRepositorySchema } from './github-schema';
import {
  ACM_CERTIFICATE_ARN,
  list,
  logRetentionDays,
  problem,
  REGISTRY_NAME,
  reportDuplicates,
  wholeNumber,
} from './rules';

/**
 * Memory (MiB) allowed for each Fargate task CPU value.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** Environment variable names that must come from `secrets`, never from plain `environment`. */
export const SECRET_LOOKING_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH_PREFIX = /^\/$|^(\/[a-z0-9][a-z0-9._-]*)+$/;
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~\-/]*$/;

/**
 * A secret by its name in the environment's `/<env>/` registry, e.g.
 * `datadog/api-key`: one the platform creates, or one of `secrets` (the
 * environment's secrets of other systems). Never a raw Secrets Manager name.
 */
export const registryNameSchema = z
  .string()
  .regex(
    REGISTRY_NAME,
    'is not a registry name; allowed: lowercase words separated by "-", nested with "/" (e.g. "datadog/api-key")',
  );

/** How the load balancer routes to a service: the path it owns and how it checks the service's health. */
const routeSchema = z.strictObject({
  /**
   * Path prefix: `/` or `/segment[/segment...]` without a trailing slash. The
   * load balancer sends `<prefix>` and `<prefix>/*` to this service; the
   * longest prefix wins. Unique across services.
   */
  pathPrefix: z
    .string()
    .regex(
      PATH_PREFIX,
      'is not a path prefix; allowed: "/" or "/segment[/segment...]" (lowercase, no trailing "/")',
    )
    .max(100, 'is longer than 100 characters'),
  /** Path the load balancer's health check requests on the service's port, e.g. `/healthz`. */
  healthCheckPath: z.string().regex(HEALTH_CHECK_PATH, 'is not a URL path such as "/healthz"'),
});

/** Scale out by one task per this many visible messages: 1 or more. */
const messagesPerTask = wholeNumber(1);

/** A queue the service consumes: its own (with a dead-letter queue), or the identity stack's lifecycle events. */
const serviceQueueSchema = z.discriminatedUnion('source', [
  z.strictObject({
    /** Discriminator: a queue of the service's own, created with a dead-letter queue. */
    source: z.literal('own'),
    /** Seconds a received message stays invisible to other consumers: 0-43200. */
    visibilityTimeoutSeconds: wholeNumber(0, 43200),
    /** Receives before a message moves to the dead-letter queue: 1-1000. */
    maxReceiveCount: wholeNumber(1, 1000),
    /** Scale out by one task per this many visible messages: 1 or more. */
    messagesPerTask,
  }),
  z.strictObject({
    /**
     * Discriminator: the user and company lifecycle events of the identity
     * stack (SNS -> SQS with a dead-letter queue, seed 002). One service at
     * most consumes them.
     */
    source: z.literal('lifecycle-events'),
    /** Scale out by one task per this many visible messages: 1 or more. */
    messagesPerTask,
  }),
]);

/** A task's network interface carries at most 5 security groups: its own and one per called service. */
export const MAX_CALLS = 4;

/** One ECS service of the platform: routed (it has a `route`) or a worker (it has none). */
const serviceSchema = z
  .strictObject({
    /**
     * 2-32 characters, lowercase letters, digits and `-`, starting with a
     * letter. Unique. Also its Service Connect DNS name.
     */
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,31}$/,
        'is not a service name; allowed: 2-32 characters, lowercase letters, digits and "-", starting with a letter',
      ),
    /**
     * The GitHub repository that builds and publishes the service's image.
     * Its workflows on `main` (and nothing else) may push to the service's
     * ECR repository through the service's push role, with the reusable
     * workflow `.github/workflows/publish-service.yml` (see the README,
     * "Releasing a service").
     */
    github: gitHubRepositorySchema,
    /**
     * Load-balancer traffic to this service. Needs `port`.
     * @default - no ingress from the load balancer (a worker, or a service only others call)
     */
    route: routeSchema.optional(),
    /**
     * The container port: 1024-65535, not a port a sidecar uses. Required with `route`.
     * @default - no port (a pure worker)
     */
    port: wholeNumber(1024, 65535)
      .refine((port) => !SIDECAR_PORTS.includes(port), {
        message: `is used by a sidecar; not allowed: ${list(SIDECAR_PORTS)}`,
      })
      .optional(),
    /** The protocol of `port`: one of `SERVICE_PROTOCOLS`. `http2` and `grpc` behind the load balancer need its HTTPS listener. */
    protocol: z.enum(SERVICE_PROTOCOLS),
    /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
    cpu: z.number().refine((cpu) => cpu in FARGATE_MEMORY_BY_CPU, {
      message: `is not a Fargate CPU value; allowed: ${list(Object.keys(FARGATE_MEMORY_BY_CPU))}`,
    }),
    /** Task memory in MiB, a Fargate combination with `cpu`. */
    memoryMiB: wholeNumber(512),
    /**
     * The tasks' CPU architecture: one of `CPU_ARCHITECTURES`. `x86_64` only
     * for an image without an ARM64 build.
     * @default 'arm64' (Graviton, 20% cheaper; every sidecar image is multi-arch)
     */
    cpuArchitecture: z.enum(CPU_ARCHITECTURES).default('arm64'),
    /**
     * Run this service's tasks beyond its one on-demand task on Fargate Spot,
     * whatever `application.fargateSpot` says. A worker (no `route`) may in
     * any tier: an interrupted task's messages stay in its queue and are
     * received again; a routed service only where the tier allows Spot.
     * @default - `application.fargateSpot`
     */
    fargateSpot: z.boolean().optional(),
    /**
     * ECS Exec into this service's tasks (`aws ecs execute-command`), whatever
     * `application.ecsExec` says: on, the service is tagged for the operators'
     * `<env>-ecs-exec-access` policy and its task role may open the session
     * channels; off, neither. Sessions are logged to the cluster's encrypted
     * exec log group.
     * @default - `application.ecsExec`
     */
    ecsExec: z.boolean().optional(),
    /** Tasks after a deployment: between `minCount` and `maxCount`. */
    desiredCount: wholeNumber(0, 1000),
    /** Autoscaling lower bound: 1 or more (2 or more in production). */
    minCount: wholeNumber(1, 1000),
    /** Autoscaling upper bound: at least `minCount`. */
    maxCount: wholeNumber(1, 1000),
    /** Plain environment variables. Names that look secret (PASSWORD, TOKEN, ...) are rejected: use `secrets`. */
    environment: z.record(
      z.string().regex(ENV_VAR_NAME, 'is not an environment variable name'),
      z.string(),
    ),
    /**
     * Environment variables filled from Secrets Manager at task start, by
     * registry name (`{ DATADOG_API_KEY: 'datadog/api-key' }`); each name must
     * be one of the environment's `secrets`. The execution role may read
     * exactly these secrets.
     */
    secrets: z.record(
      z.string().regex(ENV_VAR_NAME, 'is not an environment variable name'),
      registryNameSchema,
    ),
    /**
     * The service's access to the identity database: one of
     * `SERVICE_DATABASE_ACCESS`. The service gets a database role of its own
     * (`/<env>/database/<name>`), its credentials as container secrets
     * (`DB_USERNAME`, `DB_PASSWORD`), `DB_HOST` (the reader endpoint for
     * `read-only`), `DB_PORT`, `DB_NAME`, and the database's port in its
     * security group.
     * @default - no database access, and no network path to the database
     */
    database: z.enum(SERVICE_DATABASE_ACCESS).optional(),
    /**
     * The user pools whose tokens the service validates (`USER_POOL_KINDS`,
     * each once): it gets, per pool, the issuer, JWKS URL and client ID, and
     * the resource server's identifier and scopes, as plain environment.
     * @default - validates no tokens
     */
    userPools: z
      .array(z.enum(USER_POOL_KINDS))
      .superRefine((pools, ctx) => reportDuplicates(pools, ctx, []))
      .optional(),
    /** Mount the app container's root filesystem read-only (it must write only to volumes). */
    readonlyRootFilesystem: z.boolean(),
    /**
     * Names of the services this one calls, at most `MAX_CALLS`: each admits
     * on its port only the services that declare a call to it, and the caller
     * gets `<NAME>_URL`. With `app-mesh` these also become the virtual node's
     * backends (egress filter DROP_ALL). Each must be another service with a port.
     * @default - calls no other service, and reaches none
     */
    calls: z
      .array(z.string())
      .max(
        MAX_CALLS,
        `has more than ${MAX_CALLS} services; a task carries at most 5 security groups (its own and one per called service)`,
      )
      .optional(),
    /**
     * An SQS queue the service consumes and scales on: its own or the lifecycle events.
     * It gets `QUEUE_URL` and permission to consume that queue only.
     * @default - no queue
     */
    queue: serviceQueueSchema.optional(),
  })
  .superRefine((service, ctx) => {
    const allowedMemory = FARGATE_MEMORY_BY_CPU[service.cpu];
    if (allowedMemory && !allowedMemory.includes(service.memoryMiB)) {
      problem(
        ctx,
        ['memoryMiB'],
        `is not a Fargate memory size for cpu ${service.cpu}; allowed: ${list(allowedMemory)}`,
      );
    }
    if (service.minCount > service.maxCount) {
      problem(
        ctx,
        ['minCount'],
        `is greater than maxCount (${service.maxCount}); allowed: 1-${service.maxCount}`,
      );
    } else if (service.desiredCount < service.minCount || service.desiredCount > service.maxCount) {
      problem(
        ctx,
        ['desiredCount'],
        `is outside minCount-maxCount; allowed: ${service.minCount}-${service.maxCount}`,
      );
    }
    if (service.route !== undefined && service.port === undefined) {
      problem(
        ctx,
        ['port'],
        `is required because route.pathPrefix "${service.route.pathPrefix}" routes load-balancer traffic to the service`,
      );
    }
    for (const name of Object.keys(service.environment)) {
      if (SECRET_LOOKING_NAME.test(name)) {
        problem(
          ctx,
          ['environment', name],
          'has a name that looks secret; deliver it through secrets (Secrets Manager), never as a plain value',
        );
      }
      if (name in service.secrets) {
        problem(ctx, ['environment', name], 'is also defined in secrets; one variable, one source');
      }
    }
  });

/** The Datadog agent sidecar. */
const datadogSchema = z.strictObject({
  /** The Datadog site, e.g. `datadoghq.com`, `ap1.datadoghq.com`. */
  site: z
    .string()
    .regex(
      /^([a-z0-9-]+\.)*datadoghq\.(com|eu)$|^ddog-gov\.com$/,
      'is not a Datadog site such as "datadoghq.com"',
    ),
  /** The registry name of the secret holding the Datadog API key, one of the environment's `secrets`. */
  apiKeySecret: registryNameSchema,
});

/** ECS cluster, load balancer and services. */
export const applicationSchema = z
  .strictObject({
    /** Service-to-service networking: one of `MESH_KINDS`. */
    mesh: z.enum(MESH_KINDS),
    /** The tracing sidecar: one of `TRACING_SIDECARS`. */
    tracing: z.enum(TRACING_SIDECARS),
    /**
     * Adds a Datadog agent to every task.
     * @default - no Datadog agent
     */
    datadog: datadogSchema.optional(),
    /** Run part of the tasks on Fargate Spot (interruptible, cheaper). Not allowed in production. */
    fargateSpot: z.boolean(),
    /**
     * ECS Exec into the tasks of every service (and of the App Mesh virtual
     * gateway), unless a service's own `ecsExec` says otherwise: a shell in a
     * running container for debugging, logged to the cluster's encrypted exec
     * log group, open only to whoever holds the `<env>-ecs-exec-access`
     * policy, and only in tasks tagged for it. Production may switch it on
     * here, for an incident, and off again.
     * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
     * @default - the tier's (`TIER_POLICIES[tier].ecsExec`): off in production, on elsewhere
     */
    ecsExec: z.boolean().optional(),
    /**
     * ACM certificate of the load balancer's HTTPS listener, in the environment's
     * region, covering `edge.domain.names`. Not with `edge.hostedZone`, which
     * issues it.
     * @default - issued in `edge.hostedZone` when set; otherwise an HTTP listener,
     *   reached only through CloudFront's VPC origin inside AWS's network
     */
    certificateArn: z
      .string()
      .regex(
        ACM_CERTIFICATE_ARN,
        'is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
      )
      .optional(),
    /** Retention of the service, log-router and ECS Exec logs in days (a CloudWatch Logs value). */
    logRetentionDays,
    /** Days the load balancer's access logs are kept in S3: 1-3650. */
    accessLogExpirationDays: wholeNumber(1, 3650),
    /** Seconds the load balancer drains a deregistering task: 0-3600. */
    deregistrationDelaySeconds: wholeNumber(0, 3600),
    /** The services, in stack order (append new ones: see `SERVICES_PER_STACK`). At least one. */
    services: z.array(serviceSchema).min(1, 'is empty; allowed: one or more services'),
  })
  .superRefine((application, ctx) => {
    const { services } = application;
    reportDuplicates(
      services.map((s) => s.name),
      ctx,
      ['services'],
      'is used by another service; names must be unique',
      ['name'],
    );
    services.forEach((service, index) => {
      const at = (...path: PropertyKey[]) => ['services', index, ...path];
      const prefix = service.route?.pathPrefix;
      const other = services.findIndex(
        (s, i) => i < index && prefix !== undefined && s.route?.pathPrefix === prefix,
      );
      if (other >= 0) {
        problem(
          ctx,
          at('route', 'pathPrefix'),
          `is already routed to service "${services[other].name}"; allowed: a prefix no other service uses`,
        );
      }
      if (application.mesh === 'app-mesh' && service.route && service.protocol !== 'http') {
        problem(
          ctx,
          at('protocol'),
          "is not routable through the App Mesh virtual gateway, whose listener speaks HTTP/1.1; allowed with mesh 'app-mesh': http",
        );
      }
      (service.calls ?? []).forEach((callee, callIndex) => {
        const target = services.find((s) => s.name === callee);
        const callable = services
          .filter((s) => s.port !== undefined && s.name !== service.name)
          .map((s) => s.name);
        const reason =
          callee === service.name
            ? 'is the service itself; a service reaches itself without the mesh'
            : !target
              ? `is not a service; allowed: ${callable.length > 0 ? list(callable) : 'none (no other service has a port)'}`
              : target.port === undefined
                ? 'has no port, so nothing can call it'
                : undefined;
        if (reason) {
          problem(ctx, at('calls', callIndex), reason);
        }
      });
    });
  });
