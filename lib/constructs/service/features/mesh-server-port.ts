import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/**
 * Opens a service's port to the mesh: every task carries the mesh security
 * group, and a service with a port admits that group on it.
 */
export class MeshServerPort implements ServiceFeature {
  constructor(private readonly meshSecurityGroup: ec2.ISecurityGroup) {}

  useService({ spec, service }: ServiceInstance): void {
    if (spec.port !== undefined) {
      service.connections.allowFrom(
        this.meshSecurityGroup,
        ec2.Port.tcp(spec.port),
        'Mesh clients',
      );
    }
  }
}
