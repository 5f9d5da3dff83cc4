import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import {
  EdgeConfig,
  EnvironmentConfig,
  PRICE_CLASSES,
  RATE_LIMIT_WINDOWS_SECONDS,
} from './environment-config';
import { list, logRetentionDays, reportDuplicates, wholeNumber } from './rules';

/**
 * IDs of the managed prefix list `com.amazonaws.global.cloudfront.origin-facing`
 * in the regions we could verify: a config naming another list in one of
 * these regions is a copy-paste from another region and would lock CloudFront out.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list
 */
export const KNOWN_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-northeast-3': 'pl-31a14458',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
};

/** WAF rate-based rule limits. See https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;

const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
const PATH_PREFIX = /^(\/[a-z0-9][a-z0-9._-]*)+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE =
  /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** The IP version of a CIDR in canonical network-address form, or why it is not one. */
function checkClientCidr(cidr: string): string | undefined {
  const family = cidr.includes(':') ? ipaddr.IPv6 : ipaddr.IPv4;
  const strictIpv4 = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
  if (!family.isValidCIDR(cidr) || (family === ipaddr.IPv4 && !strictIpv4.test(cidr))) {
    return 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n';
  }
  const [, prefix] = family.parseCIDR(cidr);
  if (prefix === 0) {
    return 'allows every address; WAF IP sets take /1 or longer';
  }
  const network = `${family.networkAddressFromCIDR(cidr).toString()}/${prefix}`;
  return network === cidr ? undefined : `is not a network address; did you mean "${network}"?`;
}

/** Rules for the `edge` section that need nothing outside it. */
export const edgeSchema = z
  .strictObject({
    domain: z
      .strictObject({
        names: z
          .array(
            z
              .string()
              .regex(DOMAIN_NAME, 'is not a domain name such as "app.example.com" (lowercase)'),
          )
          .min(1, 'is empty; allowed: one or more domain names'),
        certificateArn: z
          .string()
          .regex(
            ACM_CERTIFICATE,
            'is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
          )
          .refine((arn) => arn.split(':')[3] === 'us-east-1', {
            message: 'is not in us-east-1; CloudFront only uses ACM certificates of us-east-1',
          }),
      })
      .optional(),
    priceClass: z.enum(PRICE_CLASSES),
    originFacingPrefixListId: z
      .string()
      .regex(PREFIX_LIST_ID, 'is not a prefix list ID; expected "pl-" and 8-17 hex digits'),
    rateLimit: z.strictObject({
      limit: wholeNumber(MIN_RATE_LIMIT, MAX_RATE_LIMIT),
      windowSeconds: z
        .number()
        .refine((seconds) => (RATE_LIMIT_WINDOWS_SECONDS as readonly number[]).includes(seconds), {
          message: `is not a WAF rate-limit window; allowed: ${list(RATE_LIMIT_WINDOWS_SECONDS)}`,
        }),
    }),
    adminAllowList: z.strictObject({
      pathPrefixes: z
        .array(
          z
            .string()
            .regex(
              PATH_PREFIX,
              'is not an admin path prefix; allowed: "/segment[/segment...]" (lowercase, no trailing "/", not "/")',
            ),
        )
        .min(1, 'is empty; allowed: one or more admin path prefixes'),
      cidrs: z.array(
        z.string().superRefine((cidr, ctx) => {
          const problem = checkClientCidr(cidr);
          if (problem) {
            ctx.addIssue({ code: 'custom', message: problem });
          }
        }),
      ),
    }),
    wafLogRetentionDays: logRetentionDays,
    accessLogExpirationDays: wholeNumber(1, 3650),
  })
  .superRefine((edge, ctx) => {
    reportDuplicates(edge.domain?.names ?? [], ctx, ['domain', 'names']);
    reportDuplicates(edge.adminAllowList.pathPrefixes, ctx, ['adminAllowList', 'pathPrefixes']);
    reportDuplicates(edge.adminAllowList.cidrs, ctx, ['adminAllowList', 'cidrs']);
  });

/** Rules of the `edge` section that depend on the environment around it. */
export function edgeEnvironmentRules(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const edge: EdgeConfig = env.edge;
  // Production already requires a region, with its own message.
  if (!env.region && env.tier !== 'production') {
    ctx.addIssue({
      code: 'custom',
      path: ['region'],
      message:
        'is required: the us-east-1 edge stack reads the load balancer from the region stack, and cross-region references need an explicit region',
    });
  }
  const knownPrefixList = env.region ? KNOWN_ORIGIN_FACING_PREFIX_LISTS[env.region] : undefined;
  const prefixListId = edge.originFacingPrefixListId;
  if (knownPrefixList && PREFIX_LIST_ID.test(prefixListId) && prefixListId !== knownPrefixList) {
    ctx.addIssue({
      code: 'custom',
      path: ['edge', 'originFacingPrefixListId'],
      message: `is not the CloudFront origin-facing prefix list of ${env.region}; allowed: "${knownPrefixList}"`,
    });
  }
  if (env.application.certificateArn && !edge.domain) {
    ctx.addIssue({
      code: 'custom',
      path: ['edge', 'domain'],
      message:
        'is required because application.certificateArn makes CloudFront connect over HTTPS, which needs a viewer domain the load balancer certificate covers',
    });
  }
  if (env.tier === 'production' && edge.adminAllowList.cidrs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['edge', 'adminAllowList', 'cidrs'],
      message:
        'is empty; production needs at least one CIDR allowed to call the admin paths (empty blocks every admin)',
    });
  }
}
