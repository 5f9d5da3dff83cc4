import { CfnResource, CfnTemplate, get } from '../security-projection';
import { HOURS_PER_MONTH, Price, PricedDimension } from './price-table';

/**
 * How each CloudFormation resource type the platform synthesizes is priced:
 * a {@link Pricer} for the types that cost money while idle, a description
 * for the types billed only by use (listed in the report, not in the total),
 * and the types that are free. A type in none of the three is "not priced"
 * in the report, and a test fails until it is classified.
 */

/** A priced part of one resource: what it is, how many, and the dimension(s) of one unit. */
export interface PricedPart {
  /** What is priced, e.g. `Fargate tasks`. */
  readonly item: string;
  /** What sets the unit price, e.g. `0.25 vCPU, 0.5 GB, ARM64`. */
  readonly detail?: string;
  /** How many units the resource has (tasks, AZs, rules, ...). */
  readonly count: number;
  /** The dimensions of one unit and their quantity (e.g. 0.25 vCPU-hours per hour). */
  readonly dimensions: readonly {
    readonly dimension: PricedDimension;
    readonly quantity: number;
  }[];
  /** A note for the reader, e.g. why a count is zero. */
  readonly note?: string;
  /** Why the table cannot price this part (the report lists it as not priced). */
  readonly unpriced?: string;
}

/** What a pricer may look at: the resource's template. */
export interface PricingContext {
  readonly template: CfnTemplate;
}

/** The priced parts of one resource. */
export type Pricer = (resource: CfnResource, context: PricingContext) => PricedPart[];

const props = (resource: CfnResource | undefined): Record<string, unknown> =>
  resource?.Properties ?? {};

/** The resource a `{ Ref }` or `{ Fn::GetAtt }` in the same template points to. */
function referenced(value: unknown, context: PricingContext): CfnResource | undefined {
  const id = get(value, 'Ref') ?? get(value, 'Fn::GetAtt', 0);
  return typeof id === 'string' ? context.template.Resources?.[id] : undefined;
}

const asNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

const unpriced = (item: string, reason: string): PricedPart => ({
  item,
  count: 1,
  dimensions: [],
  unpriced: reason,
});

const one = (item: string, dimension: PricedDimension, count = 1): PricedPart[] => [
  { item, count, dimensions: [{ dimension, quantity: 1 }] },
];

/** How many of `desired` tasks run on each capacity provider of the strategy. */
export function tasksByCapacityProvider(
  desired: number,
  strategy: readonly { CapacityProvider?: unknown; Base?: unknown; Weight?: unknown }[],
): Map<string, number> {
  const result = new Map<string, number>();
  let left = desired;
  for (const item of strategy) {
    const base = Math.min(left, asNumber(item.Base) ?? 0);
    result.set(String(item.CapacityProvider), base);
    left -= base;
  }
  const weights = strategy.map((item) => asNumber(item.Weight) ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  // ECS places the tasks beyond the bases in the ratio of the weights; the
  // remainder of the division goes to the providers in order.
  let placed = 0;
  strategy.forEach((item, index) => {
    const share = total === 0 ? 0 : Math.floor((left * weights[index]) / total);
    placed += share;
    result.set(
      String(item.CapacityProvider),
      (result.get(String(item.CapacityProvider)) ?? 0) + share,
    );
  });
  for (const item of strategy) {
    if (placed >= left) {
      break;
    }
    result.set(String(item.CapacityProvider), (result.get(String(item.CapacityProvider)) ?? 0) + 1);
    placed += 1;
  }
  return result;
}

/**
 * A Fargate service: its desired count (zero in bootstrap mode) of tasks of
 * its task definition's size and architecture. Tasks on Fargate Spot are
 * priced at the on-demand rate, an upper bound: Spot has no list price (it
 * moves with spare capacity, up to 70% below on-demand).
 * See https://aws.amazon.com/fargate/pricing/
 */
const fargateService: Pricer = (resource, context) => {
  const task = props(referenced(props(resource).TaskDefinition, context));
  const vcpu = (asNumber(task.Cpu) ?? 0) / 1024;
  const gb = (asNumber(task.Memory) ?? 0) / 1024;
  const arm = get(task, 'RuntimePlatform', 'CpuArchitecture') === 'ARM64';
  const desired = asNumber(props(resource).DesiredCount) ?? 1;
  const strategy = props(resource).CapacityProviderStrategy;
  const byProvider = Array.isArray(strategy)
    ? tasksByCapacityProvider(desired, strategy as Record<string, unknown>[])
    : new Map([['FARGATE', desired]]);
  const size = `${vcpu} vCPU, ${gb} GB, ${arm ? 'ARM64' : 'X86_64'}`;
  const dimensions = [
    { dimension: arm ? 'fargateArmVcpuHour' : 'fargateX86VcpuHour', quantity: vcpu },
    { dimension: arm ? 'fargateArmGbHour' : 'fargateX86GbHour', quantity: gb },
  ] as const;
  const spot = byProvider.get('FARGATE_SPOT') ?? 0;
  const parts: PricedPart[] = [
    {
      item: 'Fargate tasks',
      detail: size,
      count: byProvider.get('FARGATE') ?? 0,
      dimensions,
      note: desired === 0 ? 'bootstrap: no image released yet' : undefined,
    },
  ];
  if (spot > 0) {
    parts.push({
      item: 'Fargate Spot tasks',
      detail: size,
      count: spot,
      dimensions,
      note: 'at the on-demand rate (upper bound)',
    });
  }
  return parts;
};

/**
 * An Aurora Serverless v2 instance costs its cluster's minimum capacity while
 * idle; at 0 ACU it pauses and costs nothing but storage. Enhanced monitoring
 * is billed as the CloudWatch Logs its samples are ingested to (RDSOSMetrics).
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
 * and https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.overview.html
 */
const databaseInstance: Pricer = (resource, context) => {
  const cluster = props(referenced(props(resource).DBClusterIdentifier, context));
  const minimum = asNumber(get(cluster, 'ServerlessV2ScalingConfiguration', 'MinCapacity')) ?? 0;
  const instanceClass = String(props(resource).DBInstanceClass);
  const monitoringSeconds = asNumber(props(resource).MonitoringInterval) ?? 0;
  if (instanceClass !== 'db.serverless') {
    return [unpriced(`DB instance ${instanceClass}`, 'the table prices Aurora Serverless v2 only')];
  }
  return [
    {
      item: 'Aurora Serverless v2 instance at its minimum capacity',
      detail: `${minimum} ACU`,
      count: 1,
      dimensions: [{ dimension: 'auroraServerlessV2AcuHour', quantity: minimum }],
      note:
        [
          minimum === 0 ? 'pauses when idle' : undefined,
          monitoringSeconds > 0
            ? `enhanced monitoring every ${monitoringSeconds} s (CloudWatch Logs ingestion: usage)`
            : undefined,
        ]
          .filter((part) => part !== undefined)
          .join('; ') || undefined,
    },
  ];
};

/**
 * Alarm metrics: one per metric an alarm (or its metric math) reads, three
 * for an anomaly-detection alarm (the metric and the two bounds of its band).
 * See https://aws.amazon.com/cloudwatch/pricing/
 */
const alarm: Pricer = (resource) => {
  const p = props(resource);
  const metrics = Array.isArray(p.Metrics)
    ? (p.Metrics as Record<string, unknown>[]).filter((m) => m.MetricStat !== undefined).length
    : 1;
  const anomalyBand = p.ThresholdMetricId !== undefined;
  return [
    {
      item: anomalyBand ? 'alarm metrics (anomaly detection)' : 'alarm metrics',
      count: anomalyBand ? metrics * 3 : metrics,
      dimensions: [{ dimension: 'alarmMetricMonth', quantity: 1 }],
    },
  ];
};

/** A web ACL and each of its rules (a rule group counts as one rule). */
const webAcl: Pricer = (resource) => [
  ...one('web ACL', 'webAclMonth'),
  ...one('web ACL rules', 'webAclRuleMonth', lengthOf(props(resource).Rules)),
];

/** An interface endpoint costs per AZ (one network interface per subnet); a gateway endpoint is free. */
const vpcEndpoint: Pricer = (resource) =>
  props(resource).VpcEndpointType === 'Interface'
    ? one(
        'interface endpoint (per AZ)',
        'interfaceEndpointAzHour',
        lengthOf(props(resource).SubnetIds),
      )
    : [];

/**
 * A Network Firewall costs per endpoint-hour, one endpoint per subnet mapping
 * (AZ), plus its traffic per GB (usage). The table has the us-east-1 rate
 * only; in a region without a verified rate the report lists the firewall as
 * not priced rather than guess.
 * See https://aws.amazon.com/network-firewall/pricing/
 */
const networkFirewall: Pricer = (resource) =>
  one(
    'Network Firewall endpoint (per AZ; GB processed are usage)',
    'networkFirewallEndpointHour',
    lengthOf(props(resource).SubnetMappings),
  );

/** The types that cost money while idle. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::ECS::Service': fargateService,
  'AWS::RDS::DBInstance': databaseInstance,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::WAFv2::WebACL': webAcl,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::NetworkFirewall::Firewall': networkFirewall,
  'AWS::EC2::NatGateway': () => one('NAT gateway', 'natGatewayHour'),
  // An Elastic IP is a public IPv4 address (the NAT gateway's).
  'AWS::EC2::EIP': () => one('public IPv4 address', 'publicIpv4Hour'),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (resource) =>
    (props(resource).Type ?? 'application') === 'application'
      ? one('application load balancer (hours; LCUs are usage)', 'applicationLoadBalancerHour')
      : [unpriced(`${String(props(resource).Type)} load balancer`, 'the table prices ALBs only')],
  'AWS::KMS::Key': () => one('KMS key', 'kmsKeyMonth'),
  'AWS::SecretsManager::Secret': () => one('secret', 'secretMonth'),
  'AWS::CloudWatch::Dashboard': () => one('dashboard', 'dashboardMonth'),
  'AWS::Route53::HostedZone': () => one('hosted zone', 'hostedZoneMonth'),
  // A private DNS namespace is a private hosted zone (App Mesh reference design).
  // See https://docs.aws.amazon.com/cloud-map/latest/dg/working-with-namespaces.html
  'AWS::ServiceDiscovery::PrivateDnsNamespace': () =>
    one('hosted zone (of a Cloud Map namespace)', 'hostedZoneMonth'),
  // Each metric transformation publishes a custom metric.
  'AWS::Logs::MetricFilter': (resource) =>
    one('custom metrics', 'customMetricMonth', lengthOf(props(resource).MetricTransformations)),
};

/** The types billed only by use: what the bill counts. */
export const USAGE_BASED: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': 'requests and GB-seconds',
  'Custom::Trigger': 'a Lambda invocation per deployment',
  'Custom::VpcRestrictDefaultSG': 'a Lambda invocation per deployment',
  'Custom::CloudFrontVpcOriginSecurityGroup': 'a Lambda invocation per deployment',
  'Custom::MacieAutomatedDiscovery':
    'a Lambda invocation per deployment (the discovery itself is billed by Macie: objects monitored and GB sampled)',
  'AWS::Logs::LogGroup': 'GB ingested and stored',
  'AWS::EC2::FlowLog': 'GB of flow records delivered to CloudWatch Logs',
  'AWS::SQS::Queue': 'requests',
  'AWS::SNS::Topic': 'requests and deliveries',
  'AWS::S3::Bucket': 'GB stored and requests',
  'AWS::ECR::Repository': 'GB of images stored',
  'AWS::Events::Rule': 'events (AWS service events to a target are free)',
  'AWS::Cognito::UserPool': 'monthly active users of its feature plan',
  'AWS::CloudFront::Distribution': 'requests and GB transferred',
  'AWS::CloudTrail::Trail': 'the first trail of management events is free; data events by count',
  'AWS::GuardDuty::Detector': 'events, logs and runtime coverage analysed',
  'AWS::SecurityHub::Hub': 'security checks and findings ingested',
  'AWS::SecurityHub::Standard': 'security checks',
  'AWS::Budgets::Budget': 'the first two budgets of an account are free',
  'AWS::ServiceDiscovery::HttpNamespace': 'Cloud Map registered instances and lookups',
  'AWS::ServiceDiscovery::Service': 'Cloud Map registered instances and lookups',
  'AWS::RDS::DBCluster': 'GB stored, I/O requests and backups beyond the cluster size',
  'AWS::WAFv2::LoggingConfiguration': 'GB of logs delivered',
  'AWS::SSM::Parameter': 'standard parameters are free; API calls by count',
  'AWS::Route53::RecordSet': 'queries (alias queries to CloudFront are free)',
  // Types of the hardening and security-services work (AWS Backup, AWS Config,
  // DNS Firewall, Macie, SES), classified ahead of their merge.
  'AWS::Backup::BackupVault': 'GB of backups stored',
  'AWS::Config::ConfigurationRecorder': 'configuration items recorded',
  'AWS::Config::ConfigRule': 'rule evaluations',
  'AWS::Route53Resolver::FirewallRuleGroup': 'domains in its lists and queries inspected',
  'AWS::Route53Resolver::FirewallDomainList': 'domains in the list',
  'AWS::Route53Resolver::ResolverQueryLoggingConfig': 'GB of query logs delivered',
  'AWS::Macie::Session': 'S3 buckets monitored and bytes inspected',
  'AWS::SES::EmailIdentity': 'messages sent',
  'AWS::SES::ConfigurationSet': 'messages sent',
  'AWS::NetworkFirewall::LoggingConfiguration': 'GB of alert and flow logs delivered',
};

/** The types that cost nothing themselves (their traffic is priced on what carries it). */
export const FREE: readonly string[] = [
  'AWS::CDK::Metadata',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::OIDCProvider',
  'Custom::AWSCDKOpenIdConnectProvider',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::ECS::Cluster',
  'AWS::ECS::ClusterCapacityProviderAssociations',
  'AWS::ECS::TaskDefinition',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::S3::BucketPolicy',
  'AWS::SecretsManager::RotationSchedule',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::ListenerCertificate',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::IPSet',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::OriginRequestPolicy',
  'AWS::CloudFront::ResponseHeadersPolicy',
  // A VPC origin costs nothing beyond CloudFront's own requests and transfer.
  // See https://aws.amazon.com/cloudfront/pricing/
  'AWS::CloudFront::VpcOrigin',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBClusterParameterGroup',
  // Public certificates of ACM are free. See https://aws.amazon.com/certificate-manager/pricing/
  'AWS::CertificateManager::Certificate',
  'AWS::Chatbot::SlackChannelConfiguration',
  'AWS::KMS::Alias',
  'AWS::Logs::ResourcePolicy',
  // App Mesh had no charge of its own (its Envoy tasks are priced as tasks); reference design only.
  'AWS::AppMesh::Mesh',
  'AWS::AppMesh::VirtualGateway',
  'AWS::AppMesh::GatewayRoute',
  'AWS::AppMesh::VirtualService',
  'AWS::AppMesh::VirtualRouter',
  'AWS::AppMesh::Route',
  'AWS::AppMesh::VirtualNode',
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::Config::DeliveryChannel',
  'AWS::Route53Resolver::FirewallRuleGroupAssociation',
  'AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation',
  // A Network Firewall's policy and rule groups cost nothing beyond its endpoints and traffic.
  'AWS::NetworkFirewall::FirewallPolicy',
  'AWS::NetworkFirewall::RuleGroup',
];

/** The monthly price of `count` units of `part`, given the region's prices; undefined when one is missing. */
export function monthlyOf(
  part: PricedPart,
  prices: Partial<Record<PricedDimension, Price>>,
): { readonly unitMonthly: number; readonly monthly: number } | undefined {
  if (part.unpriced !== undefined) {
    return undefined;
  }
  let unitMonthly = 0;
  for (const { dimension, quantity } of part.dimensions) {
    const p = prices[dimension];
    if (!p || p.unit === 'GB') {
      return undefined;
    }
    unitMonthly += quantity * p.usd * (p.unit === 'hour' ? HOURS_PER_MONTH : 1);
  }
  return { unitMonthly, monthly: unitMonthly * part.count };
}
