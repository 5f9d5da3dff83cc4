import { z } from 'zod';
import { PLATFORM_DATABASE_ROLES } from '../db/roles';
import { blocksOverlap, parseIpv4Cidr } from './cidr';
import { MANAGED_DOMAIN_LIST_IDS } from './dns-firewall-lists';
import { CLOUDFRONT_REGION } from './edge-schema';
import { MIN_AZS } from './network-schema';
import { KNOWN_REGIONS, list, problem, regionOfArn, REGISTRY_NAME } from './rules';
import type { EnvironmentShape } from './schema';
import { TIER_POLICIES } from './tier-policy';

/**
 * Rules of one environment that span its sections, checked once every
 * section is valid on its own. Tier rules read {@link TIER_POLICIES}.
 */
export function environmentRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  identityAndDatabaseRules(env, ctx);
  baselineRules(env, ctx);
  applicationRules(env, ctx);
  serviceWiringRules(env, ctx);
  edgeRules(env, ctx);
  networkRules(env, ctx);
  tierRules(env, ctx);
}

/** DNS Firewall blocks the AWS managed lists by their IDs, which differ per region. */
function networkRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  // An unknown region is reported by the region's own rule.
  if (env.region && KNOWN_REGIONS.includes(env.region) && !MANAGED_DOMAIN_LIST_IDS[env.region]) {
    problem(
      ctx,
      ['region'],
      `has no DNS Firewall managed domain list IDs in config/dns-firewall-lists.ts; allowed: ${list(Object.keys(MANAGED_DOMAIN_LIST_IDS))}, or add the region's IDs there`,
    );
  }
}

/**
 * The peered VPC must not overlap this one (peering refuses overlapping
 * CIDRs); the tier fixes threat protection, redirect schemes and readers.
 */
function identityAndDatabaseRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  const { database, identity } = env;
  const policy = TIER_POLICIES[env.tier];
  if (database.mode === 'peered') {
    const own = parseIpv4Cidr(env.network.vpcCidr);
    const peer = parseIpv4Cidr(database.vpcCidr);
    if (own && peer && blocksOverlap(own, peer)) {
      problem(
        ctx,
        ['database', 'vpcCidr'],
        `overlaps network.vpcCidr "${env.network.vpcCidr}"; allowed: a range outside this environment's VPC (peering needs distinct ranges)`,
      );
    }
  }
  const required = policy.requiredThreatProtection;
  if (required && identity.threatProtection !== required) {
    problem(
      ctx,
      ['identity', 'threatProtection'],
      `is not allowed in ${env.tier}; allowed: ${required}`,
    );
  }
  if (!policy.allowsHttpRedirects) {
    for (const pool of ['productPool', 'consolePool'] as const) {
      for (const field of ['callbackUrls', 'logoutUrls'] as const) {
        identity[pool][field].forEach((url, index) => {
          if (url.startsWith('http://')) {
            problem(
              ctx,
              ['identity', pool, field, index],
              `is not allowed in ${env.tier}; allowed: https:// or an app scheme`,
            );
          }
        });
      }
    }
  }
  if (database.mode === 'managed' && database.readers < policy.minimumDatabaseReaders) {
    problem(
      ctx,
      ['database', 'readers'],
      `is below ${policy.minimumDatabaseReaders}, the minimum in ${env.tier}: a reader is the failover target`,
    );
  }
}

/** The baseline settings go with ownership; pinned AZs go with the region. */
function baselineRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  if (env.ownsSecurityBaseline && !env.securityBaseline) {
    problem(
      ctx,
      ['securityBaseline'],
      'is required when ownsSecurityBaseline is true; set mode, findingPublishingFrequency, minimumFindingSeverity, budget, cloudTrail and awsConfig',
    );
  }
  if (!env.ownsSecurityBaseline && env.securityBaseline) {
    problem(
      ctx,
      ['securityBaseline'],
      'is set but ownsSecurityBaseline is false, so it would be ignored; remove it or set ownsSecurityBaseline to true',
    );
  }
  const baseline = env.ownsSecurityBaseline ? env.securityBaseline : undefined;
  if (
    TIER_POLICIES[env.tier].requiresTrailObjectLock &&
    baseline?.mode === 'create' &&
    !baseline.cloudTrail.objectLock
  ) {
    problem(
      ctx,
      ['securityBaseline', 'cloudTrail', 'objectLock'],
      `is required in ${env.tier}, so audit logs cannot be deleted before their retention ends; set mode (COMPLIANCE or GOVERNANCE) and retentionDays`,
    );
  }
  const azs = env.network.availabilityZones;
  if (azs && !env.region) {
    problem(
      ctx,
      ['network', 'availabilityZones'],
      'pins AZ names but region is not set; set region or remove availabilityZones',
    );
  }
  azs?.forEach((az, index) => {
    if (env.region && !az.startsWith(env.region)) {
      problem(
        ctx,
        ['network', 'availabilityZones', index],
        `is not in region ${env.region}; allowed: ${env.region}a, ${env.region}b, ...`,
      );
    }
  });
}

/**
 * The load balancer's certificate is regional, and HTTP/2 or gRPC targets need
 * an HTTPS listener; the tier fixes Spot and task counts.
 */
function applicationRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  const { application } = env;
  const policy = TIER_POLICIES[env.tier];
  const certificateRegion =
    application.certificateArn === undefined ? undefined : regionOfArn(application.certificateArn);
  if (certificateRegion && env.region && certificateRegion !== env.region) {
    problem(
      ctx,
      ['application', 'certificateArn'],
      `is in ${certificateRegion}; the load balancer needs a certificate of its own region ${env.region}`,
    );
  }
  if (application.fargateSpot && !policy.allowsFargateSpot) {
    problem(
      ctx,
      ['application', 'fargateSpot'],
      `is not allowed in ${env.tier}: Spot tasks can be stopped with two minutes notice; allowed: false`,
    );
  }
  const httpsListener =
    application.certificateArn !== undefined || env.edge.hostedZone !== undefined;
  application.services.forEach((service, index) => {
    if (service.fargateSpot && service.route && !policy.allowsFargateSpot) {
      problem(
        ctx,
        ['application', 'services', index, 'fargateSpot'],
        `is not allowed in ${env.tier} for a routed service: a Spot task can be stopped with two minutes notice while it serves requests; allowed: false, or a worker (no route)`,
      );
    }
    if (service.route && service.protocol !== 'http' && !httpsListener) {
      problem(
        ctx,
        ['application', 'services', index, 'protocol'],
        'needs an HTTPS listener (application.certificateArn or edge.hostedZone): the load balancer speaks HTTP/2 and gRPC to targets only behind one',
      );
    }
    for (const field of ['minCount', 'desiredCount'] as const) {
      // One task is every service's own minimum (minCount 1+); the tier may ask for more.
      if (policy.minimumTasksPerService > 1 && service[field] < policy.minimumTasksPerService) {
        problem(
          ctx,
          ['application', 'services', index, field],
          `is below ${policy.minimumTasksPerService}, the minimum in ${env.tier} (one task per AZ survives an AZ failure)`,
        );
      }
    }
  });
}

/**
 * Services name secrets the environment declares; one service at most
 * consumes the lifecycle events (a second would take messages from the
 * first); a service's database role is named after it, so it may not take
 * the name of a platform role.
 */
function serviceWiringRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  const declared = Object.keys(env.secrets ?? {}).sort();
  const allowed = `allowed: ${declared.length > 0 ? list(declared) : 'none'} (the environment's secrets; declare others there)`;
  const { services, datadog } = env.application;
  services.forEach((service, index) => {
    for (const [variable, name] of Object.entries(service.secrets)) {
      // A malformed name is reported by the section's own rule.
      if (REGISTRY_NAME.test(name) && !declared.includes(name)) {
        problem(
          ctx,
          ['application', 'services', index, 'secrets', variable],
          `is not a registered secret; ${allowed}`,
        );
      }
    }
    const roles: readonly string[] = Object.values(PLATFORM_DATABASE_ROLES);
    if (service.database && roles.includes(service.name)) {
      problem(
        ctx,
        ['application', 'services', index, 'name'],
        `is the name of a platform database role, which a service with database access would take; not allowed: ${list(roles)}`,
      );
    }
  });
  if (datadog && !declared.includes(datadog.apiKeySecret)) {
    problem(
      ctx,
      ['application', 'datadog', 'apiKeySecret'],
      `is not a registered secret; ${allowed}`,
    );
  }
  const consumers = services.filter((s) => s.queue?.source === 'lifecycle-events');
  consumers.slice(1).forEach((service) => {
    problem(
      ctx,
      ['application', 'services', services.indexOf(service), 'queue', 'source'],
      `is already consumed by service "${consumers[0].name}"; one service consumes the lifecycle events (a second would take its messages)`,
    );
  });
}

/**
 * The us-east-1 edge stack needs an explicit region to reference; a load
 * balancer certificate needs a viewer domain, and comes from one source.
 */
function edgeRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  const { edge } = env;
  // The tier's own rule already requires a pinned region, with its own message.
  if (!env.region && !TIER_POLICIES[env.tier].pinsAccountAndRegion) {
    problem(
      ctx,
      ['region'],
      `is required: the ${CLOUDFRONT_REGION} edge stack reads the load balancer's VPC origin from the region stack, and cross-region references need an explicit region`,
    );
  }
  if (env.application.certificateArn && !edge.domain) {
    problem(
      ctx,
      ['edge', 'domain'],
      'is required because application.certificateArn makes CloudFront connect over HTTPS, which needs a viewer domain the load balancer certificate covers',
    );
  }
  if (env.application.certificateArn && edge.hostedZone) {
    problem(
      ctx,
      ['application', 'certificateArn'],
      'is set, but edge.hostedZone makes the platform issue the load balancer certificate; allowed: one of them',
    );
  }
  if (TIER_POLICIES[env.tier].requiresAdminCidrs && edge.adminAllowList.cidrs.length === 0) {
    problem(
      ctx,
      ['edge', 'adminAllowList', 'cidrs'],
      `is empty; ${env.tier} needs at least one CIDR allowed to call the admin paths (empty blocks every admin)`,
    );
  }
}

/** The network and placement rules of the tier. */
function tierRules(env: EnvironmentShape, ctx: z.RefinementCtx): void {
  const policy = TIER_POLICIES[env.tier];
  const where = `in ${env.tier}`;
  // Only where the tier asks more than the network schema's own minimum, which reports the rest.
  if (policy.minimumAzs > MIN_AZS && env.network.azCount < policy.minimumAzs) {
    problem(ctx, ['network', 'azCount'], `is below ${policy.minimumAzs}, the minimum ${where}`);
  }
  if (policy.natGatewayPerAz && env.network.natGateways !== env.network.azCount) {
    problem(
      ctx,
      ['network', 'natGateways'],
      `must equal azCount (${env.network.azCount}) ${where}: one NAT gateway per AZ`,
    );
  }
  if (env.removalPolicy === 'destroy' && !policy.allowsDestroy) {
    problem(ctx, ['removalPolicy'], `is not allowed ${where}; allowed: retain, snapshot`);
  }
  if (policy.pinsAccountAndRegion) {
    for (const field of ['account', 'region'] as const) {
      if (!env[field]) {
        problem(
          ctx,
          [field],
          `is required ${where}, so a deployment can never land in the wrong ${field}`,
        );
      }
    }
  }
}
