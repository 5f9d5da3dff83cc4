import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformSubnets, PlatformVpc } from '../constructs/network/platform-vpc';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** What other stacks use of the network. */
export interface NetworkHandles {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnet selections by tier. */
  readonly subnets: PlatformSubnets;
  /** Security group of the interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
}

/** The environment's network: the {@link PlatformVpc}. */
export class NetworkStack extends PlatformStack {
  /** What other stacks take. */
  readonly network: NetworkHandles;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { vpc, subnets, endpointSecurityGroup } = new PlatformVpc(this, 'Network', {
      network: props.config.network,
      removalPolicy: props.config.derived.removalPolicy,
    });
    this.network = { vpc, subnets, endpointSecurityGroup };
  }
}
