import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { PRICE_CLASSES, RATE_LIMIT_WINDOWS_SECONDS } from './environment-config';
import {
  ACM_CERTIFICATE_ARN,
  list,
  logRetentionDays,
  problem,
  regionOfArn,
  reportDuplicates,
  wholeNumber,
} from './rules';

/** CloudFront only uses ACM certificates of this region, and its web ACLs live there. */
export const CLOUDFRONT_REGION = 'us-east-1';

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

export const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
const PATH_PREFIX = /^(\/[a-z0-9][a-z0-9._-]*)+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The CDK's price class for each configured name (the enum's values are those names). */
const PRICE_CLASS_BY_NAME = Object.fromEntries(
  Object.values(cloudfront.PriceClass).map((value) => [value, value]),
) as Record<(typeof PRICE_CLASSES)[number], cloudfront.PriceClass>;

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

/** The viewer-facing domain of the distribution. */
const edgeDomainSchema = z.strictObject({
  /** Alternate domain names (CNAMEs) of the distribution, e.g. `app.example.com`. At least one, unique. */
  names: z
    .array(
      z.string().regex(DOMAIN_NAME, 'is not a domain name such as "app.example.com" (lowercase)'),
    )
    .min(1, 'is empty; allowed: one or more domain names'),
  /** ACM certificate covering every name. CloudFront only uses certificates of `us-east-1`. */
  certificateArn: z
    .string()
    .regex(
      ACM_CERTIFICATE_ARN,
      'is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
    )
    .refine((arn) => regionOfArn(arn) === CLOUDFRONT_REGION, {
      message: 'is not in us-east-1; CloudFront only uses ACM certificates of us-east-1',
    }),
});

/** A per-client-IP rate limit of a web ACL. */
export const rateLimitSchema = z.strictObject({
  /** Requests one IP may send per window before it is blocked: 10 to 2,000,000,000. */
  limit: wholeNumber(MIN_RATE_LIMIT, MAX_RATE_LIMIT),
  /** The window in seconds: one of `RATE_LIMIT_WINDOWS_SECONDS`. */
  windowSeconds: z
    .number()
    .refine((seconds) => (RATE_LIMIT_WINDOWS_SECONDS as readonly number[]).includes(seconds), {
      message: `is not a WAF rate-limit window; allowed: ${list(RATE_LIMIT_WINDOWS_SECONDS)}`,
    }),
});

/** Who may call the admin paths. Enforced by the CloudFront web ACL, which sees the real client IP. */
const adminAllowListSchema = z.strictObject({
  /**
   * Path prefixes of the admin surface (`/v1/api/admin`, the admin web path):
   * `/segment[/segment...]`, not `/`. At least one, unique.
   */
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
  /**
   * IPv4 and IPv6 CIDRs (network addresses, `/1` or longer) allowed to call
   * `pathPrefixes`; everyone else gets 403. Empty blocks everyone (not
   * allowed in production). Unique.
   */
  cidrs: z.array(
    z.string().superRefine((cidr, ctx) => {
      const reason = checkClientCidr(cidr);
      if (reason) {
        problem(ctx, [], reason);
      }
    }),
  ),
});

/** CloudFront in front of the load balancer and the two WAF web ACLs. */
export const edgeSchema = z
  .strictObject({
    /**
     * Serve viewers on a custom domain. Required when `application.certificateArn`
     * is set: CloudFront then connects to the load balancer over HTTPS, forwarding
     * the viewer's Host header, which the load balancer's certificate must cover.
     * @default - the distribution's own `*.cloudfront.net` domain
     */
    domain: edgeDomainSchema.optional(),
    /** Which edge locations serve viewers: one of `PRICE_CLASSES`. */
    priceClass: z.enum(PRICE_CLASSES).transform((name) => PRICE_CLASS_BY_NAME[name]),
    /**
     * ID of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`
     * in the environment's region (`pl-` and 8-17 hex digits): the only source the
     * load balancer's security group admits. Look it up once with
     * `aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`.
     */
    originFacingPrefixListId: z
      .string()
      .regex(PREFIX_LIST_ID, 'is not a prefix list ID; expected "pl-" and 8-17 hex digits'),
    /** The per-IP rate-based rule. */
    rateLimit: rateLimitSchema,
    /** The admin paths and who may call them. */
    adminAllowList: adminAllowListSchema,
    /** Retention of every web ACL's logs in days (a CloudWatch Logs value). */
    wafLogRetentionDays: logRetentionDays,
    /** Days CloudFront's access logs are kept in S3: 1-3650. */
    accessLogExpirationDays: wholeNumber(1, 3650),
  })
  .superRefine((edge, ctx) => {
    reportDuplicates(edge.domain?.names ?? [], ctx, ['domain', 'names']);
    reportDuplicates(edge.adminAllowList.pathPrefixes, ctx, ['adminAllowList', 'pathPrefixes']);
    reportDuplicates(edge.adminAllowList.cidrs, ctx, ['adminAllowList', 'cidrs']);
  });
