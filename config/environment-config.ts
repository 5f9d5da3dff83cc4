/**
 * The settings of one deployment environment (dev, stg, prod, ...).
 *
 * This file is the documentation of the configuration: every field says what it
 * controls and what is allowed. `schema.ts` enforces the same rules at synth
 * time, and `validate.ts` adds the rules that span several fields or several
 * environments. Later slices add sections (services, mesh, identity, edge) as
 * new optional-or-defaulted members of {@link EnvironmentConfig}, each with its
 * own interface, so existing environment files keep compiling.
 */

/**
 * How an environment is treated by the guardrails.
 *
 * `production` turns on the strict rules: 3+ AZs, one NAT gateway per AZ, no
 * `destroy` removal policy, an explicit account and region.
 */
export const ENVIRONMENT_TIERS = ['development', 'staging', 'production'] as const;
export type EnvironmentTier = (typeof ENVIRONMENT_TIERS)[number];

/**
 * What happens to stateful resources (databases, log archives, keys) when they
 * are removed from the app or their stack is deleted.
 * See https://docs.aws.amazon.com/cdk/v2/guide/resources.html#resources_removal
 */
export const REMOVAL_POLICIES = ['destroy', 'retain', 'snapshot'] as const;
export type RemovalPolicyName = (typeof REMOVAL_POLICIES)[number];

/**
 * Interface VPC endpoints the network stack can create, by the service's
 * endpoint suffix (`com.amazonaws.<region>.<name>`).
 * See https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
 *
 * `guardduty-data` is only for GuardDuty Runtime Monitoring with a manually
 * managed agent: with automated agent configuration GuardDuty creates that
 * endpoint itself (https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring-agent-connectivity.html).
 */
export const INTERFACE_ENDPOINT_NAMES = [
  'ecr.api',
  'ecr.dkr',
  'logs',
  'secretsmanager',
  'ssm',
  'ssmmessages',
  'xray',
  'sts',
  'kms',
  'guardduty-data',
] as const;
export type InterfaceEndpointName = (typeof INTERFACE_ENDPOINT_NAMES)[number];

/** Tags applied to every taggable resource of the environment. */
export interface TagsConfig {
  /** Value of the `Project` tag. 1-256 characters. */
  readonly project: string;
  /** Value of the `Owner` tag: the team or person accountable for the environment. 1-256 characters. */
  readonly owner: string;
  /**
   * Further tags (e.g. `CostCenter`). Keys 1-128 characters and not starting
   * with `aws:`; values up to 256 characters.
   * @default - no further tags
   */
  readonly extra?: Readonly<Record<string, string>>;
}

/** Netmask (prefix length) of each subnet tier, per AZ. */
export interface SubnetMasksConfig {
  /** Public subnets (ALB, NAT gateways). 16-28. */
  readonly public: number;
  /** Private subnets with egress through NAT (ECS tasks, Lambdas). 16-28. */
  readonly privateWithEgress: number;
  /** Isolated subnets without internet route (databases). 16-28. */
  readonly isolated: number;
}

/** The environment's VPC. */
export interface NetworkConfig {
  /**
   * IPv4 CIDR of the VPC: a network address with a prefix length from /16 to
   * /28 (the VPC limits). Must not overlap another environment's VPC, so that
   * environments and the database VPC can be peered later.
   */
  readonly vpcCidr: string;
  /** How many Availability Zones the subnets span: 2-6 (3+ in production). */
  readonly azCount: number;
  /**
   * Pin the AZ names (e.g. `ap-northeast-1a`). Needs `region`; exactly
   * `azCount` distinct names of that region.
   * @default - the first `azCount` AZs of the region, resolved at deploy time
   *   with `Fn::GetAZs` (no context lookup, so synth stays offline)
   */
  readonly availabilityZones?: readonly string[];
  /**
   * NAT gateways: 1 to `azCount`. One keeps development cheap; production needs
   * one per AZ so an AZ failure does not cut the other AZs' egress.
   */
  readonly natGateways: number;
  /** Prefix length of each subnet tier. All tiers in all AZs must fit in `vpcCidr`. */
  readonly subnetMasks: SubnetMasksConfig;
  /** Interface endpoints to create, each at most once. The S3 gateway endpoint is always created. */
  readonly interfaceEndpoints: readonly InterfaceEndpointName[];
  /** Retention of the VPC flow logs in days: one of the CloudWatch Logs retention values (1, 3, 5, 7, 14, 30, ... 3653). */
  readonly flowLogRetentionDays: number;
}

/**
 * How users of a pool sign in: with their email address, their login ID (the
 * Cognito user name, unique per pool, normalised at sign-up), or either.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases
 */
export const SIGN_IN_METHODS = ['email', 'login-id', 'email-or-login-id'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/**
 * Cognito threat protection (feature plan Plus): `full-function` blocks risky
 * sign-ins and compromised credentials, `audit-only` only records them.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
 */
export const THREAT_PROTECTION_MODES = ['full-function', 'audit-only'] as const;
export type ThreatProtectionMode = (typeof THREAT_PROTECTION_MODES)[number];

/** One Cognito user pool and its app client. */
export interface UserPoolConfig {
  /** How users sign in. One of {@link SIGN_IN_METHODS}. */
  readonly signIn: SignInMethod;
  /**
   * Prefix of the pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`):
   * 1-63 lowercase letters, digits and hyphens, not starting or ending with a
   * hyphen, without `aws`, `amazon` or `cognito`. Unique per region, so it
   * names the environment.
   */
  readonly domainPrefix: string;
  /**
   * Where the app client may send users after sign-in: `https://` URLs, an app's
   * own scheme (`myapp://callback`, mobile), or `http://localhost` outside
   * production. At least one, each once.
   */
  readonly callbackUrls: readonly string[];
  /** Where the app client may send users after sign-out. Same rules as {@link callbackUrls}. */
  readonly logoutUrls: readonly string[];
}

/** Lifetime of the tokens Cognito issues to the app clients. */
export interface TokenValidityConfig {
  /** ID token, in minutes: 5-1440. */
  readonly idTokenMinutes: number;
  /** Access token, in minutes: 5-1440. */
  readonly accessTokenMinutes: number;
  /** Refresh token, in days: 1-3650; longer than the ID and access tokens. */
  readonly refreshTokenDays: number;
}

/** Cognito user pools, split by product access, and their trigger Lambdas. */
export interface IdentityConfig {
  /** The pool of the product's end users (mobile app). MFA optional. */
  readonly productPool: UserPoolConfig;
  /** The pool of this admin service's operators (internal staff, resellers; admin web). MFA required. */
  readonly consolePool: UserPoolConfig;
  /** Threat protection of both pools. `full-function` in production. */
  readonly threatProtection: ThreatProtectionMode;
  /** Token lifetimes of every app client. */
  readonly tokenValidity: TokenValidityConfig;
  /**
   * Identifier of the resource server (the APIs) whose scopes the clients ask
   * for: an `https://` URL, e.g. `https://api.example.com`.
   */
  readonly apiIdentifier: string;
  /** Retention of the trigger Lambdas' logs in days: a CloudWatch Logs retention value. */
  readonly triggerLogRetentionDays: number;
}

/**
 * A database this stack creates: Aurora PostgreSQL Serverless v2 in the
 * isolated subnets, encrypted, with a rotated secret, IAM auth and TLS required.
 */
export interface ManagedDatabaseConfig {
  /** Discriminator: the stack creates the database. */
  readonly mode: 'managed';
  /** Minimum capacity in Aurora capacity units: 0-256 in steps of 0.5 (0 pauses when idle). */
  readonly minCapacity: number;
  /** Maximum capacity in ACUs: 1-256 in steps of 0.5, at least `minCapacity`. */
  readonly maxCapacity: number;
  /** Reader instances beside the writer: 0-15; at least 1 in production, so a failover has a target. */
  readonly readers: number;
  /** Days of automated backups: 1-35. */
  readonly backupRetentionDays: number;
  /** Days between automatic rotations of the database secret: 1-365. */
  readonly secretRotationDays: number;
}

/**
 * An existing database in another VPC (seed 000: the RDS lives in a separate
 * VPC), reached through a VPC peering connection this stack creates. The peer
 * VPC must be in the same account and region.
 */
export interface PeeredDatabaseConfig {
  /** Discriminator: the database exists; the stack peers with its VPC. */
  readonly mode: 'peered';
  /** The database VPC's ID: `vpc-` and 8 or 17 hex digits. */
  readonly vpcId: string;
  /** The database VPC's IPv4 CIDR; must not overlap this environment's VPC. */
  readonly vpcCidr: string;
  /** The database VPC's route tables that get the route back to this VPC: `rtb-` IDs, at least one. */
  readonly routeTableIds: readonly string[];
  /** The database's security group, which gets ingress from the triggers only: an `sg-` ID. */
  readonly securityGroupId: string;
  /** The database's host name, e.g. `db.cluster-abc.ap-northeast-1.rds.amazonaws.com`. */
  readonly endpoint: string;
  /** The database's port: 1150-65535 (the range RDS allows). */
  readonly port: number;
  /** The name of the database (schema owner) the triggers use. 1-63 characters, a letter first. */
  readonly databaseName: string;
  /**
   * Full ARN (with the 6-character suffix) of the Secrets Manager secret with
   * `username` and `password`, in this environment's account and region.
   */
  readonly secretArn: string;
}

/** The identity database: created here or existing in a peered VPC. */
export type DatabaseConfig = ManagedDatabaseConfig | PeeredDatabaseConfig;

/** Everything that differs between environments. */
export interface EnvironmentConfig {
  /**
   * Short name: 2-16 characters, lowercase letters, digits and hyphens,
   * starting with a letter. Used for the Stage id (`dev` -> `Dev`), the
   * `Environment` tag and the `/<name>/` SSM parameter path. Unique.
   */
  readonly name: string;
  /** Which guardrails apply. One of {@link ENVIRONMENT_TIERS}. */
  readonly tier: EnvironmentTier;
  /**
   * The 12-digit AWS account ID. Required in production.
   * @default - the account of the CLI's credentials (environment-agnostic stacks)
   */
  readonly account?: string;
  /**
   * A known AWS region (e.g. `ap-northeast-1`). Required in production.
   * @default - the region of the CLI's environment (environment-agnostic stacks)
   */
  readonly region?: string;
  /**
   * Whether this environment deploys the account-wide security baseline
   * (GuardDuty detector, Security Hub, CloudTrail) of its account+region.
   * GuardDuty allows one detector per account and region, so at most one
   * environment per account+region may own it.
   */
  readonly ownsSecurityBaseline: boolean;
  /** Removal policy of stateful resources. `destroy` is not allowed in production. */
  readonly removalPolicy: RemovalPolicyName;
  /** Tags on everything. The `Environment` tag is added from `name`. */
  readonly tags: TagsConfig;
  /** The VPC. */
  readonly network: NetworkConfig;
  /** Cognito user pools, clients and trigger Lambdas. */
  readonly identity: IdentityConfig;
  /** The PostgreSQL database the triggers (and later the services) use. */
  readonly database: DatabaseConfig;
}
