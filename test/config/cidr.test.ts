import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  addressesForSubnets,
  addressesInPrefix,
  blocksOverlap,
  parseIpv4Cidr,
} from '../../config/cidr';

/** Whether the CDK Vpc can lay out three tiers with these masks in two AZs. */
function cdkAccepts(cidr: string, masks: readonly number[]): boolean {
  const stack = new Stack(new App(), 'Probe');
  const tiers = [
    ec2.SubnetType.PUBLIC,
    ec2.SubnetType.PRIVATE_WITH_EGRESS,
    ec2.SubnetType.PRIVATE_ISOLATED,
  ];
  try {
    new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      subnetConfiguration: tiers.map((subnetType, i) => ({
        name: `T${i}`,
        subnetType,
        cidrMask: masks[i],
      })),
    });
    return true;
  } catch {
    return false;
  }
}

describe('CIDR arithmetic', () => {
  test('parses only four-part CIDRs', () => {
    expect(parseIpv4Cidr('10.1.0.0/16')).toEqual({ start: 0x0a010000, prefix: 16 });
    expect(parseIpv4Cidr('10.1/16')).toBeUndefined();
    expect(parseIpv4Cidr('10.1.0.0')).toBeUndefined();
    expect(parseIpv4Cidr('300.1.0.0/16')).toBeUndefined();
  });

  test('detects overlap in either direction and not for neighbours', () => {
    const block = (cidr: string) => parseIpv4Cidr(cidr)!;
    expect(blocksOverlap(block('10.0.0.0/16'), block('10.0.200.0/24'))).toBe(true);
    expect(blocksOverlap(block('10.0.200.0/24'), block('10.0.0.0/16'))).toBe(true);
    expect(blocksOverlap(block('10.0.0.0/16'), block('10.1.0.0/16'))).toBe(false);
  });

  // The capacity rule must agree with how the CDK Vpc allocates subnets, or
  // the validator would reject layouts the CDK builds (or let through ones it cannot).
  test.each([
    ['10.0.0.0/21', [24, 22, 24]],
    ['10.0.0.0/20', [24, 22, 24]],
    ['10.0.0.0/20', [26, 22, 24]],
    ['10.0.0.0/22', [26, 24, 26]],
    ['10.0.0.0/22', [24, 24, 24]],
    ['10.0.0.0/16', [24, 20, 24]],
  ])('agrees with the CDK Vpc on whether %s fits masks %j in 2 AZs', (cidr, masks) => {
    const fits = addressesForSubnets(masks, 2) <= addressesInPrefix(parseIpv4Cidr(cidr)!.prefix);
    expect(fits).toBe(cdkAccepts(cidr, masks));
  });
});
