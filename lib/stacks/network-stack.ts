import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformSubnets, PlatformVpc } from '../constructs/network/platform-vpc';
import { removalPolicyOf } from '../defaults';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/**
 * The environment's network. Later stacks take {@link vpc} and {@link subnets}
 * as typed references (no IDs or ARNs passed around as strings).
 */
export class NetworkStack extends PlatformStack {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnet selections by tier. */
  readonly subnets: PlatformSubnets;
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const network = new PlatformVpc(this, 'Network', {
      network: props.config.network,
      removalPolicy: removalPolicyOf(props.config.removalPolicy),
    });
    this.vpc = network.vpc;
    this.subnets = network.subnets;
    this.endpointSecurityGroup = network.endpointSecurityGroup;
  }
}
