import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import { Construct } from 'constructs';
import {
  BLOCKED_MANAGED_DOMAIN_LISTS,
  DnsFirewallConfig,
  ManagedDomainListName,
} from '../../../config';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';
import { PlatformAlarm } from '../operations/platform-alarm';

/** Properties of {@link DnsFirewall}. */
export interface DnsFirewallProps {
  /** The VPC whose Resolver queries are filtered and logged. */
  readonly vpc: ec2.IVpc;
  /** Query log retention and the extra blocked or allowed domains. */
  readonly settings: DnsFirewallConfig;
  /** The IDs of the managed lists in this region (`config.derived.managedDomainListIds`). */
  readonly managedListIds: Readonly<Record<ManagedDomainListName, string>>;
  /** Blocked queries in five minutes at which the alarm fires. */
  readonly blockedQueriesThreshold: number;
  /** What happens to the log group and its key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** The namespace of the metric the query logs' blocked queries are counted in. */
export const DNS_FIREWALL_METRIC_NAMESPACE = 'Platform/DnsFirewall';

/**
 * Rule priorities: allow first (a false positive of a managed list stays
 * resolvable), then the environment's own block list, then the managed lists.
 * DNS Firewall runs the rules of a group from the lowest priority up and
 * stops at the first match.
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-settings.html
 */
const ALLOW_PRIORITY = 100;
const BLOCK_PRIORITY = 200;
const MANAGED_PRIORITY = 300;

/**
 * Route 53 Resolver DNS Firewall on the VPC: a rule group that blocks the
 * AWS managed threat lists (answering NODATA) and the configured domains,
 * associated with the VPC; Resolver query logging of the VPC to a
 * KMS-encrypted log group; and an alarm when a query is blocked, counted by
 * a metric filter on the logged `firewall_rule_action`. DNS Firewall fails
 * closed (the default): when it cannot answer, queries are not resolved.
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall.html
 * and https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html
 */
export class DnsFirewall extends Construct {
  /** The rule group. */
  readonly ruleGroup: route53resolver.CfnFirewallRuleGroup;
  /** The Resolver query logs. */
  readonly logGroup: logs.ILogGroup;
  /** Blocked queries. */
  readonly blockedAlarm: PlatformAlarm;

  constructor(scope: Construct, id: string, props: DnsFirewallProps) {
    super(scope, id);
    const { vpc, settings, managedListIds } = props;
    const stack = Stack.of(this);
    const name = (suffix: string) => `${stack.stackName}-${suffix}`.slice(0, 64);

    const rules: route53resolver.CfnFirewallRuleGroup.FirewallRuleProperty[] = [];
    const ownList = (listId: string, domains: readonly string[] | undefined) =>
      domains && domains.length > 0
        ? new route53resolver.CfnFirewallDomainList(this, listId, {
            name: name(listId),
            domains: [...domains],
          }).attrId
        : undefined;
    const allowed = ownList('AllowedDomains', settings.allowedDomains);
    if (allowed) {
      rules.push({ priority: ALLOW_PRIORITY, action: 'ALLOW', firewallDomainListId: allowed });
    }
    const blocked = ownList('BlockedDomains', settings.blockedDomains);
    if (blocked) {
      rules.push({
        priority: BLOCK_PRIORITY,
        action: 'BLOCK',
        blockResponse: 'NODATA',
        firewallDomainListId: blocked,
      });
    }
    BLOCKED_MANAGED_DOMAIN_LISTS.forEach((list, index) =>
      rules.push({
        priority: MANAGED_PRIORITY + index * 100,
        action: 'BLOCK',
        blockResponse: 'NODATA',
        firewallDomainListId: managedListIds[list],
      }),
    );
    this.ruleGroup = new route53resolver.CfnFirewallRuleGroup(this, 'RuleGroup', {
      name: name('dns-firewall'),
      firewallRules: rules,
    });
    new route53resolver.CfnFirewallRuleGroupAssociation(this, 'Association', {
      firewallRuleGroupId: this.ruleGroup.attrId,
      vpcId: vpc.vpcId,
      // A VPC's rule groups run from the lowest priority up: room for an organisation's before this one.
      priority: 1000,
      name: name('dns-firewall'),
    });

    const { key } = new LogsEncryptionKey(this, 'Key', {
      description: 'Encrypts the Route 53 Resolver query logs of the VPC',
      removalPolicy: props.removalPolicy,
    });
    const logGroup = new logs.LogGroup(this, 'QueryLogs', {
      encryptionKey: key,
      retention: settings.queryLogRetentionDays,
      removalPolicy: props.removalPolicy,
    });
    const queryLogging = new route53resolver.CfnResolverQueryLoggingConfig(this, 'QueryLogging', {
      name: name('resolver-queries'),
      // The log group's ARN without the ":*" suffix its Arn attribute carries.
      destinationArn: stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    });
    new route53resolver.CfnResolverQueryLoggingConfigAssociation(this, 'QueryLoggingAssociation', {
      resolverQueryLogConfigId: queryLogging.attrId,
      resourceId: vpc.vpcId,
    });

    const metricName = `${stack.stackName}-BlockedQueries`;
    new logs.MetricFilter(this, 'BlockedQueries', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.firewall_rule_action', '=', 'BLOCK'),
      metricNamespace: DNS_FIREWALL_METRIC_NAMESPACE,
      metricName,
      metricValue: '1',
      defaultValue: 0,
    });
    const threshold = props.blockedQueriesThreshold;
    this.blockedAlarm = new PlatformAlarm(this, 'Blocked', {
      metric: new cloudwatch.Metric({
        namespace: DNS_FIREWALL_METRIC_NAMESPACE,
        metricName,
        statistic: 'Sum',
        period: Duration.minutes(5),
        label: 'blocked queries',
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `DNS Firewall blocked ${threshold} or more queries in five minutes: something in the VPC looked up a malware, command-and-control or blocked domain, so a task or function may be compromised (or a list names a domain a service needs).`,
      firstCheck:
        'which source and domain were blocked (the query log group, firewall_rule_action BLOCK: srcids, query_name, firewall_domain_list_id), and whether GuardDuty reports the same task.',
      runbook: 'dns-firewall-blocked',
      panel: {
        section: 'network',
        title: 'DNS Firewall blocked queries (5 min)',
        label: 'blocked',
      },
    });
    this.logGroup = logGroup;
  }
}
