import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Date after which App Mesh resources can no longer be created. */
export const APP_MESH_END_OF_SUPPORT = '2026-09-30';

/**
 * Acknowledges the CloudFormation linter's end-of-support warning (W3696) on
 * App Mesh resources: `app-mesh` is chosen explicitly in config, and synth
 * already warns about it once, with the migration path.
 */
export function acknowledgeAppMeshEndOfSupport(...constructs: IConstruct[]): void {
  for (const construct of constructs) {
    Validations.of(construct.node.defaultChild ?? construct).acknowledge({
      id: 'CloudFormation-Validate::W3696',
      reason: `App Mesh ends support on ${APP_MESH_END_OF_SUPPORT}; this environment opted into mesh 'app-mesh' and synth warns once with the migration path to Service Connect.`,
    });
  }
}
