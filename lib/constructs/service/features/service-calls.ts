import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ServiceConfig } from '../../../../config';
import { IServiceMesh } from '../../mesh/service-mesh';
import { ServiceCallers } from '../../mesh/service-callers';
import { ServiceApp, ServiceFeature } from '../service-feature';

/** A called service: its spec, with the port validation ensures. */
export type CalledService = ServiceConfig & { readonly port: number };

/** The environment variable with a callee's URL: `admin-api` -> `ADMIN_API_URL`. */
export function urlVariableOf(callee: string): string {
  return `${callee.toUpperCase().replace(/-/g, '_')}_URL`;
}

/**
 * The services a service calls (`calls`): its tasks carry each callee's
 * callers' group, so they reach those ports and no other service's, and the
 * app gets each callee's URL through the mesh as `<NAME>_URL`.
 */
export class ServiceCalls implements ServiceFeature {
  constructor(
    private readonly callees: readonly CalledService[],
    private readonly callers: ServiceCallers,
    private readonly mesh: IServiceMesh,
  ) {}

  securityGroups(): readonly ec2.ISecurityGroup[] {
    return this.callees.map((callee) => this.callers.of(callee.name));
  }

  useAppContainer({ appContainer }: ServiceApp): void {
    for (const callee of this.callees) {
      appContainer.addEnvironment(urlVariableOf(callee.name), this.mesh.urlOf(callee));
    }
  }
}
