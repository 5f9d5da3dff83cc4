import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../ingress/access-log-bucket';
import { pathPatternsOf } from '../ingress/listener-rule-priority';
import { PINS } from '../../pins';
import { BehaviorPolicies, ForwardingPolicies } from './forwarding-policies';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** The viewer-facing custom domain. */
export interface DistributionDomain {
  /** Alternate domain names. */
  readonly names: readonly string[];
  /** An ACM certificate in us-east-1 covering every name. */
  readonly certificate: acm.ICertificate;
}

/** Properties of {@link PlatformDistribution}. */
export interface PlatformDistributionProps {
  /** The origin: the platform load balancer as a VPC origin. */
  readonly vpcOrigin: cloudfront.IVpcOrigin;
  /** Path prefixes served uncached (the APIs): `/segment...`, not `/`. */
  readonly uncachedPathPrefixes: readonly string[];
  /**
   * Custom domain and certificate.
   * @default - the distribution's `*.cloudfront.net` domain and certificate
   */
  readonly domain?: DistributionDomain;
  /** Which edge locations serve viewers. */
  readonly priceClass: cloudfront.PriceClass;
  /** The CLOUDFRONT-scope web ACL in front of the distribution. */
  readonly webAcl: wafv2.CfnWebACL;
  /** Days the access logs are kept. */
  readonly accessLogExpirationDays: number;
  /** What happens to the access-log bucket when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * CloudFront in front of the load balancer, which it reaches only through its
 * VPC origin (inside AWS's network; over HTTPS when the load balancer has a
 * certificate): HTTPS to viewers, per behaviour only the headers, cookies and
 * query strings the services read ({@link ForwardingPolicies}), API prefixes
 * practically uncached, the web front end cached only as its Cache-Control
 * says, security headers on every response, access logs in S3 and the web
 * ACL attached.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
 */
export class PlatformDistribution extends Construct {
  /** The distribution. */
  readonly distribution: cloudfront.IDistribution;
  /** Where CloudFront writes its access logs. */
  readonly logBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: PlatformDistributionProps) {
    super(scope, id);
    const root = props.uncachedPathPrefixes.find(
      (prefix) => prefix === '/' || !prefix.startsWith('/'),
    );
    if (root !== undefined) {
      throw new Error(
        `PlatformDistribution: uncachedPathPrefixes contains ${JSON.stringify(root)}; allowed: "/segment..." prefixes (the default behaviour serves "/")`,
      );
    }
    // The VPC origin's domain name is the load balancer's; the viewer's Host is forwarded.
    const origin = origins.VpcOrigin.withVpcOrigin(props.vpcOrigin);
    const forwarding = new ForwardingPolicies(this, 'Forwarding');
    const responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'HSTS, nosniff, frame DENY, strict-origin-when-cross-origin',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    const behaviour = (policies: BehaviorPolicies) => ({
      origin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      ...policies,
      responseHeadersPolicy,
      compress: true,
    });
    const api: cloudfront.BehaviorOptions = {
      ...behaviour(forwarding.api),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
    };
    // A prefix inside another (/v1/api/admin in /v1/api) is already covered by its /* pattern.
    const outermost = props.uncachedPathPrefixes.filter(
      (prefix) => !props.uncachedPathPrefixes.some((other) => prefix.startsWith(`${other}/`)),
    );
    const additionalBehaviors = Object.fromEntries(
      [...new Set(outermost)]
        .flatMap((prefix) => pathPatternsOf(prefix))
        .map((path) => [path, api]),
    );

    this.logBucket = new AccessLogBucket(this, 'AccessLogs', {
      expirationDays: props.accessLogExpirationDays,
      removalPolicy: props.removalPolicy,
      // CloudFront standard logging writes with an ACL, so the bucket must accept ACLs.
      // See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html#AccessLogsBucketAndFileOwnership
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    }).bucket;
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Platform: web front end and APIs',
      defaultBehavior: {
        // Next.js marks what may be cached; everything else reaches the origin.
        ...behaviour(forwarding.web),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      additionalBehaviors,
      domainNames: props.domain ? [...props.domain.names] : undefined,
      certificate: props.domain?.certificate,
      // Only a custom certificate has a choice; the default one is fixed at TLSv1. TLSv1.2_2025
      // keeps TLS 1.2 for older mobile clients with AEAD ciphers only (lib/pins.ts).
      // See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
      minimumProtocolVersion: props.domain ? PINS.cloudFrontViewerTlsPolicy.value : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass,
      webAclId: props.webAcl.attrArn,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(distribution.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The B2B service has tenants and resellers in several countries; the web ACL (IP reputation, rate limit, admin allow-list) restricts access instead of geography.',
    });
    if (!props.domain) {
      Validations.of(distribution.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1; environments that serve users configure edge.domain and get TLSv1.2_2025.',
      });
    }
    acknowledgeFindings(
      distribution,
      [controlTower('cloudfront_default_root_object_configured_check')],
      'The origin is an application (Next.js and APIs behind the ALB) that answers "/" itself; a default root object applies to static S3 origins.',
    );
    acknowledgeFindings(
      distribution,
      [controlTower('cloudfront_origin_failover_enabled_check')],
      'There is one origin, the internal ALB of this region, which spreads over two or more AZs; a failover origin would need a second regional deployment, which this platform does not have.',
    );
    if (!props.domain) {
      acknowledgeFindings(
        distribution,
        [
          controlTower('cloudfront_custom_ssl_certificate_check'),
          controlTower('cloudfront_sni_enabled_check'),
          controlTower('cloudfront_security_policy_check'),
        ],
        "Without a custom domain (edge.domain) the distribution serves *.cloudfront.net with CloudFront's own certificate, whose TLS policy CloudFront fixes; environments that serve users configure a domain and get SNI with TLSv1.2_2025.",
      );
    }
    this.distribution = distribution;
  }
}
