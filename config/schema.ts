import { z } from 'zod';
import { applicationSchema } from './application-schema';
import { edgeSchema } from './edge-schema';
import { ENVIRONMENT_TIERS, REMOVAL_POLICIES } from './environment-config';
import { environmentRules } from './environment-rules';
import { databaseSchema, identitySchema } from './identity-schema';
import { networkSchema } from './network-schema';
import { DeepReadonly, KNOWN_REGIONS, list, problem } from './rules';
import { operationsSchema } from './operations-schema';
import { secretsSchema } from './secrets-schema';
import { securityBaselineSchema } from './security-schema';
import { deriveSettings } from './tier-policy';

const tagValue = z
  .string()
  .min(1, 'is empty; a tag value needs 1-256 characters')
  .max(256, 'is longer than 256 characters, the tag value limit');

/** Tags applied to every taggable resource of the environment. */
const tagsSchema = z.strictObject({
  /** Value of the `Project` tag. 1-256 characters. */
  project: tagValue,
  /** Value of the `Owner` tag: the team or person accountable for the environment. 1-256 characters. */
  owner: tagValue,
  /**
   * Further tags (e.g. `CostCenter`). Keys 1-128 characters and not starting
   * with `aws:`; values up to 256 characters.
   * See https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
   * @default - no further tags
   */
  extra: z
    .record(z.string(), z.string().max(256, 'is longer than 256 characters, the tag value limit'))
    .superRefine((extra, ctx) => {
      for (const key of Object.keys(extra)) {
        if (key.length < 1 || key.length > 128) {
          problem(ctx, [key], 'has a key outside 1-128 characters, the tag key limit');
        } else if (key.toLowerCase().startsWith('aws:')) {
          problem(ctx, [key], 'has a key starting with "aws:", which is reserved for AWS tags');
        }
      }
    })
    .optional(),
});

/** The settings of one deployment environment (dev, stg, prod, ...), before validation. */
const environmentShape = z.strictObject({
  /**
   * Short name: 2-16 characters, lowercase letters, digits and hyphens,
   * starting with a letter. Used for the Stage id (`dev` -> `Dev`), the
   * `Environment` tag and the `/<name>/` SSM parameter path. Unique.
   */
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{1,15}$/,
      'is not an environment name; allowed: 2-16 characters, lowercase letters, digits and "-", starting with a letter',
    ),
  /** Which guardrails apply: one of `ENVIRONMENT_TIERS` (see `TIER_POLICIES`). */
  tier: z.enum(ENVIRONMENT_TIERS),
  /**
   * The 12-digit AWS account ID. Required in production.
   * @default - the account of the CLI's credentials (environment-agnostic stacks)
   */
  account: z
    .string()
    .regex(/^\d{12}$/, 'is not an AWS account ID; expected 12 digits')
    .optional(),
  /**
   * A known AWS region (e.g. `ap-northeast-1`). Required: the edge stack's
   * cross-region references need it.
   * @default - the region of the CLI's environment (environment-agnostic stacks)
   */
  region: z
    .string()
    .refine((region) => KNOWN_REGIONS.includes(region), {
      message: `is not a known AWS region; allowed: ${list(KNOWN_REGIONS)}`,
    })
    .optional(),
  /**
   * Whether this environment deploys the account-wide security baseline
   * (GuardDuty detector, Security Hub, CloudTrail) of its account+region.
   * GuardDuty allows one detector per account and region, so at most one
   * environment per account+region may own it. The owner needs `securityBaseline`.
   */
  ownsSecurityBaseline: z.boolean(),
  /**
   * The security baseline's settings. Required when `ownsSecurityBaseline` is
   * true, not allowed otherwise.
   * @default - none (the environment does not own the baseline)
   */
  securityBaseline: securityBaselineSchema.optional(),
  /**
   * Operations: the runbooks' location, who is told (e-mail, Slack) and the
   * alarm thresholds that differ from the tier's.
   */
  operations: operationsSchema,
  /** Removal policy of stateful resources: one of `REMOVAL_POLICIES`; `destroy` is not allowed in production. */
  removalPolicy: z.enum(REMOVAL_POLICIES),
  /** Tags on everything. The `Environment` tag is added from `name`. */
  tags: tagsSchema,
  /** The VPC. */
  network: networkSchema,
  /** ECS cluster, load balancer and services. */
  application: applicationSchema,
  /** CloudFront, the web ACLs and the admin allow-list. Needs `region`. */
  edge: edgeSchema,
  /** Cognito user pools, clients and trigger Lambdas. */
  identity: identitySchema,
  /** The PostgreSQL database of the triggers and the services. */
  database: databaseSchema,
  /**
   * Secrets of other systems the services read (API keys, tokens), by their
   * `/<env>/` registry name: services name them in `secrets`, the Datadog
   * agent in `application.datadog.apiKeySecret`.
   * @default - none
   */
  secrets: secretsSchema.optional(),
});

/** A parsed environment whose sections are valid, before the rules that span them. */
export type EnvironmentShape = z.output<typeof environmentShape>;

/**
 * Rules for one environment: each section's, then those that span sections
 * (`environment-rules.ts`); the result carries the {@link deriveSettings} too.
 */
export const environmentConfigSchema = environmentShape
  .superRefine(environmentRules)
  .transform((env) => ({ ...env, derived: deriveSettings(env) }));

/** What an environment file (`dev.ts`, ...) writes: checked by `satisfies EnvironmentSettings`. */
export type EnvironmentSettings = DeepReadonly<z.input<typeof environmentConfigSchema>>;
/** A validated environment, as lib reads it (typed values, derived settings). */
export type EnvironmentConfig = DeepReadonly<z.output<typeof environmentConfigSchema>>;

/** The VPC settings. */
export type NetworkConfig = EnvironmentConfig['network'];
/** DNS Firewall on the VPC. */
export type DnsFirewallConfig = NetworkConfig['dnsFirewall'];
/** Network Firewall in front of the NAT egress. */
export type NetworkFirewallConfig = NonNullable<NetworkConfig['networkFirewall']>;
/** The security baseline settings. */
export type SecurityBaselineConfig = NonNullable<EnvironmentConfig['securityBaseline']>;
/** The CloudTrail settings of the baseline. */
export type CloudTrailConfig = SecurityBaselineConfig['cloudTrail'];
/** The AWS Config settings of the baseline. */
export type AwsConfigSettings = SecurityBaselineConfig['awsConfig'];
/** The budget settings of the baseline. */
export type BudgetConfig = SecurityBaselineConfig['budget'];
/** Runbooks, notifications and alarm threshold overrides. */
export type OperationsConfig = EnvironmentConfig['operations'];
/** Who is told: e-mail addresses and an optional Slack channel. */
export type NotificationsConfig = OperationsConfig['notifications'];
/** A Slack channel of AWS Chatbot. */
export type SlackChannelConfig = NonNullable<NotificationsConfig['slack']>;
export type { AlarmThresholds } from './operations-schema';
/** ECS cluster, load balancer and services. */
export type ApplicationConfig = EnvironmentConfig['application'];
/** One service. */
export type ServiceConfig = ApplicationConfig['services'][number];
/** A service's queue: its own or the lifecycle events. */
export type ServiceQueueConfig = NonNullable<ServiceConfig['queue']>;
/** A queue of the service's own. */
export type OwnQueueConfig = Extract<ServiceQueueConfig, { source: 'own' }>;
/** A service's load-balancer route. */
export type RouteConfig = NonNullable<ServiceConfig['route']>;
/** A service the load balancer routes to: it has a route and a port. */
export type RoutedServiceConfig = ServiceConfig & {
  readonly route: RouteConfig;
  readonly port: number;
};
/** The Datadog agent settings. */
export type DatadogConfig = NonNullable<ApplicationConfig['datadog']>;
/** The environment's secrets of other systems, by registry name. */
export type ExternalSecretsConfig = NonNullable<EnvironmentConfig['secrets']>;
/** CloudFront and the web ACLs. */
export type EdgeConfig = EnvironmentConfig['edge'];
/** Shield Advanced protection of the distribution. */
export type ShieldAdvancedConfig = NonNullable<EdgeConfig['shieldAdvanced']>;
/** The identity settings. */
export type IdentityConfig = EnvironmentConfig['identity'];
/** The pools' mail through Amazon SES. */
export type MailConfig = NonNullable<IdentityConfig['mail']>;
/** One user pool's settings. */
export type UserPoolConfig = IdentityConfig['productPool'];
/** Token lifetimes. */
export type TokenValidityConfig = IdentityConfig['tokenValidity'];
/** The identity database. */
export type DatabaseConfig = EnvironmentConfig['database'];
/** A database the identity stack creates. */
export type ManagedDatabaseConfig = Extract<DatabaseConfig, { mode: 'managed' }>;
/** An existing database in a peered VPC. */
export type PeeredDatabaseConfig = Extract<DatabaseConfig, { mode: 'peered' }>;
/** What the environment's tier and services imply. */
export type { DerivedSettings } from './tier-policy';

/** Whether a service is behind the load balancer (has a route; validation ensures its port). */
export function isRouted(service: ServiceConfig): service is RoutedServiceConfig {
  return service.route !== undefined && service.port !== undefined;
}
