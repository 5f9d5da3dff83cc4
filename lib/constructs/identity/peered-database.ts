import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PeeredDatabaseConfig } from '../../../config';
import { IdentityDatabase } from './identity-database';

/** Properties of {@link PeeredDatabase}. */
export interface PeeredDatabaseProps {
  /** The existing database and its VPC. */
  readonly config: PeeredDatabaseConfig;
  /** This environment's VPC. */
  readonly vpc: ec2.IVpc;
  /** Subnets whose route tables get a route to the database VPC (where the triggers and services run). */
  readonly clientSubnets: ec2.SubnetSelection;
  /** What happens to the key of the roles' secrets when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An existing database in another VPC of the same account and region (seed
 * 000: the RDS lives in a separate VPC): a VPC peering connection, routes both
 * ways, and the database's security group as this construct's `connections`,
 * so `allowDefaultPortFrom(x)` opens the port to `x` only.
 * See https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
 */
export class PeeredDatabase extends Construct implements IdentityDatabase {
  readonly connections: ec2.Connections;
  readonly secret: secretsmanager.ISecret;
  readonly secretsKey: kms.IKey;
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  readonly databaseName: string;
  /** The peering connection. */
  readonly peering: ec2.CfnVPCPeeringConnection;

  constructor(scope: Construct, id: string, props: PeeredDatabaseProps) {
    super(scope, id);
    const { config, vpc } = props;
    if (config.routeTableIds.length === 0) {
      throw new Error('a peered database needs at least one route table of its VPC');
    }

    const peering = new ec2.CfnVPCPeeringConnection(this, 'Peering', {
      vpcId: vpc.vpcId,
      peerVpcId: config.vpcId,
    });
    vpc.selectSubnets(props.clientSubnets).subnets.forEach((subnet, index) => {
      new ec2.CfnRoute(this, `ToDatabase${index}`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: config.vpcCidr,
        vpcPeeringConnectionId: peering.ref,
      });
    });
    config.routeTableIds.forEach((routeTableId, index) => {
      new ec2.CfnRoute(this, `FromDatabase${index}`, {
        routeTableId,
        destinationCidrBlock: vpc.vpcCidrBlock,
        vpcPeeringConnectionId: peering.ref,
      });
    });

    // Referencing this VPC's security groups in the peer's rules needs the peering first.
    const databaseGroup = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'DatabaseSecurityGroup',
      config.securityGroupId,
      { allowAllOutbound: false },
    );
    databaseGroup.node.addDependency(peering);
    this.connections = new ec2.Connections({
      securityGroups: [databaseGroup],
      defaultPort: ec2.Port.tcp(config.port),
    });
    this.peering = peering;
    this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', config.secretArn);
    this.secretsKey = new kms.Key(this, 'RoleSecretsKey', {
      description: "Encrypts the secrets of the peered identity database's roles",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.endpoint = config.endpoint;
    this.readerEndpoint = config.endpoint;
    this.port = config.port;
    this.databaseName = config.databaseName;
  }
}
