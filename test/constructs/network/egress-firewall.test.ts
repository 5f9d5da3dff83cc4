import { Match, Template } from 'aws-cdk-lib/assertions';
import { ECR_PUBLIC_DOMAINS, EnvironmentConfig, platformEgressDomains } from '../../../config';
import { addPlatform } from '../../../lib/platform-app';
import { PlatformStage } from '../../../lib/stages/platform-stage';
import {
  changed,
  developmentConfig,
  productionConfig,
  validated,
  withNetworkFirewall,
} from '../../helpers/config-builder';
import { newTestApp } from '../../helpers/test-app';

type Resource = { Type: string; Properties: Record<string, any> };

/** One stage per configuration, synthesized once for the file. */
function stageOf(settings: unknown): { stage: PlatformStage; template: Template } {
  const [stage] = addPlatform(newTestApp(), [validated(settings)]);
  return { stage, template: Template.fromStack(stage.network) };
}

/** The endpoint ID the template cuts out of the firewall's `EndpointIds` for `az`. */
const endpointOf = (az: string) => ({
  'Fn::Select': [
    0,
    {
      'Fn::Split': [
        ',',
        {
          'Fn::Select': [
            1,
            {
              'Fn::Split': [
                `${az}:`,
                {
                  'Fn::Join': [
                    ',',
                    {
                      'Fn::GetAtt': [
                        Match.stringLikeRegexp('^EgressFirewall[0-9A-F]{8}$'),
                        'EndpointIds',
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
});

const resourcesOf = (template: Template, type: string): Record<string, Resource> =>
  template.findResources(type) as Record<string, Resource>;

describe.each([
  ['development (two AZs, one NAT gateway)', withNetworkFirewall(developmentConfig())],
  ['production (three AZs, a NAT gateway each)', withNetworkFirewall(productionConfig())],
])('Network Firewall in %s', (_name, settings) => {
  const { stage, template } = stageOf(settings);
  const config: EnvironmentConfig = stage.config;
  const azs = config.network.availabilityZones!;
  const firewallSubnets = Object.entries(resourcesOf(template, 'AWS::EC2::Subnet')).filter(([id]) =>
    id.startsWith('EgressFirewallSubnet'),
  );

  test('has a /28 firewall subnet per AZ after the other subnets, with no public addresses', () => {
    expect(firewallSubnets.map(([, subnet]) => subnet.Properties.AvailabilityZone)).toEqual(azs);
    const others = Object.entries(resourcesOf(template, 'AWS::EC2::Subnet'))
      .filter(([id]) => !id.startsWith('EgressFirewallSubnet'))
      .map(([, subnet]) => subnet.Properties.CidrBlock as string);
    const start = (cidr: string) =>
      cidr
        .split('/')[0]
        .split('.')
        .reduce((sum, octet) => sum * 256 + Number(octet), 0);
    const end = (cidr: string) => start(cidr) + 2 ** (32 - Number(cidr.split('/')[1]));
    const lastOther = Math.max(...others.map(end));
    for (const [, subnet] of firewallSubnets) {
      expect(subnet.Properties.CidrBlock).toMatch(/\/28$/);
      expect(start(subnet.Properties.CidrBlock)).toBeGreaterThanOrEqual(lastOther);
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
    expect(new Set(firewallSubnets.map(([, s]) => s.Properties.CidrBlock)).size).toBe(azs.length);
  });

  test('allows the platform domains and the configured ones by TLS SNI and HTTP Host, in strict order', () => {
    template.resourceCountIs('AWS::NetworkFirewall::RuleGroup', 1);
    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      Type: 'STATEFUL',
      Capacity: 1000,
      RuleGroup: {
        StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
        RulesSource: {
          RulesSourceList: {
            GeneratedRulesType: 'ALLOWLIST',
            TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
            Targets: [...ECR_PUBLIC_DOMAINS, '.ap-northeast-1.amazonaws.com', '.example.com'],
          },
        },
      },
    });
  });

  test('forwards every packet to the stateful engine, which drops and alerts on what no domain passed', () => {
    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: {
        StatelessDefaultActions: ['aws:forward_to_sfe'],
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
        StatefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
        StatefulRuleGroupReferences: [
          {
            Priority: 100,
            ResourceArn: {
              'Fn::GetAtt': [
                Match.stringLikeRegexp('^EgressFirewallAllowedDomains'),
                'RuleGroupArn',
              ],
            },
          },
        ],
      },
    });
  });

  test('puts an endpoint in each firewall subnet, protected from deletion and change in production only', () => {
    const protection = config.tier === 'production';
    template.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
    template.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      VpcId: { Ref: Match.stringLikeRegexp('^NetworkVpc') },
      SubnetMappings: firewallSubnets.map(([id]) => ({ SubnetId: { Ref: id } })),
      DeleteProtection: protection,
      FirewallPolicyChangeProtection: protection,
      SubnetChangeProtection: protection,
    });
  });

  test("routes each private subnet's egress to the firewall endpoint of its AZ, not to a NAT gateway", () => {
    const { vpc } = stage.network.network;
    expect(vpc.privateSubnets.map((subnet) => subnet.availabilityZone)).toEqual(azs);
    for (const subnet of vpc.privateSubnets) {
      const routeTable = stage.network.resolve(subnet.routeTable.routeTableId);
      const defaults = Object.values(resourcesOf(template, 'AWS::EC2::Route')).filter(
        (route) =>
          route.Properties.DestinationCidrBlock === '0.0.0.0/0' &&
          JSON.stringify(route.Properties.RouteTableId) === JSON.stringify(routeTable),
      );
      expect(defaults).toHaveLength(1);
      expect(defaults[0].Properties.NatGatewayId).toBeUndefined();
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: routeTable,
        DestinationCidrBlock: '0.0.0.0/0',
        VpcEndpointId: endpointOf(subnet.availabilityZone),
      });
    }
  });

  test('routes each firewall subnet to the NAT gateway its private subnet used (its own AZ, or the only one)', () => {
    const nats = Object.keys(resourcesOf(template, 'AWS::EC2::NatGateway'));
    expect(nats).toHaveLength(config.network.natGateways);
    firewallSubnets.forEach(([id], index) => {
      const nat =
        nats.length === 1 ? nats[0] : nats.find((n) => n.includes(`PublicSubnet${index + 1}`));
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: {
          Ref: Match.stringLikeRegexp(`^${id.replace(/Subnet[0-9A-F]+$/, '')}RouteTable`),
        },
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: nat },
      });
    });
  });

  test("routes the replies to each private subnet, in every public subnet, through that subnet's endpoint", () => {
    const { vpc } = stage.network.network;
    for (const publicSubnet of vpc.publicSubnets) {
      for (const subnet of vpc.privateSubnets) {
        template.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: stage.network.resolve(publicSubnet.routeTable.routeTableId),
          DestinationCidrBlock: subnet.ipv4CidrBlock,
          VpcEndpointId: endpointOf(subnet.availabilityZone),
        });
      }
    }
  });

  test('logs alerts and flows to KMS-encrypted log groups with the configured retention', () => {
    template.hasResourceProperties('AWS::NetworkFirewall::LoggingConfiguration', {
      FirewallArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^EgressFirewall[0-9A-F]{8}$'), 'FirewallArn'],
      },
      LoggingConfiguration: {
        LogDestinationConfigs: [
          {
            LogType: 'ALERT',
            LogDestinationType: 'CloudWatchLogs',
            LogDestination: {
              logGroup: { Ref: Match.stringLikeRegexp('^EgressFirewallAlertLogs') },
            },
          },
          {
            LogType: 'FLOW',
            LogDestinationType: 'CloudWatchLogs',
            LogDestination: {
              logGroup: { Ref: Match.stringLikeRegexp('^EgressFirewallFlowLogs') },
            },
          },
        ],
      },
    });
    const groups = Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).filter(([id]) =>
      id.startsWith('EgressFirewall'),
    );
    expect(groups).toHaveLength(2);
    for (const [, group] of groups) {
      expect(group.Properties.RetentionInDays).toBe(
        config.network.networkFirewall!.logRetentionDays,
      );
      expect(group.Properties.KmsKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^EgressFirewallKey/), 'Arn'],
      });
    }
  });

  test('alarms on the packets the stateful engine dropped in any AZ', () => {
    const [alarm] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.AlarmName === `${stage.network.stackName}-EgressFirewall-Dropped`,
    );
    expect(alarm).toBeDefined();
    expect(alarm.Properties.Threshold).toBe(
      config.derived.alarmThresholds.networkFirewallDroppedPackets,
    );
    expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    const metrics = alarm.Properties.Metrics.filter((m: any) => m.MetricStat);
    expect(metrics.map((m: any) => m.MetricStat.Metric.Dimensions)).toEqual(
      azs.map((az) => [
        { Name: 'AvailabilityZone', Value: az },
        { Name: 'Engine', Value: 'Stateful' },
        { Name: 'FirewallName', Value: `${stage.network.stackName}-egress` },
      ]),
    );
    for (const metric of metrics) {
      expect(metric.MetricStat).toMatchObject({
        Metric: { Namespace: 'AWS/NetworkFirewall', MetricName: 'DroppedPackets' },
        Period: 300,
        Stat: 'Sum',
      });
    }
  });
});

describe('Network Firewall switched off', () => {
  const pinned = changed(developmentConfig(), (d) => {
    d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c'];
  });
  const off = stageOf(pinned).template;
  const on = stageOf(withNetworkFirewall(developmentConfig())).template;

  test('leaves no firewall resource', () => {
    for (const type of ['Firewall', 'FirewallPolicy', 'RuleGroup', 'LoggingConfiguration']) {
      off.resourceCountIs(`AWS::NetworkFirewall::${type}`, 0);
    }
  });

  test('switching it on keeps every other resource, with the same logical IDs and CIDRs', () => {
    const before = off.toJSON().Resources as Record<string, Resource>;
    const after = on.toJSON().Resources as Record<string, Resource>;
    // Only the private subnets' default routes change (NAT gateway -> firewall endpoint).
    const rerouted = Object.keys(before).filter((id) =>
      /^NetworkVpcPrivateSubnet\dDefaultRoute/.test(id),
    );
    expect(rerouted).toHaveLength(2);
    for (const [id, resource] of Object.entries(before)) {
      if (!rerouted.includes(id)) {
        expect({ id, resource: after[id] }).toEqual({ id, resource });
      }
    }
  });
});

describe('the domains the platform allows itself', () => {
  test('are ECR Public and the AWS APIs of the region, and the Datadog site when the agent runs', () => {
    expect(platformEgressDomains({ region: 'ap-northeast-1', application: {} })).toEqual([
      ...ECR_PUBLIC_DOMAINS,
      '.ap-northeast-1.amazonaws.com',
    ]);
    expect(
      platformEgressDomains({
        region: 'ap-south-1',
        application: { datadog: { site: 'ap1.datadoghq.com' } },
      }),
    ).toEqual([...ECR_PUBLIC_DOMAINS, '.ap-south-1.amazonaws.com', '.ap1.datadoghq.com']);
  });
});
