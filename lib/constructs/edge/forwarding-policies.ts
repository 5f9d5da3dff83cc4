import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/**
 * Viewer headers the web front end (Next.js) reads: content negotiation, the
 * form content type, and the App Router's request headers (React Server
 * Component fetches, prefetches, server actions), without which client-side
 * navigation falls back to full page loads and server actions fail. The scheme
 * the viewer used comes as `CloudFront-Forwarded-Proto` (behind CloudFront,
 * `X-Forwarded-Proto` is the load balancer's listener's). Host and the query
 * string are in the web cache key, hence forwarded too. At most 10 headers per
 * policy (a CloudFront quota).
 * See https://github.com/vercel/next.js/blob/canary/packages/next/src/client/components/app-router-headers.ts
 * and https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html
 */
export const WEB_FORWARDED_HEADERS = [
  'Accept',
  'Accept-Language',
  'Content-Type',
  'RSC',
  'Next-Router-State-Tree',
  'Next-Router-Prefetch',
  'Next-Router-Segment-Prefetch',
  'Next-Url',
  'Next-Action',
  'CloudFront-Forwarded-Proto',
] as const;

/**
 * Viewer headers the APIs read: the viewer's Host (the load balancer routes
 * on it, and an HTTPS origin presents the certificate of that name), content
 * negotiation, the body's type, and CORS preflight. `Authorization` (bearer
 * tokens) cannot be in an origin request policy: it travels in the API cache
 * policy's key. No cookies: the APIs authenticate with bearer tokens.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-origin-requests.html
 */
export const API_FORWARDED_HEADERS = [
  'Host',
  'Accept',
  'Accept-Language',
  'Content-Type',
  'Origin',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
] as const;

/** The cache and origin request policies of one kind of behaviour. */
export interface BehaviorPolicies {
  readonly cachePolicy: cloudfront.ICachePolicy;
  readonly originRequestPolicy: cloudfront.IOriginRequestPolicy;
}

/**
 * What CloudFront sends to the load balancer, per behaviour, instead of every
 * viewer header (`Managed-AllViewer`):
 *
 * - **web** (the default behaviour, the Next.js front end): cached only as its
 *   `Cache-Control` says (nothing without it), keyed on the viewer's Host
 *   (which an HTTPS origin needs to present its certificate) and the query
 *   string (Next.js tells its component fetches apart by `_rsc`); forwards
 *   {@link WEB_FORWARDED_HEADERS} and the front end's cookies (its session),
 *   never part of the key, so only what the front end marks public is shared.
 * - **api** (`/v1/api...`, the admin API included): `Authorization` in the key
 *   (an origin request policy cannot forward it, and CloudFront drops it from
 *   GET requests unless it is in the key), so no response can serve another
 *   token; nothing cached without the origin's Cache-Control, and never longer
 *   than a second; forwards {@link API_FORWARDED_HEADERS} and every query
 *   string, no cookies.
 * See https://repost.aws/knowledge-center/cloudfront-authorization-header
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-how-origin-request-policies-and-cache-policies-work-together.html
 */
export class ForwardingPolicies extends Construct {
  /** The web front end's policies. */
  readonly web: BehaviorPolicies;
  /** The APIs' policies. */
  readonly api: BehaviorPolicies;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Nothing is cached without the origin's Cache-Control; the key is the header and the query.
    const cachePolicy = (policyId: string, comment: string, keyHeader: string, maxTtl: Duration) =>
      new cloudfront.CachePolicy(this, policyId, {
        comment,
        defaultTtl: Duration.seconds(0),
        minTtl: Duration.seconds(0),
        maxTtl,
        headerBehavior: cloudfront.CacheHeaderBehavior.allowList(keyHeader),
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      });
    this.web = {
      cachePolicy: cachePolicy(
        'WebCache',
        "Web front end: as the origin's Cache-Control says, keyed on Host and query",
        'Host',
        Duration.days(365),
      ),
      originRequestPolicy: new cloudfront.OriginRequestPolicy(this, 'Web', {
        comment: 'Web front end: Next.js request headers, its cookies, the query string',
        headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...WEB_FORWARDED_HEADERS),
        cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
        queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      }),
    };
    this.api = {
      cachePolicy: cachePolicy(
        'ApiCache',
        'APIs: keyed on Authorization, kept at most one second',
        'Authorization',
        Duration.seconds(1),
      ),
      originRequestPolicy: new cloudfront.OriginRequestPolicy(this, 'Api', {
        comment: 'APIs: Host, content negotiation, CORS preflight, the query string; no cookies',
        headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...API_FORWARDED_HEADERS),
        cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
        queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      }),
    };
  }
}
