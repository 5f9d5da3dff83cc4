import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { pascalCase } from '../../naming';

/** Properties of {@link ServiceCallers}. */
export interface ServiceCallersProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The services that some service calls (validation ensures each has a port). */
  readonly servers: readonly string[];
}

/**
 * One security group per service that is called, carried by the tasks of
 * exactly the services that declare a call to it (`calls`); the service
 * admits that group, and only that group, on its port. A service that calls
 * nothing carries none and reaches no other service. The groups live beside
 * the cluster, so a caller and its callee may sit in different services
 * stacks without those stacks referencing each other.
 */
export class ServiceCallers extends Construct {
  private readonly groups = new Map<string, ec2.ISecurityGroup>();

  constructor(scope: Construct, id: string, props: ServiceCallersProps) {
    super(scope, id);
    for (const server of props.servers) {
      this.groups.set(
        server,
        new ec2.SecurityGroup(this, pascalCase(server), {
          vpc: props.vpc,
          description: `Callers of service ${server}: the tasks of the services that declare a call to it`,
          // Egress only to the server's port, added by the server (MeshServerPort).
          allowAllOutbound: false,
        }),
      );
    }
  }

  /** The callers' group of `server`, or undefined when no service calls it. */
  tryOf(server: string): ec2.ISecurityGroup | undefined {
    return this.groups.get(server);
  }

  /** The callers' group of `server`; fails for a service that no service calls. */
  of(server: string): ec2.ISecurityGroup {
    const group = this.tryOf(server);
    if (!group) {
      throw new Error(
        `ServiceCallers: no service calls "${server}"; called: ${[...this.groups.keys()].join(', ') || 'none'}`,
      );
    }
    return group;
  }
}
