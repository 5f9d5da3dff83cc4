import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InterfaceEndpointName } from '../../../config';

/** Where a security group's HTTPS egress goes, and the rule's description. */
export interface HttpsEgress {
  /** The destination of the egress rule on 443. */
  readonly peer: ec2.IPeer;
  /** The rule's description: what is called, and through what. */
  readonly description: string;
}

/**
 * How clients in the VPC's private subnets reach AWS APIs over HTTPS: through
 * the VPC's interface endpoints where every API a client calls has one, so
 * its security group sends to the endpoints' group only; otherwise through
 * the NAT gateway, to any IPv4 address on 443 (AWS publishes no prefix list
 * for the regional API endpoints of Secrets Manager or SNS, only for S3,
 * DynamoDB and a few others:
 * https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
 */
export class AwsApiEgress {
  private readonly endpoints: ReadonlySet<InterfaceEndpointName>;

  /**
   * @param endpointSecurityGroup the group of the VPC's interface endpoints
   * @param endpoints the interface endpoints the VPC has
   */
  constructor(
    private readonly endpointSecurityGroup: ec2.ISecurityGroup,
    endpoints: readonly InterfaceEndpointName[],
  ) {
    this.endpoints = new Set(endpoints);
  }

  /** The egress of a client that calls exactly `apis`, described as `what`. */
  to(apis: readonly InterfaceEndpointName[], what: string): HttpsEgress {
    const missing = apis.filter((api) => !this.endpoints.has(api));
    return missing.length === 0
      ? { peer: this.endpointSecurityGroup, description: `${what} through the interface endpoints` }
      : {
          peer: ec2.Peer.anyIpv4(),
          description: `${what} through the NAT gateway (no interface endpoint for ${missing.join(', ')})`,
        };
  }

  /** The egress of a client that also calls hosts outside AWS's APIs (a public registry). */
  static internet(what: string): HttpsEgress {
    return { peer: ec2.Peer.anyIpv4(), description: `${what} through the NAT gateway` };
  }
}
