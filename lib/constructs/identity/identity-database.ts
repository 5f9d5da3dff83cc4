import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * What the triggers and, later, the services need to reach the identity
 * database, whichever way it is provided (created here or peered).
 */
export interface IdentityDatabase extends ec2.IConnectable {
  /** The database's security group(s) and port: `allowDefaultPortFrom(x)` opens it to `x`. */
  readonly connections: ec2.Connections;
  /** The secret with `username` and `password`. */
  readonly secret: secretsmanager.ISecret;
  /** Host name of the writer endpoint. */
  readonly endpoint: string;
  /** Port the database listens on. */
  readonly port: number;
  /** Name of the database the identity schema lives in. */
  readonly databaseName: string;
}
