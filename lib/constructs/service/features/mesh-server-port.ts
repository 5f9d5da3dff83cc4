import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ServiceCallers } from '../../mesh/service-callers';
import { ServiceFeature, ServiceInstance } from '../service-feature';

/**
 * Opens a service's port to its declared callers only: the tasks that carry
 * its callers' group (see {@link ServiceCallers}), which may in turn send to
 * that port and nowhere else. A service nobody calls admits no service.
 */
export class MeshServerPort implements ServiceFeature {
  constructor(private readonly callers: ServiceCallers) {}

  useService({ spec, securityGroup }: ServiceInstance): void {
    const callers = this.callers.tryOf(spec.name);
    if (callers && spec.port !== undefined) {
      securityGroup.connections.allowFrom(
        callers,
        ec2.Port.tcp(spec.port),
        'Declared callers (calls)',
      );
    }
  }
}
