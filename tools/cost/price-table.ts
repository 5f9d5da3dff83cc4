/**
 * The price table of `npm run cost`: on-demand list prices in USD of the
 * resource types the platform synthesizes that cost money while idle, per
 * region, each with the public page it was read from and the day it was
 * checked. Free tiers are not applied (they are per account, shared by every
 * environment in it). Monthly prices are 730 hours of an hourly price, as the
 * AWS Pricing Calculator counts a month.
 *
 * To update a price: read it at its source (the pricing page, or the AWS
 * Price List API offer file of the service for the region), change `usd`,
 * `source` and `checked` together, and the cost diff of the pull request shows
 * what it moves. A region without a price for a resource the stages synthesize
 * makes that resource "not priced" in the report (never guessed), and a test
 * fails until it is priced.
 */

/** Hours in a month, as the AWS Pricing Calculator counts it (24 x 365 / 12). */
export const HOURS_PER_MONTH = 730;

/** One price. */
export interface Price {
  /** USD per {@link unit}. */
  readonly usd: number;
  /** What one unit is, e.g. `hour`, `month`. */
  readonly unit: 'hour' | 'month' | 'GB';
  /** The public page (or Price List offer file) the price was read from. */
  readonly source: string;
  /** The usage type in the AWS Price List, where it has one. */
  readonly usageType?: string;
  /** The day the price was checked at its source (YYYY-MM-DD). */
  readonly checked: string;
}

/** The priced dimensions: one per thing that costs money while idle. */
export type PricedDimension =
  | 'fargateX86VcpuHour'
  | 'fargateX86GbHour'
  | 'fargateArmVcpuHour'
  | 'fargateArmGbHour'
  | 'natGatewayHour'
  | 'publicIpv4Hour'
  | 'interfaceEndpointAzHour'
  | 'applicationLoadBalancerHour'
  | 'auroraServerlessV2AcuHour'
  | 'kmsKeyMonth'
  | 'secretMonth'
  | 'alarmMetricMonth'
  | 'customMetricMonth'
  | 'dashboardMonth'
  | 'webAclMonth'
  | 'webAclRuleMonth'
  | 'hostedZoneMonth'
  | 'networkFirewallEndpointHour';

const CHECKED = '2026-12-02';

const FARGATE = 'https://aws.amazon.com/fargate/pricing/ (AmazonECS offer file)';
const VPC = 'https://aws.amazon.com/vpc/pricing/ (AmazonVPC / AmazonEC2 offer files)';
const PRIVATELINK = 'https://aws.amazon.com/privatelink/pricing/';
const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const AURORA = 'https://aws.amazon.com/rds/aurora/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
// "The pricing for AWS WAF is consistent across all AWS Regions"; a rule group counts as one rule.
// https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/
const WAF = 'https://aws.amazon.com/waf/pricing/';
const ROUTE53 = 'https://aws.amazon.com/route53/pricing/';
const NETWORK_FIREWALL = 'https://aws.amazon.com/network-firewall/pricing/';

const price = (usd: number, unit: Price['unit'], source: string, usageType?: string): Price => ({
  usd,
  unit,
  source,
  usageType,
  checked: CHECKED,
});

/** Prices that are the same in every region the platform uses. */
const GLOBAL = {
  kmsKeyMonth: price(1, 'month', KMS),
  secretMonth: price(0.4, 'month', SECRETS),
  alarmMetricMonth: price(0.1, 'month', CLOUDWATCH),
  // The first 10,000 custom metrics of an account (metric filters publish them).
  customMetricMonth: price(0.3, 'month', CLOUDWATCH),
  dashboardMonth: price(3, 'month', CLOUDWATCH),
  webAclMonth: price(5, 'month', WAF),
  webAclRuleMonth: price(1, 'month', WAF),
  // The first 25 hosted zones of an account.
  hostedZoneMonth: price(0.5, 'month', ROUTE53),
} as const satisfies Partial<Record<PricedDimension, Price>>;

/** The price table, per region. */
export const PRICE_TABLE: Readonly<Record<string, Partial<Record<PricedDimension, Price>>>> = {
  'ap-northeast-1': {
    ...GLOBAL,
    fargateX86VcpuHour: price(0.05056, 'hour', FARGATE, 'APN1-Fargate-vCPU-Hours:perCPU'),
    fargateX86GbHour: price(0.00553, 'hour', FARGATE, 'APN1-Fargate-GB-Hours'),
    // Graviton: 20% below x86 per vCPU-hour and per GB-hour.
    fargateArmVcpuHour: price(0.04045, 'hour', FARGATE, 'APN1-Fargate-ARM-vCPU-Hours:perCPU'),
    fargateArmGbHour: price(0.00442, 'hour', FARGATE, 'APN1-Fargate-ARM-GB-Hours'),
    natGatewayHour: price(0.062, 'hour', VPC, 'APN1-NatGateway-Hours'),
    publicIpv4Hour: price(0.005, 'hour', VPC, 'APN1-PublicIPv4:InUseAddress'),
    interfaceEndpointAzHour: price(0.014, 'hour', PRIVATELINK, 'APN1-VpcEndpoint-Hours'),
    applicationLoadBalancerHour: price(0.0243, 'hour', ELB, 'APN1-LoadBalancerUsage'),
    auroraServerlessV2AcuHour: price(0.2, 'hour', AURORA, 'APN1-Aurora:ServerlessV2Usage'),
  },
  // The edge stack: CloudFront's web ACL, its keys, alarms and hosted zone; and the
  // Network Firewall endpoint of an environment placed here (read from the AWS
  // samples' copy of the pricing page, aws-samples/aws-5-mins-networkfirewall; no
  // verified ap-northeast-1 rate yet, so the report lists a Tokyo firewall as not priced).
  'us-east-1': {
    ...GLOBAL,
    networkFirewallEndpointHour: price(0.395, 'hour', NETWORK_FIREWALL),
  },
};

/**
 * Usage that the fixed cost leaves out but a reader weighs against it: the
 * per-GB prices of the two ways tasks reach AWS APIs (see the network tier
 * policy), in ap-northeast-1.
 */
export const DATA_PROCESSING_PER_GB = {
  natGateway: price(0.062, 'GB', VPC, 'APN1-NatGateway-Bytes'),
  interfaceEndpoint: price(0.01, 'GB', PRIVATELINK, 'APN1-VpcEndpoint-Bytes'),
} as const;
