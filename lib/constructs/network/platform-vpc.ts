import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings, nist } from '../../compliance/acknowledge';
import { NetworkConfig } from '../../../config';
import { EncryptedFlowLog } from './encrypted-flow-log';
import { InterfaceEndpoints } from './interface-endpoints';

/** Properties of {@link PlatformVpc}. */
export interface PlatformVpcProps {
  /** CIDR, AZs, NAT gateways, subnet sizes, endpoints and flow-log retention. */
  readonly network: NetworkConfig;
  /** What happens to the flow-log group and its key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** The three subnet tiers, as selections for the constructs that place resources in them. */
export interface PlatformSubnets {
  /** Internet-facing: load balancers and NAT gateways. */
  readonly public: ec2.SubnetSelection;
  /** Private with egress through NAT: ECS tasks, Lambdas, interface endpoints. */
  readonly privateWithEgress: ec2.SubnetSelection;
  /** No route to the internet: databases. */
  readonly isolated: ec2.SubnetSelection;
}

/**
 * The environment's VPC: public, private-with-egress and isolated subnets in
 * every configured AZ, NAT gateways, an S3 gateway endpoint, interface
 * endpoints, encrypted flow logs, and a default security group stripped of
 * its rules (the `@aws-cdk/aws-ec2:restrictDefaultSecurityGroup` flag).
 */
export class PlatformVpc extends Construct {
  /** The VPC. */
  readonly vpc: ec2.Vpc;
  /** Subnet selections by tier. */
  readonly subnets: PlatformSubnets;
  /** The security group of the interface endpoints, for callers that restrict egress. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The flow log and its key. */
  readonly flowLog: EncryptedFlowLog;

  constructor(scope: Construct, id: string, props: PlatformVpcProps) {
    super(scope, id);
    const { network } = props;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(network.vpcCidr),
      // Pinned names, or the first azCount AZs the stack offers (PlatformStack answers
      // that without a context lookup).
      ...(network.availabilityZones
        ? { availabilityZones: [...network.availabilityZones] }
        : { maxAzs: network.azCount }),
      natGateways: network.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        {
          name: 'Public',
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: network.subnetMasks.public,
          // Only NAT gateways live here, with Elastic IPs of their own: nothing launched in a
          // public subnet gets a public address by accident (NIST SC-7, CT.EC2.PR.7).
          mapPublicIpOnLaunch: false,
        },
        {
          name: 'Private',
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: network.subnetMasks.privateWithEgress,
        },
        {
          name: 'Isolated',
          subnetType: ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: network.subnetMasks.isolated,
        },
      ],
      // ECR stores image layers in S3: the gateway endpoint keeps image pulls off the NAT gateway.
      // See https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-setting-up-s3-gateway
      gatewayEndpoints: {
        S3: {
          service: ec2.GatewayVpcEndpointAwsService.S3,
          subnets: [
            { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          ],
        },
      },
    });

    if (network.availabilityZones) {
      acknowledgePinnedAvailabilityZones(vpc);
    }
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledgeFindings(
          route,
          [nist('VPCNoUnrestrictedRouteToIGW')],
          'The public subnets hold only the NAT gateways, whose 0.0.0.0/0 route must reach the internet gateway; nothing else runs there (no public IPs on launch), and the ALB is internal.',
        );
      }
    }

    this.vpc = vpc;
    this.subnets = {
      public: { subnetType: ec2.SubnetType.PUBLIC },
      privateWithEgress: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      isolated: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    };
    this.endpointSecurityGroup = new InterfaceEndpoints(this, 'Endpoints', {
      vpc,
      subnets: this.subnets.privateWithEgress,
      clientCidr: network.vpcCidr,
      services: network.interfaceEndpoints,
    }).securityGroup;
    this.flowLog = new EncryptedFlowLog(this, 'FlowLog', {
      vpc,
      retention: network.flowLogRetentionDays,
      removalPolicy: props.removalPolicy,
    });
  }

  /** The NAT gateway the private subnet of `az` reaches the internet through. */
  natGatewayIdOf(az: string): string {
    const subnet = this.vpc.privateSubnets.find((s) => s.availabilityZone === az);
    const natGatewayId = subnet && defaultRouteOf(subnet).natGatewayId;
    if (!natGatewayId) {
      throw new Error(`the VPC has no private subnet with a NAT route in ${az}`);
    }
    return natGatewayId;
  }

  /**
   * Sends the private subnets' internet egress through a firewall endpoint of
   * their AZ, and the replies to each private subnet from the NAT gateways (in
   * the public subnets) back through the same endpoint. The CDK's default
   * routes of the private subnets are rewritten here, where they are made.
   * The routes of the firewall-before-NAT design, the public subnets' routes
   * to the private ranges included (more specific than the VPC's local route):
   * https://docs.aws.amazon.com/network-firewall/latest/developerguide/arch-igw-ngw.html
   */
  routeEgressThrough(endpointIdOf: (az: string) => string): void {
    const privateSubnets = this.vpc.privateSubnets;
    for (const subnet of privateSubnets) {
      const route = defaultRouteOf(subnet);
      route.addPropertyDeletionOverride('NatGatewayId');
      route.addPropertyOverride('VpcEndpointId', endpointIdOf(subnet.availabilityZone));
    }
    for (const publicSubnet of this.vpc.publicSubnets) {
      privateSubnets.forEach((subnet, index) => {
        new ec2.CfnRoute(publicSubnet, `ReturnToPrivateSubnet${index + 1}`, {
          routeTableId: publicSubnet.routeTable.routeTableId,
          destinationCidrBlock: subnet.ipv4CidrBlock,
          vpcEndpointId: endpointIdOf(subnet.availabilityZone),
        });
      });
    }
  }
}

/** The default route the CDK gives a private subnet (to its AZ's NAT gateway, or the only one). */
function defaultRouteOf(subnet: ec2.ISubnet): ec2.CfnRoute {
  return subnet.node.findChild('DefaultRoute') as ec2.CfnRoute;
}

/**
 * The CloudFormation linter warns about literal AZ names (W3010) because they
 * are not portable across regions. Here they are pinned on purpose by the
 * environment's config, which has validated them against its region.
 */
function acknowledgePinnedAvailabilityZones(vpc: ec2.Vpc): void {
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    Validations.of(subnet.node.defaultChild as IConstruct).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason:
        'AZ names are pinned in config/<env>.ts on purpose (network.availabilityZones) and validated there against the region.',
    });
  }
}
