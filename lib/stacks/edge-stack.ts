import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AdminAllowList } from '../constructs/edge/admin-allow-list';
import { ORIGIN_VERIFY_HEADER } from '../constructs/edge/origin-verify-secret';
import { PlatformDistribution } from '../constructs/edge/platform-distribution';
import { CLOUDFRONT_REGION, PlatformWebAcl } from '../constructs/edge/platform-web-acl';
import { rateLimitRule } from '../constructs/edge/rate-limit-rule';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { removalPolicyOf } from '../defaults';
import { ApplicationStack } from './application-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** AWS managed rule groups of the CloudFront web ACL, in evaluation order. */
export const EDGE_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/** Properties of {@link EdgeStack}. */
export interface EdgeStackProps extends PlatformStackProps {
  /** The environment's application stack: the load balancer and the origin-verify secret. */
  readonly application: ApplicationStack;
}

/**
 * The environment's front door, in us-east-1: the CLOUDFRONT web ACL (admin
 * allow-list, per-IP rate limit, managed rule groups) and the distribution in
 * front of the load balancer. The load balancer's DNS name arrives as a weak
 * cross-region reference (`Fn::GetStackOutput`, see README "Edge").
 */
export class EdgeStack extends PlatformStack {
  /** The CLOUDFRONT-scope web ACL. */
  readonly webAcl: PlatformWebAcl;
  /** The admin allow-list and its IP sets. */
  readonly adminAllowList: AdminAllowList;
  /** The distribution. */
  readonly distribution: PlatformDistribution;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: CLOUDFRONT_REGION },
    });
    const { config } = props;
    const { edge } = config;
    const removalPolicy = removalPolicyOf(config.removalPolicy);

    this.adminAllowList = new AdminAllowList(this, 'AdminAllowList', edge.adminAllowList);
    this.webAcl = new PlatformWebAcl(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      name: `${config.name}-edge`,
      blockingRules: [
        this.adminAllowList.rule,
        rateLimitRule(edge.rateLimit.limit, edge.rateLimit.windowSeconds),
      ],
      managedRuleGroups: EDGE_MANAGED_RULE_GROUPS,
      logRetention: edge.wafLogRetentionDays as logs.RetentionDays,
      logsKey: new LogsEncryptionKey(this, 'LogsKey', {
        description: `${config.name}: encrypts the CloudFront web ACL logs`,
        removalPolicy,
      }).key,
      removalPolicy,
    });
    const { loadBalancer, originVerify } = props.application;
    this.distribution = new PlatformDistribution(this, 'Distribution', {
      loadBalancer: loadBalancer.loadBalancer,
      originHttps: loadBalancer.https,
      originHeader: { name: ORIGIN_VERIFY_HEADER, value: originVerify.valueFor(this) },
      uncachedPathPrefixes: config.application.services.flatMap((service) =>
        service.pathPrefix === undefined || service.pathPrefix === '/' ? [] : [service.pathPrefix],
      ),
      domain: edge.domain,
      priceClass: edge.priceClass as cloudfront.PriceClass,
      webAcl: this.webAcl.webAcl,
      accessLogExpirationDays: edge.accessLogExpirationDays,
      removalPolicy,
    });
  }
}
