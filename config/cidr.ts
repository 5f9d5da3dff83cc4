import * as ipaddr from 'ipaddr.js';

/** An IPv4 CIDR block as numbers, for overlap and capacity checks. */
export interface Ipv4Block {
  /** First address as an unsigned 32-bit integer. */
  readonly start: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const FOUR_PART_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * Parses `a.b.c.d/n` strictly (four decimal parts, n in 0-32).
 * ipaddr.js alone also accepts legacy forms such as `10.0/16`.
 */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  if (!FOUR_PART_CIDR.test(cidr) || !ipaddr.IPv4.isValidCIDR(cidr)) {
    return undefined;
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const octets = address.toByteArray();
  const start = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { start, prefix };
}

/** The network address of a CIDR (`10.0.1.0/16` -> `10.0.0.0/16`). */
export function networkAddressOf(cidr: string): string {
  const [, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${prefix}`;
}

function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Whether two blocks share at least one address. */
export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.start + size(a.prefix);
  const bEnd = b.start + size(b.prefix);
  return a.start < bEnd && b.start < aEnd;
}

/**
 * Addresses the subnets need inside a VPC of `vpcPrefix`, allocated the way
 * the CDK `Vpc` does: tier by tier, one subnet per AZ, each aligned to its own
 * size. Returns the number of addresses used (alignment gaps included).
 */
export function addressesForSubnets(tierMasks: readonly number[], azCount: number): number {
  let cursor = 0;
  for (const mask of tierMasks) {
    const subnetSize = size(mask);
    for (let az = 0; az < azCount; az++) {
      cursor = Math.ceil(cursor / subnetSize) * subnetSize + subnetSize;
    }
  }
  return cursor;
}

/** Number of addresses in a block of this prefix length. */
export function addressesInPrefix(prefix: number): number {
  return size(prefix);
}

/**
 * The CIDRs of one subnet per AZ of prefix `mask`, allocated after the tiers
 * of `tierMasks` the way {@link addressesForSubnets} counts them: the subnets
 * the CDK `Vpc` allocated keep their ranges, and these follow them.
 */
export function subnetsAfter(
  vpcCidr: string,
  tierMasks: readonly number[],
  azCount: number,
  mask: number,
): string[] {
  const block = parseIpv4Cidr(vpcCidr);
  if (!block) {
    throw new Error(`"${vpcCidr}" is not an IPv4 CIDR`);
  }
  const first = addressesForSubnets(tierMasks, azCount);
  const subnetSize = size(mask);
  const start = Math.ceil(first / subnetSize) * subnetSize;
  return Array.from({ length: azCount }, (_, az) => {
    const address = (block.start + start + az * subnetSize) >>> 0;
    const octets = [24, 16, 8, 0].map((shift) => (address >>> shift) & 255);
    return `${octets.join('.')}/${mask}`;
  });
}
