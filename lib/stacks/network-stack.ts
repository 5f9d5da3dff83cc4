import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AwsApiEgress } from '../constructs/network/aws-api-egress';
import { DnsFirewall } from '../constructs/network/dns-firewall';
import { EgressFirewall } from '../constructs/network/egress-firewall';
import { PlatformSubnets, PlatformVpc } from '../constructs/network/platform-vpc';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** What other stacks use of the network. */
export interface NetworkHandles {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnet selections by tier. */
  readonly subnets: PlatformSubnets;
  /** How private clients reach AWS APIs: the interface endpoints, or the NAT gateway. */
  readonly awsApis: AwsApiEgress;
}

/**
 * The environment's network: the {@link PlatformVpc}, the {@link DnsFirewall}
 * on it, and the {@link EgressFirewall} when `network.networkFirewall` is set.
 */
export class NetworkStack extends PlatformStack {
  /** What other stacks take. */
  readonly network: NetworkHandles;
  /** DNS Firewall and query logging of the VPC. */
  readonly dnsFirewall: DnsFirewall;
  /** Network Firewall in front of the NAT egress, when configured. */
  readonly egressFirewall?: EgressFirewall;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { network, derived } = props.config;
    const platformVpc = new PlatformVpc(this, 'Network', {
      network,
      removalPolicy: derived.removalPolicy,
    });
    const { vpc, subnets, endpointSecurityGroup } = platformVpc;
    this.dnsFirewall = new DnsFirewall(this, 'DnsFirewall', {
      vpc,
      settings: network.dnsFirewall,
      managedListIds: derived.managedDomainListIds,
      blockedQueriesThreshold: derived.alarmThresholds.dnsFirewallBlockedQueries,
      removalPolicy: derived.removalPolicy,
    });
    if (derived.egressAllowList) {
      this.egressFirewall = new EgressFirewall(this, 'EgressFirewall', {
        platformVpc,
        network,
        allowedDomains: derived.egressAllowList,
        protection: derived.deletionProtection,
        droppedPacketsThreshold: derived.alarmThresholds.networkFirewallDroppedPackets,
        removalPolicy: derived.removalPolicy,
      });
    }
    const awsApis = new AwsApiEgress(endpointSecurityGroup, network.interfaceEndpoints);
    this.network = { vpc, subnets, awsApis };
  }
}
