import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';

/**
 * What the triggers and, later, the services need to reach the identity
 * database, whichever way it is provided (created here or peered).
 */
export interface IdentityDatabase extends ec2.IConnectable, IConstruct {
  /** The database's security group(s) and port: `allowDefaultPortFrom(x)` opens it to `x`. */
  readonly connections: ec2.Connections;
  /**
   * The master user's secret (`username`, `password`): only the schema
   * migration and the secret rotations read it.
   */
  readonly secret: secretsmanager.ISecret;
  /** Encrypts the secrets of the database roles. */
  readonly secretsKey: kms.IKey;
  /** Host name of the writer endpoint. */
  readonly endpoint: string;
  /** Host name of the reader endpoint (the writer's, when the database has no readers of its own). */
  readonly readerEndpoint: string;
  /** Port the database listens on. */
  readonly port: number;
  /** Name of the database the identity schema lives in. */
  readonly databaseName: string;
}
