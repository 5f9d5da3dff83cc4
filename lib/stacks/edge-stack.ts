import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CLOUDFRONT_REGION } from '../../config';
import { AdminAllowList } from '../constructs/edge/admin-allow-list';
import { DistributionAliasRecords } from '../constructs/edge/distribution-alias-records';
import { certificateSourceOf, DomainCertificate } from '../constructs/edge/domain-certificate';
import { PlatformDistribution } from '../constructs/edge/platform-distribution';
import { PlatformWebAcl } from '../constructs/edge/platform-web-acl';
import { rateLimitRule } from '../constructs/edge/rate-limit-rule';
import { ShieldAdvancedProtection } from '../constructs/edge/shield-advanced-protection';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { EdgeAlarms } from '../constructs/operations/alarms/edge-alarms';
import { NotificationsTopic } from '../constructs/operations/notifications-topic';
import { EdgeOrigin } from './application-stack';
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
  /** The load balancer's VPC origin and the domain's hosted zone (from the application stack). */
  readonly origin: EdgeOrigin;
}

/**
 * The environment's front door, in us-east-1: the CLOUDFRONT web ACL (path
 * and admin allow-list rules, per-IP rate limit, managed rule groups), the
 * distribution in front of the load balancer's VPC origin, with a hosted zone
 * its certificate and alias records, and their alarms with a notifications
 * topic of this region (alarms notify topics of their own region) subscribed
 * like the environment's, and, when configured, Shield Advanced protection. The VPC origin (and the zone) arrive as weak
 * cross-region references (`Fn::GetStackOutput`, see README "Edge").
 */
export class EdgeStack extends PlatformStack {
  /** The CLOUDFRONT-scope web ACL. */
  readonly webAcl: PlatformWebAcl;
  /** The admin allow-list and its IP sets. */
  readonly adminAllowList: AdminAllowList;
  /** The distribution. */
  readonly distribution: PlatformDistribution;
  /** Receives this region's alarms (registered with the environment's monitoring). */
  readonly notificationsTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: CLOUDFRONT_REGION },
    });
    const { config, origin } = props;
    const { edge, derived } = config;
    const removalPolicy = derived.removalPolicy;

    this.adminAllowList = new AdminAllowList(this, 'AdminAllowList', edge.adminAllowList);
    this.webAcl = new PlatformWebAcl(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      name: `${config.name}-edge`,
      blockingRules: [
        ...this.adminAllowList.rules,
        rateLimitRule(edge.rateLimit.limit, edge.rateLimit.windowSeconds),
      ],
      managedRuleGroups: EDGE_MANAGED_RULE_GROUPS,
      logRetention: edge.wafLogRetentionDays,
      logsKey: new LogsEncryptionKey(this, 'LogsKey', {
        description: `${config.name}: encrypts the CloudFront web ACL logs`,
        removalPolicy,
      }).key,
      removalPolicy,
    });
    const source = certificateSourceOf(edge.domain?.certificateArn, origin.hostedZone);
    this.distribution = new PlatformDistribution(this, 'Distribution', {
      vpcOrigin: origin.vpcOrigin,
      // The web front end at "/" is the default behaviour; the APIs are served uncached.
      uncachedPathPrefixes: derived.routedPrefixes.filter((prefix) => prefix !== '/'),
      domain:
        edge.domain && source
          ? {
              names: edge.domain.names,
              certificate: new DomainCertificate(this, 'Certificate', {
                names: edge.domain.names,
                source,
              }).certificate,
            }
          : undefined,
      priceClass: edge.priceClass,
      webAcl: this.webAcl.webAcl,
      accessLogExpirationDays: edge.accessLogExpirationDays,
      removalPolicy,
    });
    if (edge.domain && origin.hostedZone) {
      new DistributionAliasRecords(this, 'AliasRecords', {
        zone: origin.hostedZone,
        names: edge.domain.names,
        distribution: this.distribution.distribution,
      });
    }
    if (edge.shieldAdvanced) {
      new ShieldAdvancedProtection(this, 'ShieldAdvanced', {
        name: `${config.name}-distribution`,
        distribution: this.distribution.distribution,
        settings: edge.shieldAdvanced,
      });
    }
    this.notificationsTopic = new NotificationsTopic(this, 'Notifications', {
      displayName: `${config.name} edge notifications`,
      recipients: config.operations.notifications,
      slackConfigurationName: `${config.name}-edge-notifications`,
      publishingServices: ['cloudwatch.amazonaws.com'],
      removalPolicy,
    }).topic;
    new EdgeAlarms(this, 'Alarms', {
      distributionId: this.distribution.distribution.distributionId,
      webAclMetricName: this.webAcl.metricName,
      thresholds: derived.alarmThresholds,
    });
  }
}
