/**
 * The fixed vocabularies of the configuration: each allowed value, once, with
 * what it means. The shape of the configuration (every setting, its range and
 * its documentation) is the zod schema in `schema.ts` and the section schemas
 * beside it; the TypeScript types are inferred from those.
 */

/**
 * How an environment is treated by the guardrails.
 *
 * `production` turns on the strict rules: 3+ AZs, one NAT gateway per AZ, no
 * `destroy` removal policy, an explicit account and region (see `tier-policy.ts`).
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
  'sns',
  'guardduty-data',
] as const;
export type InterfaceEndpointName = (typeof INTERFACE_ENDPOINT_NAMES)[number];

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

/**
 * The CPU architecture of a service's tasks. `arm64` (AWS Graviton) is the
 * default: Fargate charges 20% less for it per vCPU-hour and per GB-hour
 * (ap-northeast-1: $0.04045 vs $0.05056 and $0.00442 vs $0.00553, checked
 * 2026-12-02, tools/cost/price-table.ts), the publish workflow builds every
 * service image for `linux/amd64` and `linux/arm64`, and every sidecar image
 * is multi-arch: AWS for Fluent Bit since 2.10
 * (https://github.com/aws/aws-for-fluent-bit/issues/44), the ADOT collector
 * on ECR Public since v0.16.0
 * (https://github.com/aws-observability/aws-otel-collector/issues/274), the
 * X-Ray daemon since 3.2.0 (https://github.com/aws/aws-xray-daemon/issues/68),
 * the Datadog agent (https://docs.datadoghq.com/integrations/ecs_fargate/),
 * Envoy of App Mesh (reference only) and Alpine (Docker official image).
 * `x86_64` is the override for a service whose image has no ARM64 build.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html
 */
export const CPU_ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type CpuArchitectureName = (typeof CPU_ARCHITECTURES)[number];

/** What a service's container port speaks. Load balancer and mesh use the same. */
export const SERVICE_PROTOCOLS = ['http', 'http2', 'grpc'] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

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

/**
 * S3 Object Lock retention modes: in `COMPLIANCE` mode nobody, the account's
 * root user included, can delete a locked object version or shorten its
 * retention before it ends; in `GOVERNANCE` mode a principal allowed
 * `s3:BypassGovernanceRetention` can.
 * See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes
 */
export const OBJECT_LOCK_MODES = ['COMPLIANCE', 'GOVERNANCE'] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];
