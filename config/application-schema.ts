import { z } from 'zod';
import {
  ApplicationConfig,
  EnvironmentConfig,
  MESH_KINDS,
  SERVICE_PROTOCOLS,
  ServiceConfig,
  TRACING_SIDECARS,
} from './environment-config';
import { list, logRetentionDays, reportDuplicates, wholeNumber } from './rules';

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

/**
 * Ports the sidecars listen on inside the task (awsvpc: one network
 * namespace): X-Ray/OTel UDP 2000, OTel OTLP 4317/4318 and health 13133,
 * Fluent Bit 2020/24224, Datadog 8125/8126, Envoy 9901/15000/15001.
 */
export const SIDECAR_PORTS: readonly number[] = [
  2000, 2020, 4317, 4318, 8125, 8126, 9901, 13133, 15000, 15001, 24224,
];

/** Environment variable names that must come from `secrets`, never from plain `environment`. */
export const SECRET_LOOKING_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH_PREFIX = /^\/$|^(\/[a-z0-9][a-z0-9._-]*)+$/;
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~\-/]*$/;

const secretReference = z.strictObject(
  {
    secretName: z
      .string()
      .regex(
        /^[A-Za-z0-9/_+=.@-]{1,512}$/,
        'is not a Secrets Manager secret name; allowed: letters, digits and /_+=.@-',
      ),
    jsonField: z
      .string()
      .min(1, 'is empty; name a key of the secret JSON or leave it out')
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'is a plain value; a secret must reference Secrets Manager: { secretName, jsonField? }'
        : undefined,
  },
);

const serviceSchema = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,31}$/,
        'is not a service name; allowed: 2-32 characters, lowercase letters, digits and "-", starting with a letter',
      ),
    pathPrefix: z
      .string()
      .regex(
        PATH_PREFIX,
        'is not a path prefix; allowed: "/" or "/segment[/segment...]" (lowercase, no trailing "/")',
      )
      .max(100, 'is longer than 100 characters')
      .optional(),
    port: wholeNumber(1024, 65535)
      .refine((port) => !SIDECAR_PORTS.includes(port), {
        message: `is used by a sidecar; not allowed: ${list(SIDECAR_PORTS)}`,
      })
      .optional(),
    protocol: z.enum(SERVICE_PROTOCOLS),
    healthCheckPath: z
      .string()
      .regex(HEALTH_CHECK_PATH, 'is not a URL path such as "/healthz"')
      .optional(),
    cpu: z.number().refine((cpu) => cpu in FARGATE_MEMORY_BY_CPU, {
      message: `is not a Fargate CPU value; allowed: ${list(Object.keys(FARGATE_MEMORY_BY_CPU))}`,
    }),
    memoryMiB: wholeNumber(512),
    desiredCount: wholeNumber(0, 1000),
    minCount: wholeNumber(1, 1000),
    maxCount: wholeNumber(1, 1000),
    environment: z.record(
      z.string().regex(ENV_VAR_NAME, 'is not an environment variable name'),
      z.string(),
    ),
    secrets: z.record(
      z.string().regex(ENV_VAR_NAME, 'is not an environment variable name'),
      secretReference,
    ),
    readonlyRootFilesystem: z.boolean(),
    queue: z
      .strictObject({
        visibilityTimeoutSeconds: wholeNumber(0, 43200),
        maxReceiveCount: wholeNumber(1, 1000),
        messagesPerTask: wholeNumber(1),
      })
      .optional(),
  })
  .superRefine((service, ctx) => serviceRules(service, ctx));

function serviceRules(service: ServiceConfig, ctx: z.RefinementCtx): void {
  const allowedMemory = FARGATE_MEMORY_BY_CPU[service.cpu];
  if (allowedMemory && !allowedMemory.includes(service.memoryMiB)) {
    ctx.addIssue({
      code: 'custom',
      path: ['memoryMiB'],
      message: `is not a Fargate memory size for cpu ${service.cpu}; allowed: ${list(allowedMemory)}`,
    });
  }
  if (service.minCount > service.maxCount) {
    ctx.addIssue({
      code: 'custom',
      path: ['minCount'],
      message: `is greater than maxCount (${service.maxCount}); allowed: 1-${service.maxCount}`,
    });
  } else if (service.desiredCount < service.minCount || service.desiredCount > service.maxCount) {
    ctx.addIssue({
      code: 'custom',
      path: ['desiredCount'],
      message: `is outside minCount-maxCount; allowed: ${service.minCount}-${service.maxCount}`,
    });
  }
  if (service.pathPrefix !== undefined) {
    for (const field of ['port', 'healthCheckPath'] as const) {
      if (service[field] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `is required because pathPrefix "${service.pathPrefix}" routes load-balancer traffic to the service`,
        });
      }
    }
  }
  for (const name of Object.keys(service.environment)) {
    if (SECRET_LOOKING_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['environment', name],
        message:
          'has a name that looks secret; deliver it through secrets (Secrets Manager), never as a plain value',
      });
    }
    if (name in service.secrets) {
      ctx.addIssue({
        code: 'custom',
        path: ['environment', name],
        message: 'is also defined in secrets; one variable, one source',
      });
    }
  }
}

/** Rules for the `application` section that need nothing outside it. */
export const applicationSchema = z
  .strictObject({
    mesh: z.enum(MESH_KINDS),
    tracing: z.enum(TRACING_SIDECARS),
    datadog: z
      .strictObject({
        site: z
          .string()
          .regex(
            /^([a-z0-9-]+\.)*datadoghq\.(com|eu)$|^ddog-gov\.com$/,
            'is not a Datadog site such as "datadoghq.com"',
          ),
        apiKeySecret: secretReference,
      })
      .optional(),
    fargateSpot: z.boolean(),
    certificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
        'is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
      )
      .optional(),
    logRetentionDays,
    accessLogExpirationDays: wholeNumber(1, 3650),
    deregistrationDelaySeconds: wholeNumber(0, 3600),
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
      const other = services.findIndex(
        (s, i) => i < index && s.pathPrefix !== undefined && s.pathPrefix === service.pathPrefix,
      );
      if (other >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'pathPrefix'],
          message: `is already routed to service "${services[other].name}"; allowed: a prefix no other service uses`,
        });
      }
      if (
        service.pathPrefix !== undefined &&
        service.protocol !== 'http' &&
        !application.certificateArn
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'protocol'],
          message:
            'needs certificateArn: the load balancer speaks HTTP/2 and gRPC to targets only behind an HTTPS listener',
        });
      }
    });
  });

/** Rules of the `application` section that depend on the environment around it. */
export function applicationEnvironmentRules(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const application: ApplicationConfig = env.application;
  const certificateRegion = application.certificateArn?.split(':')[3];
  if (certificateRegion && env.region && certificateRegion !== env.region) {
    ctx.addIssue({
      code: 'custom',
      path: ['application', 'certificateArn'],
      message: `is in ${certificateRegion}; the load balancer needs a certificate of its own region ${env.region}`,
    });
  }
  if (env.tier !== 'production') {
    return;
  }
  if (application.fargateSpot) {
    ctx.addIssue({
      code: 'custom',
      path: ['application', 'fargateSpot'],
      message:
        'is not allowed in production: Spot tasks can be stopped with two minutes notice; allowed: false',
    });
  }
  application.services.forEach((service, index) => {
    for (const field of ['minCount', 'desiredCount'] as const) {
      if (service[field] < 2) {
        ctx.addIssue({
          code: 'custom',
          path: ['application', 'services', index, field],
          message: 'is below 2, the minimum in production (one task per AZ survives an AZ failure)',
        });
      }
    }
  });
}
