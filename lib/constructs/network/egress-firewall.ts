import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import { Construct, IConstruct } from 'constructs';
import { FIREWALL_SUBNET_MASK, NetworkConfig, subnetsAfter } from '../../../config';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';
import { PlatformAlarm } from '../operations/platform-alarm';
import { PlatformVpc } from './platform-vpc';

/** Properties of {@link EgressFirewall}. */
export interface EgressFirewallProps {
  /** The VPC whose private subnets' egress the firewall inspects; it routes them through it. */
  readonly platformVpc: PlatformVpc;
  /** The VPC settings: pinned AZs, CIDR, subnet masks and the firewall's log retention. */
  readonly network: NetworkConfig;
  /** The domains the firewall allows (`config.derived.egressAllowList`). */
  readonly allowedDomains: readonly string[];
  /** Delete, policy-change and subnet-change protection of the firewall (the tier's). */
  readonly protection: boolean;
  /** Dropped packets in five minutes at which the alarm fires. */
  readonly droppedPacketsThreshold: number;
  /** What happens to the log groups and their key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Capacity of the domain rule group. It cannot change once the group exists,
 * so it is fixed with room for a long allow-list instead of following the
 * list's length: with TLS SNI and HTTP Host the first domain takes 3 and each
 * further one 2, so 1000 holds 499 domains (`MAX_ALLOWED_DOMAINS` keeps the
 * configured ones below that, with room for the platform's).
 * Checked 2026-12-02: https://docs.aws.amazon.com/network-firewall/latest/developerguide/nwfw-rule-group-capacity.html
 * and https://github.com/aws/aws-security-services-best-practices (Network Firewall guide, rule groups).
 */
const RULE_GROUP_CAPACITY = 1000;

/**
 * AWS Network Firewall between the private subnets and the NAT gateways: a
 * firewall subnet (/28) per AZ after the VPC's other subnets, a stateful
 * domain allow-list of TLS SNI and HTTP Host (ALLOWLIST) in a strict-order
 * policy that drops and alerts on every other established flow (stateless
 * traffic goes to the stateful engine), alert and flow logs to KMS-encrypted
 * log groups, and an alarm on dropped packets. It has the private subnets
 * route their internet egress through the endpoint of their AZ, the firewall
 * subnets route to the NAT gateway the private subnet used, and the public
 * subnets route each private subnet's replies back through the same endpoint
 * (a symmetric path, which stateful inspection needs).
 * Domain lists: https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html
 * NAT gateway deployment: https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
 * Strict order with drop and alert established, symmetric routing (checked 2026-12-02):
 * https://github.com/aws/aws-security-services-best-practices/blob/main/docs/en/guides/network-firewall/index.md
 */
export class EgressFirewall extends Construct {
  /** The firewall. */
  readonly firewall: networkfirewall.CfnFirewall;
  /** The stateful domain allow-list. */
  readonly ruleGroup: networkfirewall.CfnRuleGroup;
  /** The firewall policy. */
  readonly policy: networkfirewall.CfnFirewallPolicy;
  /** The alert log: dropped flows, with the domain (SNI or Host) they asked for. */
  readonly alertLogs: logs.ILogGroup;
  /** The flow log of the firewall. */
  readonly flowLogs: logs.ILogGroup;
  /** Dropped packets. */
  readonly droppedAlarm: PlatformAlarm;

  constructor(scope: Construct, id: string, props: EgressFirewallProps) {
    super(scope, id);
    const { platformVpc, network } = props;
    const azs = network.availabilityZones;
    if (!azs) {
      throw new Error('network.networkFirewall needs network.availabilityZones pinned');
    }
    const stack = Stack.of(this);
    const name = (suffix: string) => `${stack.stackName}-${suffix}`.slice(0, 128);

    const cidrs = subnetsAfter(
      network.vpcCidr,
      [
        network.subnetMasks.public,
        network.subnetMasks.privateWithEgress,
        network.subnetMasks.isolated,
      ],
      network.azCount,
      FIREWALL_SUBNET_MASK,
    );
    const subnets = azs.map((az, index) => {
      const subnet = new ec2.Subnet(this, `Subnet${index + 1}`, {
        vpcId: platformVpc.vpc.vpcId,
        availabilityZone: az,
        cidrBlock: cidrs[index],
        mapPublicIpOnLaunch: false,
      });
      subnet.addRoute('DefaultRoute', {
        routerType: ec2.RouterType.NAT_GATEWAY,
        routerId: platformVpc.natGatewayIdOf(az),
      });
      // Literal AZ names are pinned on purpose (see PlatformVpc).
      Validations.of(subnet.node.defaultChild as IConstruct).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason:
          'AZ names are pinned in config/<env>.ts on purpose (network.availabilityZones): the firewall endpoints are found by them.',
      });
      return subnet;
    });

    this.ruleGroup = new networkfirewall.CfnRuleGroup(this, 'AllowedDomains', {
      ruleGroupName: name('egress-domains'),
      type: 'STATEFUL',
      capacity: RULE_GROUP_CAPACITY,
      description: 'Domains the VPC may reach through the NAT gateways (TLS SNI, HTTP Host)',
      ruleGroup: {
        statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
        rulesSource: {
          rulesSourceList: {
            generatedRulesType: 'ALLOWLIST',
            targetTypes: ['TLS_SNI', 'HTTP_HOST'],
            targets: [...props.allowedDomains],
          },
        },
      },
    });
    this.policy = new networkfirewall.CfnFirewallPolicy(this, 'Policy', {
      firewallPolicyName: name('egress'),
      firewallPolicy: {
        // Every packet goes to the stateful engine, which decides on the domain.
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
        // Drop what no allowed domain passed once the connection is established (the
        // handshake passes, so the SNI or Host can be read), and log it. A strict-order
        // domain list makes no drop rules of its own: this default action is the block.
        statefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
        statefulRuleGroupReferences: [
          { resourceArn: this.ruleGroup.attrRuleGroupArn, priority: 100 },
        ],
      },
    });
    this.firewall = new networkfirewall.CfnFirewall(this, 'Firewall', {
      firewallName: name('egress'),
      description: 'Domain allow-list of the private subnets egress through the NAT gateways',
      vpcId: platformVpc.vpc.vpcId,
      firewallPolicyArn: this.policy.attrFirewallPolicyArn,
      subnetMappings: subnets.map((subnet) => ({ subnetId: subnet.subnetId })),
      deleteProtection: props.protection,
      firewallPolicyChangeProtection: props.protection,
      subnetChangeProtection: props.protection,
    });

    const { key } = new LogsEncryptionKey(this, 'Key', {
      description: 'Encrypts the alert and flow logs of the Network Firewall',
      removalPolicy: props.removalPolicy,
    });
    const logGroup = (logId: string) =>
      new logs.LogGroup(this, logId, {
        encryptionKey: key,
        retention: props.network.networkFirewall?.logRetentionDays,
        removalPolicy: props.removalPolicy,
      });
    this.alertLogs = logGroup('AlertLogs');
    this.flowLogs = logGroup('FlowLogs');
    const destination = (logType: string, group: logs.ILogGroup) => ({
      logType,
      logDestinationType: 'CloudWatchLogs',
      logDestination: { logGroup: group.logGroupName },
    });
    new networkfirewall.CfnLoggingConfiguration(this, 'Logging', {
      firewallArn: this.firewall.attrFirewallArn,
      loggingConfiguration: {
        logDestinationConfigs: [
          destination('ALERT', this.alertLogs),
          destination('FLOW', this.flowLogs),
        ],
      },
    });

    platformVpc.routeEgressThrough((az) => this.endpointIdOf(az));

    // The stateful engine's drops, per AZ (dimensions FirewallName, AvailabilityZone, Engine),
    // checked 2026-12-02. See https://docs.aws.amazon.com/network-firewall/latest/developerguide/monitoring-cloudwatch.html
    const dropped = Object.fromEntries(
      azs.map((az, index) => [
        `az${index + 1}`,
        new cloudwatch.Metric({
          namespace: 'AWS/NetworkFirewall',
          metricName: 'DroppedPackets',
          dimensionsMap: {
            FirewallName: this.firewall.firewallName,
            AvailabilityZone: az,
            Engine: 'Stateful',
          },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
      ]),
    );
    const threshold = props.droppedPacketsThreshold;
    this.droppedAlarm = new PlatformAlarm(this, 'Dropped', {
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(dropped).join(' + '),
        usingMetrics: dropped,
        period: Duration.minutes(5),
        label: 'dropped packets',
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      impact: `Network Firewall dropped ${threshold} or more packets in five minutes: something in the private subnets called a domain that is not on the allow-list, so a service lost a dependency (a new or moved domain) or a task is calling somewhere it should not.`,
      firstCheck:
        'which source and domain were dropped (the alert log group: event.src_ip, event.tls.sni or event.http.hostname), and whether GuardDuty reports the same task.',
      runbook: 'network-firewall-dropped',
      panel: {
        section: 'network',
        title: 'Network Firewall dropped packets (5 min)',
        label: 'dropped',
      },
    });
  }

  /**
   * The ID of the firewall endpoint in `az`. `EndpointIds` lists
   * `"<az>:<endpoint-id>"` in no particular order, so the template cuts the
   * one of this AZ out of the joined list by its literal AZ name (an
   * `Fn::Split` delimiter cannot be computed: hence pinned AZs).
   * See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-networkfirewall-firewall.html#aws-resource-networkfirewall-firewall-return-values
   */
  endpointIdOf(az: string): string {
    const joined = Fn.join(',', this.firewall.attrEndpointIds);
    return Fn.select(0, Fn.split(',', Fn.select(1, Fn.split(`${az}:`, joined))));
  }
}
