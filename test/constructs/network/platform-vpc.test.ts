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
      const acks = acknowledgementsIn(stack).filter((ack) => !ack.byCdk);
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
    test('acknowledges nothing', () => {
      const stack = new Stack(newTestApp(), 'Fixture');
      new PlatformVpc(stack, 'Network', {
        network: developmentConfig().network,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      expect(acknowledgementsIn(stack).filter((ack) => !ack.byCdk)).toEqual([]);
    });
  });
});
