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

/** WAF rate-based rule limits. See https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;

const PATH_PREFIX = /^(\/[a-z0-9][a-z0-9._-]*)+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const ZONE_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Route 53 hosted zone IDs: `Z` and up to 31 uppercase letters or digits. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** A Route 53 hosted zone ID (the edge's zone, the mail domain's zone). */
export const hostedZoneIdSchema = z
  .string()
  .regex(
    HOSTED_ZONE_ID,
    'is not a hosted zone ID; expected "Z" and up to 31 uppercase letters or digits',
  );

/**
 * Domain names the load balancer's rules can match: a rule takes 5 condition
 * values, and each service rule spends 2 on its path patterns (`/p`, `/p/*`).
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 */
export const MAX_DOMAIN_NAMES = 3;

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
  /**
   * Alternate domain names (CNAMEs) of the distribution, e.g. `app.example.com`:
   * 1-3 names, unique. The load balancer routes only requests for these names
   * (CloudFront forwards the viewer's Host) and answers 403 to any other.
   */
  names: z
    .array(
      z.string().regex(DOMAIN_NAME, 'is not a domain name such as "app.example.com" (lowercase)'),
    )
    .min(1, 'is empty; allowed: one or more domain names')
    .max(
      MAX_DOMAIN_NAMES,
      `has more than ${MAX_DOMAIN_NAMES} names; a load balancer rule takes 5 condition values, 2 of them its path patterns`,
    ),
  /**
   * ACM certificate covering every name. CloudFront only uses certificates of
   * `us-east-1`. Required unless `hostedZone` is set, which makes the platform
   * issue it.
   * @default - issued by the platform in `hostedZone`
   */
  certificateArn: z
    .string()
    .regex(
      ACM_CERTIFICATE_ARN,
      'is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
    )
    .refine((arn) => regionOfArn(arn) === CLOUDFRONT_REGION, {
      message: 'is not in us-east-1; CloudFront only uses ACM certificates of us-east-1',
    })
    .optional(),
});

/**
 * The Route 53 public hosted zone of the domain names. With it the platform
 * issues its certificates itself (ACM, DNS validation in this zone: the
 * distribution's in us-east-1, the load balancer's in the region) and writes
 * the distribution's alias records.
 */
const hostedZoneSchema = z.strictObject({
  /** The zone's domain, e.g. `stg.example.com`; every `domain.names` entry is in it. */
  zoneName: z.string().regex(ZONE_NAME, 'is not a zone name such as "example.com" (lowercase)'),
  /**
   * ID of an existing public hosted zone for `zoneName` (`Z` and up to 31
   * uppercase letters or digits). Without it the platform creates the zone,
   * and its name servers must be delegated from the parent domain once.
   * @default - a new public hosted zone
   */
  hostedZoneId: hostedZoneIdSchema.optional(),
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

/** CloudFront in front of the load balancer and the web ACLs. */
export const edgeSchema = z
  .strictObject({
    /**
     * Serve viewers on a custom domain. Required when the load balancer has a
     * certificate (`application.certificateArn` or `hostedZone`): CloudFront then
     * connects to it over HTTPS, forwarding the viewer's Host header, which the
     * load balancer's certificate must cover.
     * @default - the distribution's own `*.cloudfront.net` domain
     */
    domain: edgeDomainSchema.optional(),
    /**
     * Route 53 zone in which the platform issues the certificates of `domain`
     * and writes its alias records.
     * @default - no zone: `domain.certificateArn` and `application.certificateArn` are imported
     */
    hostedZone: hostedZoneSchema.optional(),
    /** Which edge locations serve viewers: one of `PRICE_CLASSES`. */
    priceClass: z.enum(PRICE_CLASSES).transform((name) => PRICE_CLASS_BY_NAME[name]),
    /** The per-IP rate-based rule. */
    rateLimit: rateLimitSchema,
    /** The admin paths and who may call them. */
    adminAllowList: adminAllowListSchema,
    /** Retention of every web ACL's logs in days (a CloudWatch Logs value). */
    wafLogRetentionDays: logRetentionDays,
    /** Days CloudFront's access logs are kept in S3: 1-3650. */
    accessLogExpirationDays: wholeNumber(1, 3650),
    /**
     * AWS Shield Advanced protection of the distribution with automatic
     * application-layer DDoS mitigation. Needs the account's Shield Advanced
     * subscription (USD 3,000 a month per organisation, one-year commitment,
     * plus data transfer fees; see README "Security baseline").
     * @default - off: Shield Standard only, which every distribution has
     */
    shieldAdvanced: z
      .strictObject({
        /**
         * What the rules Shield writes during an attack do: `block`, or
         * `count` (observe first, then switch to `block`).
         */
        automaticMitigation: z.enum(['block', 'count']),
      })
      .optional(),
  })
  .superRefine((edge, ctx) => {
    reportDuplicates(edge.domain?.names ?? [], ctx, ['domain', 'names']);
    reportDuplicates(edge.adminAllowList.pathPrefixes, ctx, ['adminAllowList', 'pathPrefixes']);
    reportDuplicates(edge.adminAllowList.cidrs, ctx, ['adminAllowList', 'cidrs']);
    domainRules(edge, ctx);
  });

/**
 * A domain's certificate is imported or issued in the hosted zone, never
 * both; issued certificates need names inside the zone.
 */
function domainRules(
  edge: {
    readonly domain?: { readonly names: readonly string[]; readonly certificateArn?: string };
    readonly hostedZone?: { readonly zoneName: string };
  },
  ctx: z.RefinementCtx,
): void {
  const { domain, hostedZone } = edge;
  if (hostedZone && !domain) {
    problem(
      ctx,
      ['domain'],
      'is required with hostedZone: name the domain names the platform issues certificates for',
    );
  }
  if (!domain) {
    return;
  }
  if (hostedZone && domain.certificateArn) {
    problem(
      ctx,
      ['domain', 'certificateArn'],
      'is set, but hostedZone makes the platform issue the certificate; allowed: one of them',
    );
  }
  if (!hostedZone && !domain.certificateArn) {
    problem(
      ctx,
      ['domain', 'certificateArn'],
      'is required without hostedZone: the distribution needs a us-east-1 certificate for its names',
    );
  }
  domain.names.forEach((name, index) => {
    const zone = hostedZone?.zoneName;
    if (zone && name !== zone && !name.endsWith(`.${zone}`)) {
      problem(
        ctx,
        ['domain', 'names', index],
        `is not in the hosted zone "${zone}"; allowed: "${zone}" or a name under it`,
      );
    }
  });
}
