import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { addPlatform } from '../../lib/platform-app';
import { changed, developmentConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'network stack of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const template = templateOf(stage.network);
    const { azCount, natGateways, interfaceEndpoints } = config.network;

    test('has one VPC with the configured CIDR', () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.hasResourceProperties('AWS::EC2::VPC', {
        CidrBlock: config.network.vpcCidr,
        EnableDnsHostnames: true,
        EnableDnsSupport: true,
      });
    });

    test('has public, private-with-egress and isolated subnets in every AZ', () => {
      const subnets = template.findResources('AWS::EC2::Subnet');
      const byTier = (tier: string) =>
        Object.values(subnets).filter((subnet) =>
          subnet.Properties.Tags.some(
            (tag: { Key: string; Value: string }) =>
              tag.Key === 'aws-cdk:subnet-name' && tag.Value === tier,
          ),
        );
      for (const tier of ['Public', 'Private', 'Isolated']) {
        expect(byTier(tier)).toHaveLength(azCount);
      }
      expect(Object.keys(subnets)).toHaveLength(3 * azCount);
      // Only public subnets give instances public addresses.
      for (const subnet of byTier('Private').concat(byTier('Isolated'))) {
        expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
      }
    });

    test('spans the configured AZs without a context lookup', () => {
      const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map(
        (subnet) => subnet.Properties.AvailabilityZone,
      );
      const expected = config.network.availabilityZones
        ? config.network.availabilityZones
        : Array.from({ length: azCount }, (_, i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] }));
      expect(azs).toEqual(expect.arrayContaining(expected as unknown[]));
      expect(stage.network.availabilityZones).toHaveLength(azCount);
    });

    test(`has ${natGateways} NAT gateway(s) and routes every private subnet through one`, () => {
      template.resourceCountIs('AWS::EC2::NatGateway', natGateways);
      template.resourcePropertiesCountIs(
        'AWS::EC2::Route',
        { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() },
        azCount,
      );
    });

    test('has no Network Firewall: it is off unless network.networkFirewall is set', () => {
      expect(config.network.networkFirewall).toBeUndefined();
      expect(stage.network.egressFirewall).toBeUndefined();
      for (const type of ['Firewall', 'FirewallPolicy', 'RuleGroup', 'LoggingConfiguration']) {
        template.resourceCountIs(`AWS::NetworkFirewall::${type}`, 0);
      }
    });

    test('isolated subnets have no route to the internet', () => {
      const routes = Object.values(template.findResources('AWS::EC2::Route')).filter(
        (route) => route.Properties.DestinationCidrBlock === '0.0.0.0/0',
      );
      // One default route per public subnet (IGW) and per private subnet (NAT); none for isolated.
      expect(routes).toHaveLength(2 * azCount);
    });

    test('has an S3 gateway endpoint on the private and isolated route tables', () => {
      const gateways = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter(
        (endpoint) => endpoint.Properties.VpcEndpointType === 'Gateway',
      );
      expect(gateways).toHaveLength(1);
      const [gateway] = gateways;
      expect(gateway.Properties.ServiceName).toEqual(
        stage.network.resolve(ec2.GatewayVpcEndpointAwsService.S3.name),
      );
      const { vpc } = stage.network.network;
      const routeTables = [...vpc.privateSubnets, ...vpc.isolatedSubnets].map(
        (subnet) => subnet.routeTable.routeTableId,
      );
      expect(routeTables).toHaveLength(2 * azCount);
      expect(gateway.Properties.RouteTableIds).toEqual(stage.network.resolve(routeTables));
    });

    test('has exactly the configured interface endpoints, with private DNS', () => {
      const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter(
        (endpoint) => endpoint.Properties.VpcEndpointType === 'Interface',
      );
      expect(endpoints.map((endpoint) => endpoint.Properties.ServiceName).sort()).toEqual(
        interfaceEndpoints.map((service) => `com.amazonaws.${config.region}.${service}`).sort(),
      );
      for (const endpoint of endpoints) {
        expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
        expect(endpoint.Properties.SubnetIds).toHaveLength(azCount);
      }
    });

    test('the endpoint security group accepts HTTPS from the VPC only and sends nothing', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Interface VPC endpoints: HTTPS from inside the VPC',
        SecurityGroupIngress: [
          Match.objectLike({
            CidrIp: config.network.vpcCidr,
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
          }),
        ],
        // The CDK's marker for "no egress": a rule matching no traffic.
        SecurityGroupEgress: [
          Match.objectLike({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }),
        ],
      });
    });

    test('strips every rule from the default security group', () => {
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    });

    test('logs all traffic to a KMS-encrypted log group with the configured retention', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: config.network.flowLogRetentionDays,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FlowLogKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('lets CloudWatch Logs use the flow-log key only for log groups of this account and region', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: {
                Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': [
                      '',
                      Match.arrayWith([
                        ':logs:',
                        { Ref: 'AWS::Region' },
                        { Ref: 'AWS::AccountId' },
                        ':log-group:*',
                      ]),
                    ],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    test('keeps the flow logs, the query logs and their keys per the removal policy', () => {
      const expected = config.removalPolicy === 'destroy' ? 'Delete' : 'Retain';
      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: expected,
        UpdateReplacePolicy: expected,
      });
      template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: expected,
        UpdateReplacePolicy: expected,
      });
    });

    test('blocks the AWS managed threat lists of its region on the VPC with DNS Firewall', () => {
      template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroup', 1);
      template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroup', {
        FirewallRules: [
          'rslvr-fdl-dc19e97bef3c454a', // AWSManagedDomainsMalwareDomainList, ap-northeast-1
          'rslvr-fdl-1a63d8549cca46e6', // AWSManagedDomainsBotnetCommandandControl
          'rslvr-fdl-103b4302c274455e', // AWSManagedDomainsAggregateThreatList
        ].map((listId, index) => ({
          Priority: 300 + index * 100,
          Action: 'BLOCK',
          BlockResponse: 'NODATA',
          FirewallDomainListId: listId,
        })),
      });
      template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroupAssociation', {
        FirewallRuleGroupId: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^DnsFirewallRuleGroup'), 'Id'],
        },
        VpcId: { Ref: Match.stringLikeRegexp('^NetworkVpc') },
      });
      // The shipped environments add no domains of their own.
      template.resourceCountIs('AWS::Route53Resolver::FirewallDomainList', 0);
    });

    test("logs the VPC's Resolver queries to a KMS-encrypted log group with the configured retention", () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: config.network.dnsFirewall.queryLogRetentionDays,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DnsFirewallKey'), 'Arn'] },
      });
      // The log group's ARN without the ":*" of its Arn attribute, which Resolver refuses.
      const [logging] = Object.values(
        template.findResources('AWS::Route53Resolver::ResolverQueryLoggingConfig'),
      );
      expect(JSON.stringify(logging.Properties.DestinationArn)).toMatch(
        /:log-group:",\{"Ref":"DnsFirewallQueryLogs[0-9A-F]+"\}\]\]\}$/,
      );
      template.hasResourceProperties(
        'AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation',
        {
          ResolverQueryLogConfigId: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^DnsFirewallQueryLogging'), 'Id'],
          },
          ResourceId: { Ref: Match.stringLikeRegexp('^NetworkVpc') },
        },
      );
    });

    test('alarms on blocked queries counted from the query logs', () => {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: '{ $.firewall_rule_action = "BLOCK" }',
        LogGroupName: { Ref: Match.stringLikeRegexp('^DnsFirewallQueryLogs') },
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: 'Platform/DnsFirewall',
            MetricValue: '1',
            DefaultValue: 0,
          }),
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${stage.network.stackName}-DnsFirewall-Blocked`,
        Metrics: [
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ Namespace: 'Platform/DnsFirewall' }),
              Period: 300,
              Stat: 'Sum',
            }),
          }),
        ],
        Threshold: stage.config.derived.alarmThresholds.dnsFirewallBlockedQueries,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    test('tags every resource with environment, project and owner', () => {
      const vpc = Object.values(template.findResources('AWS::EC2::VPC'))[0];
      expect(vpc.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'Environment', Value: config.name },
          { Key: 'Project', Value: config.tags.project },
          { Key: 'Owner', Value: config.tags.owner },
        ]),
      );
    });

    test('is bound to the configured account and region, or environment-agnostic', () => {
      const { account, region } = stage.network;
      expect(Token.isUnresolved(account) ? undefined : account).toBe(config.account);
      expect(Token.isUnresolved(region) ? undefined : region).toBe(config.region);
    });

    test('is protected from deletion in production only', () => {
      expect(stage.network.terminationProtection).toBe(config.tier === 'production');
    });
  },
);

describe('DNS Firewall domains of an environment', () => {
  const template = () => {
    const settings = changed(developmentConfig(), (d) => {
      d.network.dnsFirewall.allowedDomains = ['updates.example.com'];
      d.network.dnsFirewall.blockedDomains = ['*.exfiltration.example'];
    });
    const [stage] = addPlatform(newTestApp(), [validated(settings)]);
    return Template.fromStack(stage.network);
  };

  test('allows the allowed domains before any block rule, then blocks its own list', () => {
    const network = template();
    network.hasResourceProperties('AWS::Route53Resolver::FirewallDomainList', {
      Domains: ['updates.example.com'],
    });
    network.hasResourceProperties('AWS::Route53Resolver::FirewallDomainList', {
      Domains: ['*.exfiltration.example'],
    });
    const [group] = Object.values(network.findResources('AWS::Route53Resolver::FirewallRuleGroup'));
    const rules = group.Properties.FirewallRules;
    expect(
      rules.map((rule: { Action: string; Priority: number }) => [rule.Priority, rule.Action]),
    ).toEqual([
      [100, 'ALLOW'],
      [200, 'BLOCK'],
      [300, 'BLOCK'],
      [400, 'BLOCK'],
      [500, 'BLOCK'],
    ]);
    expect(rules[0].FirewallDomainListId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^DnsFirewallAllowedDomains/), 'Id'],
    });
    expect(rules[1].FirewallDomainListId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^DnsFirewallBlockedDomains/), 'Id'],
    });
  });
});
