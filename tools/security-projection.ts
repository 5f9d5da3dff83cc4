import * as fs from 'fs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { diffLinesUnified } from 'jest-diff';
import { stringify } from 'yaml';
import { maskAssetHashes } from './asset-hash';

/**
 * The security projection: what a security reviewer reads in synthesized
 * templates (network rules, IAM, public exposure, encryption, logging and
 * retention, identity settings, TLS), keyed by construct path, with volatile
 * values (asset hashes, the hash suffixes of logical IDs) masked and every
 * list in a stable order. It is generic over resource types: a new stack's
 * resources appear as soon as their type is listed in {@link SECURITY_PROPERTIES}.
 * Used by the snapshot tests and by `npm run security-report`.
 */

/** A CloudFormation template, as far as the projection reads it. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

/** A resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** One synthesized stack. */
export interface StackTemplate {
  /** The stack's place in the app, e.g. `Prod/Network` or `GitHubOidc-222222222222`. */
  readonly stack: string;
  /** The CloudFormation stack name (e.g. `Prod-Network`), for `Fn::GetStackOutput`. */
  readonly stackName?: string;
  /** Its region (`unknown-region` when it takes the CLI's). */
  readonly region?: string;
  readonly template: CfnTemplate;
  /** Construct path (relative to the stack, without `/Resource`) of each logical ID. */
  readonly paths: ReadonlyMap<string, string>;
}

/** Projected resources by key, per stack. */
export type SecurityProjection = Record<string, Record<string, Record<string, unknown>>>;

type Projector = (properties: Record<string, unknown>) => Record<string, unknown>;

/** Every property of the resource. */
const ALL: Projector = (properties) => properties;

/** The named properties, those that are set. */
const pick =
  (...names: string[]): Projector =>
  (properties) =>
    Object.fromEntries(
      names
        .filter((name) => properties[name] !== undefined)
        .map((name) => [name, properties[name]]),
    );

/** The value at `path` inside `value`, or undefined where a step is missing. */
export const get = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      current !== null && typeof current === 'object'
        ? (current as Record<string | number, unknown>)[key]
        : undefined,
    value,
  );

const asList = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value as Record<string, unknown>[]) : [];

/** Containers: what they may read (secrets), the names of their plain variables, their privileges. */
const taskDefinition: Projector = (properties) => ({
  ...pick('TaskRoleArn', 'ExecutionRoleArn', 'NetworkMode', 'PidMode', 'IpcMode')(properties),
  Containers: Object.fromEntries(
    asList(properties.ContainerDefinitions).map((container) => [
      String(container.Name),
      {
        ...pick(
          'Secrets',
          'ReadonlyRootFilesystem',
          'Privileged',
          'User',
          'LinuxParameters',
          'PortMappings',
        )(container),
        EnvironmentNames: asList(container.Environment).map((variable) => variable.Name),
      },
    ]),
  ),
});

/** Only the distribution settings that decide exposure, TLS, WAF and logging. */
const distribution: Projector = (properties) => {
  const config = (properties.DistributionConfig ?? {}) as Record<string, unknown>;
  const behaviour = pick(
    'PathPattern',
    'ViewerProtocolPolicy',
    'AllowedMethods',
    'FunctionAssociations',
    'LambdaFunctionAssociations',
    'ResponseHeadersPolicyId',
    'CachePolicyId',
    'OriginRequestPolicyId',
    'TrustedKeyGroups',
  );
  return {
    ...pick(
      'WebACLId',
      'ViewerCertificate',
      'Logging',
      'HttpVersion',
      'Aliases',
      'Enabled',
    )(config),
    DefaultCacheBehavior: behaviour((config.DefaultCacheBehavior ?? {}) as Record<string, unknown>),
    CacheBehaviors: asList(config.CacheBehaviors).map(behaviour),
    Origins: asList(config.Origins).map(
      pick(
        'Id',
        'DomainName',
        'CustomOriginConfig',
        'S3OriginConfig',
        'OriginAccessControlId',
        'VpcOriginConfig',
      ),
    ),
  };
};

/** Function settings without code or variable values. */
const lambdaFunction: Projector = (properties) => ({
  ...pick(
    'Role',
    'Runtime',
    'VpcConfig',
    'KmsKeyArn',
    'LoggingConfig',
    'ReservedConcurrentExecutions',
  )(properties),
  EnvironmentNames: Object.keys((get(properties, 'Environment', 'Variables') ?? {}) as object),
});

/**
 * What the projection keeps of each resource type. A type ending in `::*`
 * covers its whole service. Types not listed are left out.
 */
export const SECURITY_PROPERTIES: Readonly<Record<string, Projector>> = {
  // Network access
  'AWS::EC2::SecurityGroup': pick(
    'GroupDescription',
    'SecurityGroupIngress',
    'SecurityGroupEgress',
  ),
  'AWS::EC2::SecurityGroupIngress': ALL,
  'AWS::EC2::SecurityGroupEgress': ALL,
  'AWS::EC2::NetworkAclEntry': ALL,
  'AWS::EC2::Subnet': pick('MapPublicIpOnLaunch', 'AssignIpv6AddressOnCreation'),
  'AWS::EC2::VPCEndpoint': pick(
    'ServiceName',
    'VpcEndpointType',
    'PolicyDocument',
    'PrivateDnsEnabled',
    'SecurityGroupIds',
  ),
  'AWS::EC2::VPCPeeringConnection': pick('PeerVpcId', 'PeerOwnerId', 'PeerRegion', 'PeerRoleArn'),
  'AWS::EC2::FlowLog': pick(
    'TrafficType',
    'LogDestinationType',
    'LogDestination',
    'LogGroupName',
    'DeliverLogsPermissionArn',
  ),
  // Identity and access
  'AWS::IAM::Role': pick(
    'AssumeRolePolicyDocument',
    'ManagedPolicyArns',
    'Policies',
    'PermissionsBoundary',
    'MaxSessionDuration',
  ),
  'AWS::IAM::Policy': pick('PolicyDocument', 'Roles', 'Users', 'Groups'),
  'AWS::IAM::ManagedPolicy': pick('PolicyDocument', 'Roles', 'Users', 'Groups'),
  'AWS::IAM::OIDCProvider': ALL,
  'AWS::IAM::User': pick('ManagedPolicyArns', 'Policies', 'PermissionsBoundary', 'LoginProfile'),
  'AWS::IAM::AccessKey': ALL,
  'AWS::Lambda::Permission': ALL,
  'AWS::Lambda::Url': ALL,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Cognito::UserPool': pick(
    'Policies',
    'MfaConfiguration',
    'EnabledMfas',
    'UserPoolAddOns',
    'AccountRecoverySetting',
    'AdminCreateUserConfig',
    'DeletionProtection',
    'UsernameConfiguration',
    'UsernameAttributes',
    'AliasAttributes',
    'AutoVerifiedAttributes',
    'LambdaConfig',
    'UserPoolTier',
  ),
  'AWS::Cognito::UserPoolClient': pick(
    'GenerateSecret',
    'ExplicitAuthFlows',
    'AllowedOAuthFlows',
    'AllowedOAuthFlowsUserPoolClient',
    'AllowedOAuthScopes',
    'CallbackURLs',
    'LogoutURLs',
    'SupportedIdentityProviders',
    'PreventUserExistenceErrors',
    'EnableTokenRevocation',
    'AccessTokenValidity',
    'IdTokenValidity',
    'RefreshTokenValidity',
    'RefreshTokenRotation',
    'AuthSessionValidity',
    'TokenValidityUnits',
    'ReadAttributes',
    'WriteAttributes',
  ),
  'AWS::Cognito::UserPoolDomain': pick('Domain', 'CustomDomainConfig', 'ManagedLoginVersion'),
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': ALL,
  'AWS::Cognito::IdentityPool': ALL,
  'AWS::Cognito::IdentityPoolRoleAttachment': ALL,
  // Public exposure and TLS
  'AWS::ElasticLoadBalancingV2::LoadBalancer': pick(
    'Scheme',
    'Type',
    'IpAddressType',
    'SecurityGroups',
    'LoadBalancerAttributes',
  ),
  'AWS::ElasticLoadBalancingV2::Listener': pick(
    'Port',
    'Protocol',
    'SslPolicy',
    'Certificates',
    'DefaultActions',
    'MutualAuthentication',
    'ListenerAttributes',
  ),
  'AWS::ElasticLoadBalancingV2::ListenerRule': pick('Priority', 'Conditions', 'Actions'),
  'AWS::ElasticLoadBalancingV2::TargetGroup': pick('Protocol', 'ProtocolVersion', 'Port'),
  'AWS::WAFv2::*': ALL,
  'AWS::CloudFront::Distribution': distribution,
  'AWS::CloudFront::OriginAccessControl': ALL,
  'AWS::CloudFront::ResponseHeadersPolicy': ALL,
  // What reaches the origin (headers, cookies, the Authorization key) and how.
  'AWS::CloudFront::OriginRequestPolicy': ALL,
  'AWS::CloudFront::CachePolicy': ALL,
  'AWS::CloudFront::VpcOrigin': pick('VpcOriginEndpointConfig'),
  'AWS::CertificateManager::Certificate': pick(
    'DomainName',
    'SubjectAlternativeNames',
    'ValidationMethod',
    'CertificateTransparencyLoggingPreference',
  ),
  'AWS::ECS::Service': pick('NetworkConfiguration', 'EnableExecuteCommand', 'LoadBalancers'),
  // Encryption, data and secrets
  'AWS::KMS::Key': pick(
    'EnableKeyRotation',
    'KeyPolicy',
    'KeySpec',
    'KeyUsage',
    'PendingWindowInDays',
    'MultiRegion',
  ),
  'AWS::S3::Bucket': pick(
    'BucketEncryption',
    'PublicAccessBlockConfiguration',
    'VersioningConfiguration',
    'LoggingConfiguration',
    'OwnershipControls',
    'ObjectLockConfiguration',
    'AccessControl',
    'LifecycleConfiguration',
  ),
  'AWS::S3::BucketPolicy': ALL,
  'AWS::SQS::Queue': pick(
    'KmsMasterKeyId',
    'SqsManagedSseEnabled',
    'MessageRetentionPeriod',
    'RedrivePolicy',
  ),
  'AWS::SQS::QueuePolicy': ALL,
  'AWS::SNS::Topic': pick('KmsMasterKeyId', 'TopicName', 'DeliveryStatusLogging'),
  'AWS::SNS::TopicPolicy': ALL,
  'AWS::SNS::Subscription': pick(
    'Protocol',
    'Endpoint',
    'TopicArn',
    'RawMessageDelivery',
    'RedrivePolicy',
  ),
  // Where notifications and events go, and what people may do from chat
  'AWS::CloudWatch::Alarm': pick('AlarmActions', 'OKActions', 'InsufficientDataActions'),
  'AWS::CloudWatch::CompositeAlarm': pick('AlarmActions', 'OKActions', 'InsufficientDataActions'),
  'AWS::Events::Rule': pick('EventBusName', 'Targets'),
  'AWS::Chatbot::SlackChannelConfiguration': pick(
    'SlackWorkspaceId',
    'SlackChannelId',
    'IamRoleArn',
    'GuardrailPolicies',
    'UserRoleRequired',
    'SnsTopicArns',
  ),
  'AWS::SecretsManager::Secret': pick('Name', 'KmsKeyId', 'ReplicaRegions'),
  'AWS::SecretsManager::ResourcePolicy': ALL,
  'AWS::SecretsManager::RotationSchedule': pick(
    'RotationRules',
    'RotationLambdaARN',
    'HostedRotationLambda',
  ),
  'AWS::SSM::Parameter': pick('Name', 'Type', 'Tier'),
  'AWS::RDS::DBCluster': pick(
    'StorageEncrypted',
    'KmsKeyId',
    'DeletionProtection',
    'IAMDatabaseAuthenticationEnabled',
    'EnableCloudwatchLogsExports',
    'BackupRetentionPeriod',
    'VpcSecurityGroupIds',
    'ManageMasterUserPassword',
    'MasterUserSecret',
    'PerformanceInsightsEnabled',
    'PerformanceInsightsKmsKeyId',
  ),
  'AWS::RDS::DBInstance': pick(
    'PubliclyAccessible',
    'StorageEncrypted',
    'KmsKeyId',
    'DeletionProtection',
    'EnableIAMDatabaseAuthentication',
    'EnablePerformanceInsights',
    'PerformanceInsightsKMSKeyId',
    'VPCSecurityGroups',
    'AutoMinorVersionUpgrade',
    'EnableCloudwatchLogsExports',
  ),
  'AWS::RDS::DBClusterParameterGroup': pick('Parameters'),
  'AWS::RDS::DBParameterGroup': pick('Parameters'),
  'AWS::RDS::DBProxy': pick('RequireTLS', 'Auth', 'VpcSecurityGroupIds'),
  'AWS::ECR::Repository': pick(
    'ImageTagMutability',
    'ImageScanningConfiguration',
    'EncryptionConfiguration',
    'RepositoryPolicyText',
  ),
  'AWS::ECS::Cluster': pick('Configuration', 'ClusterSettings'),
  'AWS::ECS::TaskDefinition': taskDefinition,
  // Logging, retention and detection
  'AWS::Logs::LogGroup': pick(
    'RetentionInDays',
    'KmsKeyId',
    'LogGroupClass',
    'DataProtectionPolicy',
  ),
  'AWS::Logs::ResourcePolicy': ALL,
  'AWS::CloudTrail::Trail': pick(
    'IsLogging',
    'IsMultiRegionTrail',
    'IncludeGlobalServiceEvents',
    'EnableLogFileValidation',
    'KMSKeyId',
    'S3BucketName',
    'CloudWatchLogsLogGroupArn',
    'EventSelectors',
  ),
  'AWS::GuardDuty::*': ALL,
  'AWS::SecurityHub::*': ALL,
  'AWS::Config::*': ALL,
  'AWS::AccessAnalyzer::*': ALL,
};

function projectorOf(type: string): Projector | undefined {
  return SECURITY_PROPERTIES[type] ?? SECURITY_PROPERTIES[type.replace(/::[^:]+$/, '::*')];
}

/** The 8-hex suffix the CDK appends to logical IDs (and to construct ids built from them). */
const LOGICAL_ID_HASH = /\b([A-Za-z][A-Za-z0-9]*?)[0-9A-F]{8}\b/g;

/** Hash-like runs inside an identifier (export names embed logical IDs): used only for unresolved imports. */
const EMBEDDED_HASH = /([a-z])[0-9A-F]{8}/g;

/** Masks asset hashes and strips logical-ID hash suffixes from a string. */
export function maskVolatile(value: string): string {
  return maskAssetHashes(value).replace(LOGICAL_ID_HASH, '$1');
}

/** Turns intrinsic functions into readable `${construct/path}` strings. */
class Renderer {
  constructor(
    private readonly paths: ReadonlyMap<string, string>,
    private readonly exports: ReadonlyMap<string, string>,
  ) {}

  private ref(logicalId: string, attribute?: string): string {
    const target = logicalId.startsWith('AWS::')
      ? logicalId
      : (this.paths.get(logicalId) ?? maskVolatile(logicalId));
    return `\${${target}${attribute ? `.${attribute}` : ''}}`;
  }

  render(value: unknown): unknown {
    if (typeof value === 'string') {
      return maskVolatile(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.render(item));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[fn, arg]] = entries;
      const rendered = this.intrinsic(fn, arg);
      if (rendered !== undefined) {
        return rendered;
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.render(item)]));
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : undefined;
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
        return typeof id === 'string' ? this.ref(id, String(attribute)) : undefined;
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        const rendered = (Array.isArray(parts) ? parts : []).map((part) => this.render(part));
        return rendered.every((part) => typeof part === 'string')
          ? rendered.join(separator)
          : undefined;
      }
      case 'Fn::Sub': {
        const template = Array.isArray(arg) ? arg[0] : arg;
        return typeof template === 'string'
          ? maskVolatile(
              template.replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) => {
                const [id, attribute] = name.split(/\.(.*)/);
                return this.ref(id, attribute);
              }),
            )
          : undefined;
      }
      case 'Fn::GetStackOutput': {
        // Weak cross-stack references: { StackName, OutputName, Region? }.
        const { StackName, OutputName } = (arg ?? {}) as Record<string, unknown>;
        const key = `${String(this.render(StackName))}|${String(OutputName)}`;
        return (
          this.exports.get(key) ??
          `\${output:${String(this.render(StackName))}.${String(OutputName).replace(EMBEDDED_HASH, '$1')}}`
        );
      }
      case 'Fn::ImportValue': {
        const name = this.render(arg);
        return typeof name === 'string'
          ? (this.exports.get(name) ?? `\${import:${name.replace(EMBEDDED_HASH, '$1')}}`)
          : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** A stable order for any list: by priority, Sid or name when there is one, else by content. */
function sortKey(item: unknown): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const record = item as Record<string, unknown>;
    for (const key of ['Priority', 'Sid', 'Name']) {
      if (typeof record[key] === 'number') {
        return `${key}:${String(record[key]).padStart(10, '0')}`;
      }
      if (typeof record[key] === 'string') {
        return `${key}:${record[key]}`;
      }
    }
  }
  return JSON.stringify(item);
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(ordered)
      .map((item) => [sortKey(item), item] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, ordered((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * `${stack:path.attribute}` of every output value, by export name (for
 * `Fn::ImportValue`) and by `<stack name>|<output name>` (for `Fn::GetStackOutput`).
 */
function exportsOf(stacks: readonly StackTemplate[]): Map<string, string> {
  const exports = new Map<string, string>();
  for (const { stack, stackName, template, paths } of stacks) {
    const renderer = new Renderer(paths, new Map());
    for (const [outputName, output] of Object.entries(template.Outputs ?? {})) {
      const name = renderer.render(output.Export?.Name);
      const value = renderer.render(output.Value);
      if (typeof value !== 'string') {
        continue;
      }
      const qualified = value.replace(/^\$\{/, `\${${stack}:`);
      if (typeof name === 'string') {
        exports.set(name, qualified);
      }
      exports.set(`${stackName ?? stack}|${outputName}`, qualified);
    }
  }
  return exports;
}

/** Projects every stack onto its security settings. */
export function projectSecurity(stacks: readonly StackTemplate[]): SecurityProjection {
  const exports = exportsOf(stacks);
  const projection: SecurityProjection = {};
  for (const { stack, template, paths } of [...stacks].sort((a, b) =>
    a.stack.localeCompare(b.stack),
  )) {
    const renderer = new Renderer(paths, exports);
    const resources: Record<string, Record<string, unknown>> = {};
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const projector = projectorOf(resource.Type);
      if (!projector) {
        continue;
      }
      const base = `${maskVolatile(paths.get(logicalId) ?? logicalId)} (${resource.Type})`;
      let key = base;
      for (let n = 2; key in resources; n++) {
        key = `${base} #${n}`;
      }
      resources[key] = ordered(renderer.render(projector(resource.Properties ?? {}))) as Record<
        string,
        unknown
      >;
    }
    projection[stack] = Object.fromEntries(
      Object.keys(resources)
        .sort()
        .map((key) => [key, resources[key]]),
    );
  }
  return projection;
}

/** The projection as YAML: one line per setting, so a diff reads line by line. */
export function renderProjection(projection: SecurityProjection): string {
  return stringify(projection, {
    lineWidth: 0,
    sortMapEntries: false,
    aliasDuplicateObjects: false,
  });
}

/** Every stack of a cloud assembly and of its nested (stage) assemblies. */
export function stackTemplatesOf(assembly: CloudAssembly): StackTemplate[] {
  const own = assembly.stacks.map((artifact) => {
    const prefix = `/${artifact.hierarchicalId}/`;
    const paths = new Map<string, string>();
    for (const entry of artifact.findMetadataByType('aws:cdk:logicalId')) {
      const relative = entry.path.startsWith(prefix) ? entry.path.slice(prefix.length) : entry.path;
      paths.set(String(entry.data), relative.replace(/\/(Resource|Default)$/, ''));
    }
    return {
      stack: artifact.hierarchicalId,
      stackName: artifact.stackName,
      region: artifact.environment.region,
      template: artifact.template as CfnTemplate,
      paths,
    };
  });
  return [
    ...own,
    ...assembly.nestedAssemblies.flatMap((nested) => stackTemplatesOf(nested.nestedAssembly)),
  ];
}

/** Every stack of the cloud assembly in `directory` (a `cdk synth` output). */
export function readStackTemplates(directory: string): StackTemplate[] {
  return stackTemplatesOf(new CloudAssembly(directory));
}

/**
 * The stacks of the `cdk synth` output in `directory`, of one stage when
 * `stage` is given; fails with the command to run when it is no assembly.
 */
export function readAssemblyStacks(directory: string, stage?: string): StackTemplate[] {
  if (!fs.existsSync(`${directory}/manifest.json`)) {
    throw new Error(
      `${directory}: not a cloud assembly (no manifest.json); run npx cdk synth -o ${directory}`,
    );
  }
  const stacks = readStackTemplates(directory);
  return stage === undefined ? stacks : stacksOfStage(stacks, stage);
}

/** The stacks of one stage (`Prod/...`), or those outside any stage (`''`). */
export function stacksOfStage(stacks: readonly StackTemplate[], stage: string): StackTemplate[] {
  return stacks.filter((s) =>
    stage === '' ? !s.stack.includes('/') : s.stack.startsWith(`${stage}/`),
  );
}

const identity = (text: string) => text;

/**
 * A unified diff of two projections (empty when they are equal), in plain
 * text: `-` lines are the base's, `+` lines the head's.
 */
export function diffProjections(base: SecurityProjection, head: SecurityProjection): string {
  const before = renderProjection(base);
  const after = renderProjection(head);
  if (before === after) {
    return '';
  }
  const headLines = after.split('\n');
  const diff = diffLinesUnified(before.split('\n'), headLines, {
    aAnnotation: 'base',
    bAnnotation: 'head',
    aColor: identity,
    bColor: identity,
    changeColor: identity,
    commonColor: identity,
    patchColor: identity,
    expand: false,
    contextLines: 3,
    includeChangeCounts: true,
  });
  // Names the stack and resource of every hunk, like git's function context.
  return diff.replace(/^@@ -\d+,\d+ \+(\d+),\d+ @@$/gm, (header, start: string) => {
    const above = headLines.slice(0, Number(start) + 2).reverse();
    const stack = above.find((line) => /^\S/.test(line));
    const resource = above.find((line) => /^ {2}\S/.test(line));
    return `${header} ${[stack, resource?.trim()].filter(Boolean).join(' ').replace(/:$/, '')}`;
  });
}
