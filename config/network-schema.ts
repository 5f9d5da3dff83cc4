import { z } from 'zod';
import { addressesForSubnets, addressesInPrefix, networkAddressOf, parseIpv4Cidr } from './cidr';
import { INTERFACE_ENDPOINT_NAMES } from './environment-config';
import { logRetentionDays, problem, reportDuplicates } from './rules';

/** VPC CIDR block limits. See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html */
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;
/** Every environment spans at least this many AZs; a tier may ask for more. */
export const MIN_AZS = 2;
const MAX_AZS = 6;
/** Production spans at least this many AZs (checked with the tier, see schema.ts). */
export const MIN_PRODUCTION_AZS = 3;

const subnetMask = z
  .number()
  .int(`is not a whole number; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`)
  .min(MIN_PREFIX, `is not a subnet prefix length; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`)
  .max(MAX_PREFIX, `is not a subnet prefix length; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`);

const vpcCidr = z.string().superRefine((cidr, ctx) => {
  const block = parseIpv4Cidr(cidr);
  if (!block) {
    problem(ctx, [], 'is not an IPv4 CIDR; expected a.b.c.d/n');
  } else if (block.prefix < MIN_PREFIX || block.prefix > MAX_PREFIX) {
    problem(
      ctx,
      [],
      `has prefix length /${block.prefix}; a VPC allows /${MIN_PREFIX} to /${MAX_PREFIX}`,
    );
  } else if (networkAddressOf(cidr) !== cidr) {
    problem(ctx, [], `is not a network address; did you mean "${networkAddressOf(cidr)}"?`);
  }
});

/** Netmask (prefix length) of each subnet tier, per AZ. */
const subnetMasksSchema = z.strictObject({
  /** Public subnets (NAT gateways). A prefix length of 16-28. */
  public: subnetMask,
  /** Private subnets with egress through NAT (ECS tasks, Lambdas, the load balancer). 16-28. */
  privateWithEgress: subnetMask,
  /** Isolated subnets without internet route (databases). 16-28. */
  isolated: subnetMask,
});

/**
 * A domain name as DNS Firewall matches it: labels of letters, digits and
 * hyphens, optionally starting with `*.` (the domain's subdomains).
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-domain-lists.html
 */
const firewallDomain = z
  .string()
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'is not a lowercase domain name such as "example.com" or "*.example.com"',
  );

/**
 * Route 53 Resolver DNS Firewall on the VPC: the AWS managed threat lists
 * are always blocked (see `BLOCKED_MANAGED_DOMAIN_LISTS`); these settings add
 * to them.
 */
const dnsFirewallSchema = z
  .strictObject({
    /** Days the Resolver query logs are kept: a CloudWatch Logs retention value. */
    queryLogRetentionDays: logRetentionDays,
    /**
     * Domains blocked besides the managed lists (e.g. a known exfiltration
     * service). Each at most once, and not also in `allowedDomains`.
     * @default - only the managed lists
     */
    blockedDomains: z.array(firewallDomain).optional(),
    /**
     * Domains resolved even when a managed list names them (a false positive
     * a service depends on): allow rules run before the block rules. Each at
     * most once.
     * @default - none
     */
    allowedDomains: z.array(firewallDomain).optional(),
  })
  .superRefine((firewall, ctx) => {
    reportDuplicates(firewall.blockedDomains ?? [], ctx, ['blockedDomains']);
    reportDuplicates(firewall.allowedDomains ?? [], ctx, ['allowedDomains']);
    const allowed = new Set(firewall.allowedDomains ?? []);
    (firewall.blockedDomains ?? []).forEach((domain, index) => {
      if (allowed.has(domain)) {
        problem(
          ctx,
          ['blockedDomains', index],
          'is also in allowedDomains, which wins; allowed: a domain in one of the two lists',
        );
      }
    });
  });

/**
 * A domain as Network Firewall's stateful domain lists take it: an exact name
 * (`api.example.com` matches only itself) or a leading dot for the domain and
 * all its subdomains (`.example.com`). Checked 2026-12-02 at
 * https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_RulesSourceList.html
 */
const egressDomain = z
  .string()
  .regex(
    /^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'is not a lowercase domain such as "api.example.com" or ".example.com" (a leading dot: the domain and its subdomains)',
  );

/** Prefix length of each firewall subnet: the smallest a subnet can be, one endpoint needs no more. */
export const FIREWALL_SUBNET_MASK = 28;

/**
 * The most domains `networkFirewall.allowedDomains` may list: the firewall's
 * rule group (capacity 1000, see `EgressFirewall`) holds 499 with both TLS
 * SNI and HTTP Host, and the platform adds up to five of its own.
 */
export const MAX_ALLOWED_DOMAINS = 490;

/**
 * AWS Network Firewall in front of the NAT egress: the tasks' and functions'
 * outbound HTTPS (TLS SNI) and HTTP (Host header) may reach only the allowed
 * domains; everything else established through the NAT gateway is dropped.
 * The platform adds the domains it needs itself (see
 * `platformEgressDomains`). Needs `availabilityZones` pinned.
 */
const networkFirewallSchema = z
  .strictObject({
    /**
     * Domains the services call on the internet, besides the platform's own:
     * exact names or `.example.com` for a domain and its subdomains. At least
     * one and at most `MAX_ALLOWED_DOMAINS`, each at most once.
     */
    allowedDomains: z
      .array(egressDomain)
      .min(
        1,
        'is empty; list the domains the services call (e.g. ".stripe.com"), or remove networkFirewall',
      )
      .max(
        MAX_ALLOWED_DOMAINS,
        `has more than ${MAX_ALLOWED_DOMAINS} domains, more than the firewall's rule group holds; allowed: up to ${MAX_ALLOWED_DOMAINS} (use ".example.com" for a domain's subdomains)`,
      ),
    /** Days the firewall's alert and flow logs are kept: a CloudWatch Logs retention value. */
    logRetentionDays: logRetentionDays,
  })
  .superRefine((firewall, ctx) => {
    reportDuplicates(firewall.allowedDomains, ctx, ['allowedDomains']);
  });

/** The environment's VPC. */
export const networkSchema = z
  .strictObject({
    /**
     * IPv4 CIDR of the VPC: a network address with a prefix length from /16 to
     * /28 (the VPC limits). Must not overlap another environment's VPC, so that
     * environments and the database VPC can be peered later.
     */
    vpcCidr,
    /** How many Availability Zones the subnets span: 2-6 (3+ in production). */
    azCount: z
      .number()
      .int(`is not a whole number; allowed: ${MIN_AZS}-${MAX_AZS}`)
      .min(MIN_AZS, `is below ${MIN_AZS}; allowed: ${MIN_AZS}-${MAX_AZS} AZs`)
      .max(MAX_AZS, `is above ${MAX_AZS}; allowed: ${MIN_AZS}-${MAX_AZS} AZs`),
    /**
     * Pin the AZ names (e.g. `ap-northeast-1a`). Needs `region`; exactly
     * `azCount` distinct names of that region.
     * @default - the first `azCount` AZs of the region, resolved at deploy time
     *   with `Fn::GetAZs` (no context lookup, so synth stays offline)
     */
    availabilityZones: z
      .array(
        z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'is not an AZ name such as "ap-northeast-1a"'),
      )
      .optional(),
    /**
     * NAT gateways: 1 to `azCount`. One keeps development cheap; production needs
     * one per AZ so an AZ failure does not cut the other AZs' egress.
     */
    natGateways: z
      .number()
      .int('is not a whole number')
      .min(1, 'is below 1; private subnets need a NAT gateway for egress'),
    /** Prefix length of each subnet tier. All tiers in all AZs must fit in `vpcCidr`. */
    subnetMasks: subnetMasksSchema,
    /**
     * Interface endpoints to create, each at most once (see `INTERFACE_ENDPOINT_NAMES`).
     * The S3 gateway endpoint is always created.
     */
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_NAMES)),
    /** Retention of the VPC flow logs in days: a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, ... 3653). */
    flowLogRetentionDays: logRetentionDays,
    /** Route 53 Resolver DNS Firewall and query logging on the VPC. */
    dnsFirewall: dnsFirewallSchema,
    /**
     * AWS Network Firewall between the private subnets and the NAT gateways, with
     * a firewall subnet (/28) per AZ after the other subnets. Costs about USD 288
     * per AZ a month plus USD 0.065 per GB (README, "Security baseline").
     * @default - off: the private subnets reach the NAT gateways directly
     */
    networkFirewall: networkFirewallSchema.optional(),
  })
  .superRefine((network, ctx) => {
    if (network.natGateways > network.azCount) {
      problem(
        ctx,
        ['natGateways'],
        `is more than azCount (${network.azCount}); allowed: 1-${network.azCount}`,
      );
    }
    if (network.availabilityZones) {
      if (network.availabilityZones.length !== network.azCount) {
        problem(
          ctx,
          ['availabilityZones'],
          `names ${network.availabilityZones.length} AZs; it must name exactly azCount (${network.azCount})`,
        );
      }
      reportDuplicates(network.availabilityZones, ctx, ['availabilityZones']);
    }
    if (network.networkFirewall && !network.availabilityZones) {
      problem(
        ctx,
        ['networkFirewall'],
        'needs network.availabilityZones: each private subnet routes to the firewall endpoint of its AZ, ' +
          'which the template finds by AZ name; pin availabilityZones (e.g. ["ap-northeast-1a", "ap-northeast-1c"]) or remove networkFirewall',
      );
    }
    reportDuplicates(network.interfaceEndpoints, ctx, ['interfaceEndpoints']);
    const block = parseIpv4Cidr(network.vpcCidr);
    if (!block) {
      return; // reported by the vpcCidr rule
    }
    const tiers = ['public', 'privateWithEgress', 'isolated'] as const;
    const masks = tiers.map((tier) => network.subnetMasks[tier]);
    tiers.forEach((tier, index) => {
      if (masks[index] < block.prefix) {
        problem(
          ctx,
          ['subnetMasks', tier],
          `is larger than the VPC (/${block.prefix}); allowed: /${block.prefix} to /${MAX_PREFIX}`,
        );
      }
    });
    const allMasks = network.networkFirewall ? [...masks, FIREWALL_SUBNET_MASK] : masks;
    const needed = addressesForSubnets(allMasks, network.azCount);
    const available = addressesInPrefix(block.prefix);
    if (needed > available) {
      problem(
        ctx,
        ['vpcCidr'],
        `is too small: ${allMasks.length} subnet tiers (/${allMasks.join(', /')}) in ${network.azCount} AZs need ` +
          `${needed} addresses and /${block.prefix} has ${available}; use a shorter prefix or longer subnetMasks`,
      );
    }
  });
