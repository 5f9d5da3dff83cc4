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
 * How the security baseline of an account+region is provided.
 * - `create`: this app creates the GuardDuty detector, Security Hub and the CloudTrail trail.
 * - `adopt`: an organisation (delegated administrator, Control Tower) already manages them;
 *   this app creates none of them but still forwards GuardDuty findings and budget
 *   alerts to the environment's notifications topic.
 */
export const SECURITY_BASELINE_MODES = ['create', 'adopt'] as const;
export type SecurityBaselineMode = (typeof SECURITY_BASELINE_MODES)[number];

/**
 * How often GuardDuty exports updates of an existing finding (new findings are
 * exported within five minutes whatever the setting).
 * See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 */
export const FINDING_PUBLISHING_FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;
export type FindingPublishingFrequency = (typeof FINDING_PUBLISHING_FREQUENCIES)[number];

/**
 * GuardDuty severity levels, lowest first.
 * See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
 */
export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** An AWS Chatbot Slack channel that receives the notifications topic. */
export interface SlackChannelConfig {
  /**
   * The Slack workspace (team) ID authorised once in the AWS Chatbot console,
   * e.g. `T0123ABCD`: uppercase letters and digits.
   * See https://docs.aws.amazon.com/chatbot/latest/adminguide/slack-setup.html
   */
  readonly workspaceId: string;
  /** The channel ID (Slack: channel details, bottom), e.g. `C0123ABCD`: letters and digits. */
  readonly channelId: string;
}

/** A monthly cost budget of the account, alerting the notifications topic. */
export interface BudgetConfig {
  /** Monthly limit, in `currency`. Greater than 0. */
  readonly monthlyLimit: number;
  /** Currency of `monthlyLimit`: the account's billing currency, an ISO 4217 code such as `USD`. */
  readonly currency: string;
  /** Alert when actual cost reaches this percentage of `monthlyLimit`: 1-1000. */
  readonly alertThresholdPercent: number;
}

/** The account's CloudTrail trail. */
export interface CloudTrailConfig {
  /** Days the trail's CloudWatch Logs copy is kept: a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
  /**
   * Days the log files are kept in the S3 archive: 90-3653. Files move to
   * S3 Glacier Flexible Retrieval after 90 days.
   */
  readonly archiveRetentionDays: number;
}

/**
 * The account-wide security baseline. Read only when `ownsSecurityBaseline` is
 * true (and then required).
 */
export interface SecurityBaselineConfig {
  /** Create the baseline, or adopt one an organisation manages. One of {@link SECURITY_BASELINE_MODES}. */
  readonly mode: SecurityBaselineMode;
  /** One of {@link FINDING_PUBLISHING_FREQUENCIES}. */
  readonly findingPublishingFrequency: FindingPublishingFrequency;
  /** GuardDuty findings at or above this level go to the notifications topic. One of {@link FINDING_SEVERITIES}. */
  readonly minimumFindingSeverity: FindingSeverity;
  /**
   * Slack channel (AWS Chatbot) subscribed to the notifications topic.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannelConfig;
  /** The account's monthly cost budget. */
  readonly budget: BudgetConfig;
  /** The CloudTrail trail (mode `create` only). */
  readonly cloudTrail: CloudTrailConfig;
}

/** Who receives the environment's operational notifications (alarms, findings, budget). */
export interface NotificationsConfig {
  /**
   * E-mail addresses subscribed to the notifications topic; each recipient
   * confirms the subscription once. Each address at most once.
   * @default - no e-mail subscription
   */
  readonly emails?: readonly string[];
}

/**
 * How services find and call each other. `service-connect` (ECS Service
 * Connect, the default) is AWS's successor to App Mesh. `app-mesh` is the
 * reference of the original design (virtual gateway, routers, nodes, Envoy
 * sidecars): App Mesh reached end of support on 2026-09-30 and its console and
 * resources can no longer be accessed, so synth refuses it unless
 * `-c appMeshReference=true` asks for the reference (lib/app-mesh-reference.ts).
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect.html
 */
export const MESH_KINDS = ['service-connect', 'app-mesh'] as const;
export type MeshKind = (typeof MESH_KINDS)[number];

/**
 * The tracing sidecar in every task. Both accept the X-Ray daemon protocol on
 * UDP 2000, so applications need no change to switch. `otel` (the AWS Distro
 * for OpenTelemetry collector) is the choice of every shipped environment;
 * `xray-daemon` only as an explicit choice: it reaches end of support on
 * 2027-02-25 and synth warns about it.
 */
export const TRACING_SIDECARS = ['xray-daemon', 'otel'] as const;
export type TracingSidecar = (typeof TRACING_SIDECARS)[number];

/** What a service's container port speaks. Load balancer and mesh use the same. */
export const SERVICE_PROTOCOLS = ['http', 'http2', 'grpc'] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

/** A Secrets Manager secret of the environment's own account and region. */
export interface SecretReference {
  /** The secret's name, e.g. `dev/api/database` (letters, digits and `/_+=.@-`). */
  readonly secretName: string;
  /**
   * A key of the secret's JSON value to deliver instead of the whole value.
   * @default - the whole secret string
   */
  readonly jsonField?: string;
}

/** A queue the service consumes, created with a dead-letter queue. */
export interface ServiceQueueConfig {
  /** Seconds a received message stays invisible to other consumers: 0-43200. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue: 1-1000. */
  readonly maxReceiveCount: number;
  /** Scale out by one task per this many visible messages: 1 or more. */
  readonly messagesPerTask: number;
}

/** One ECS service of the platform. */
export interface ServiceConfig {
  /** 2-32 characters, lowercase letters, digits and `-`, starting with a letter. Unique. Also its Service Connect DNS name. */
  readonly name: string;
  /**
   * ALB path prefix: `/` or `/segment[/segment...]` without a trailing slash.
   * The ALB sends `<prefix>` and `<prefix>/*` to this service; the longest
   * prefix wins. Unique.
   * @default - no ingress from the load balancer
   */
  readonly pathPrefix?: string;
  /**
   * The container port: 1024-65535, not a port a sidecar uses. Required with `pathPrefix`.
   * @default - no port (a pure worker)
   */
  readonly port?: number;
  /** The protocol of `port`. `http2` and `grpc` behind the ALB need `certificateArn`. */
  readonly protocol: ServiceProtocol;
  /**
   * Path the load balancer's health check requests. Required with `pathPrefix`.
   * @default - no load balancer health check
   */
  readonly healthCheckPath?: string;
  /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Task memory in MiB, a Fargate combination with `cpu`. */
  readonly memoryMiB: number;
  /** Tasks after a deployment: between `minCount` and `maxCount`. */
  readonly desiredCount: number;
  /** Autoscaling lower bound: 1 or more (2 or more in production). */
  readonly minCount: number;
  /** Autoscaling upper bound: at least `minCount`. */
  readonly maxCount: number;
  /** Plain environment variables. Names that look secret (PASSWORD, TOKEN, ...) are rejected: use `secrets`. */
  readonly environment: Readonly<Record<string, string>>;
  /** Environment variables filled from Secrets Manager at task start (never plain values). */
  readonly secrets: Readonly<Record<string, SecretReference>>;
  /** Mount the app container's root filesystem read-only (it must write only to volumes). */
  readonly readonlyRootFilesystem: boolean;
  /**
   * An SQS queue (with DLQ) the service consumes and scales on.
   * @default - no queue
   */
  readonly queue?: ServiceQueueConfig;
  /**
   * Names of the services this one calls. With `app-mesh` these become the
   * virtual node's backends: Envoy (egress filter DROP_ALL) lets nothing else
   * through. Each must be another service with a port.
   * @default - calls no other service
   */
  readonly calls?: readonly string[];
}

/** The Datadog agent sidecar. */
export interface DatadogConfig {
  /** The Datadog site, e.g. `datadoghq.com`, `ap1.datadoghq.com`. */
  readonly site: string;
  /** The secret holding the Datadog API key. */
  readonly apiKeySecret: SecretReference;
}

/** ECS cluster, load balancer and services. */
export interface ApplicationConfig {
  /** Service-to-service networking. One of {@link MESH_KINDS}. */
  readonly mesh: MeshKind;
  /** The tracing sidecar. One of {@link TRACING_SIDECARS}. */
  readonly tracing: TracingSidecar;
  /**
   * Adds a Datadog agent to every task.
   * @default - no Datadog agent
   */
  readonly datadog?: DatadogConfig;
  /** Run part of the tasks on Fargate Spot (interruptible, cheaper). Not allowed in production. */
  readonly fargateSpot: boolean;
  /**
   * ACM certificate of the load balancer's HTTPS listener, in the environment's region.
   * @default - HTTP listener only (no TLS at the load balancer)
   */
  readonly certificateArn?: string;
  /** Retention of the service, log-router and ECS Exec logs in days (a CloudWatch Logs value). */
  readonly logRetentionDays: number;
  /** Days the load balancer's access logs are kept in S3: 1 or more. */
  readonly accessLogExpirationDays: number;
  /** Seconds the load balancer drains a deregistering task: 0-3600. */
  readonly deregistrationDelaySeconds: number;
  /** The services. At least one. */
  readonly services: readonly ServiceConfig[];
}

/**
 * CloudFront price classes: which edge locations serve viewers.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html
 */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClassName = (typeof PRICE_CLASSES)[number];

/**
 * Evaluation windows a WAF rate-based rule accepts, in seconds.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
export const RATE_LIMIT_WINDOWS_SECONDS = [60, 120, 300, 600] as const;

/** The viewer-facing domain of the distribution. */
export interface EdgeDomainConfig {
  /** Alternate domain names (CNAMEs) of the distribution, e.g. `app.example.com`. At least one, unique. */
  readonly names: readonly string[];
  /** ACM certificate covering every name. CloudFront only uses certificates of `us-east-1`. */
  readonly certificateArn: string;
}

/** The per-client-IP rate limit of the CloudFront web ACL. */
export interface RateLimitConfig {
  /** Requests one IP may send per window before it is blocked: 10 to 2,000,000,000. */
  readonly limit: number;
  /** The window in seconds: one of {@link RATE_LIMIT_WINDOWS_SECONDS}. */
  readonly windowSeconds: number;
}

/** Who may call the admin paths. Enforced by the CloudFront web ACL, which sees the real client IP. */
export interface AdminAllowListConfig {
  /**
   * Path prefixes of the admin surface (`/v1/api/admin`, the admin web path):
   * `/segment[/segment...]`, not `/`. At least one, unique.
   */
  readonly pathPrefixes: readonly string[];
  /**
   * IPv4 and IPv6 CIDRs (network addresses, `/1` or longer) allowed to call
   * `pathPrefixes`; everyone else gets 403. Empty blocks everyone (not
   * allowed in production). Unique.
   */
  readonly cidrs: readonly string[];
}

/** CloudFront in front of the load balancer and the two WAF web ACLs. */
export interface EdgeConfig {
  /**
   * Serve viewers on a custom domain. Required when `application.certificateArn`
   * is set: CloudFront then connects to the load balancer over HTTPS, forwarding
   * the viewer's Host header, which the load balancer's certificate must cover.
   * @default - the distribution's own `*.cloudfront.net` domain
   */
  readonly domain?: EdgeDomainConfig;
  /** One of {@link PRICE_CLASSES}. */
  readonly priceClass: PriceClassName;
  /**
   * ID of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`
   * in the environment's region (`pl-` and 8-17 hex digits): the only source the
   * load balancer's security group admits. Look it up once with
   * `aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`.
   */
  readonly originFacingPrefixListId: string;
  /** The per-IP rate-based rule. */
  readonly rateLimit: RateLimitConfig;
  /** The admin paths and who may call them. */
  readonly adminAllowList: AdminAllowListConfig;
  /** Retention of both web ACLs' logs in days (a CloudWatch Logs value). */
  readonly wafLogRetentionDays: number;
  /** Days CloudFront's access logs are kept in S3: 1 or more. */
  readonly accessLogExpirationDays: number;
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
   * environment per account+region may own it. The owner needs `securityBaseline`.
   */
  readonly ownsSecurityBaseline: boolean;
  /**
   * The security baseline's settings. Required when `ownsSecurityBaseline` is
   * true, not allowed otherwise.
   * @default - none (the environment does not own the baseline)
   */
  readonly securityBaseline?: SecurityBaselineConfig;
  /**
   * Subscribers of the environment's notifications topic.
   * @default - no subscribers besides the Slack channel of `securityBaseline`
   */
  readonly notifications?: NotificationsConfig;
  /** Removal policy of stateful resources. `destroy` is not allowed in production. */
  readonly removalPolicy: RemovalPolicyName;
  /** Tags on everything. The `Environment` tag is added from `name`. */
  readonly tags: TagsConfig;
  /** The VPC. */
  readonly network: NetworkConfig;
  /** ECS cluster, load balancer and services. */
  readonly application: ApplicationConfig;
  /** CloudFront, the web ACLs and the admin allow-list. Needs `region`. */
  readonly edge: EdgeConfig;
  /** Cognito user pools, clients and trigger Lambdas. */
  readonly identity: IdentityConfig;
  /** The PostgreSQL database the triggers (and later the services) use. */
  readonly database: DatabaseConfig;
}
