import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformVpc } from '../../../lib/constructs/network/platform-vpc';
import { acknowledgementsIn } from '../../helpers/acknowledgements';
import { developmentConfig } from '../../helpers/config-builder';
import { newTestApp } from '../../helpers/test-app';

describe('PlatformVpc', () => {
  describe('given pinned availability zones', () => {
    const stack = new Stack(newTestApp(), 'Fixture', { env: { region: 'ap-northeast-1' } });
    const network = {
      ...developmentConfig().network,
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    };
    new PlatformVpc(stack, 'Network', { network, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);

    test('places the subnets in exactly those AZs', () => {
      const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map(
        (s) => s.Properties.AvailabilityZone,
      );
      expect(new Set(azs)).toEqual(new Set(['ap-northeast-1a', 'ap-northeast-1c']));
    });

    test('acknowledges the linter warning about literal AZs on each subnet and nowhere else', () => {
      const acks = acknowledgementsIn(stack).filter(
        (ack) => !ack.byCdk && !ack.ruleId.includes('NIST'),
      );
      expect(acks).toHaveLength(6);
      for (const ack of acks) {
        expect(ack.ruleId).toBe('CloudFormation-Validate::W3010');
        expect(ack.path).toMatch(
          /^Fixture\/Network\/Vpc\/(Public|Private|Isolated)Subnet\d\/Subnet$/,
        );
      }
    });
  });

  describe('given no pinned availability zones', () => {
    const stack = new Stack(newTestApp(), 'Fixture');
    new PlatformVpc(stack, 'Network', {
      network: developmentConfig().network,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    test("acknowledges only the NAT gateways' route to the internet gateway, on each public subnet", () => {
      expect(
        acknowledgementsIn(stack)
          .filter((ack) => !ack.byCdk)
          .map((ack) => [ack.path, ack.ruleId]),
      ).toEqual([
        [
          'Fixture/Network/Vpc/PublicSubnet1/DefaultRoute',
          'Annotation::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        ],
        [
          'Fixture/Network/Vpc/PublicSubnet2/DefaultRoute',
          'Annotation::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        ],
      ]);
    });

    test('gives nothing launched in a public subnet a public IP address', () => {
      const subnets = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet'));
      expect(subnets.map((s) => s.Properties.MapPublicIpOnLaunch ?? false)).not.toContain(true);
    });
  });
});
