import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { HTTPS_PORT } from '../../defaults';
import { HttpsEgress } from '../network/aws-api-egress';
import { IdentityDatabase } from './identity-database';

/** Properties of {@link addDatabaseClientSecurityGroup}. */
export interface DatabaseClientSecurityGroupProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The database the clients reach. */
  readonly database: IdentityDatabase;
  /** The group's description: who carries it. */
  readonly description: string;
  /** Where the clients' HTTPS goes (see `AwsApiEgress`). */
  readonly https: HttpsEgress;
  /** The description of the database's ingress rule for the group. */
  readonly databaseRule: string;
}

/**
 * The security group of a database client that also calls AWS APIs (a
 * Lambda, the rotations, the database shell): egress only to HTTPS (the
 * interface endpoints where they serve every API it calls) and to the
 * database's port, and that port opened to it in the database's group.
 */
export function addDatabaseClientSecurityGroup(
  scope: Construct,
  id: string,
  props: DatabaseClientSecurityGroupProps,
): ec2.SecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, id, {
    vpc: props.vpc,
    description: props.description,
    allowAllOutbound: false,
  });
  securityGroup.addEgressRule(props.https.peer, ec2.Port.tcp(HTTPS_PORT), props.https.description);
  props.database.connections.allowDefaultPortFrom(securityGroup, props.databaseRule);
  return securityGroup;
}
