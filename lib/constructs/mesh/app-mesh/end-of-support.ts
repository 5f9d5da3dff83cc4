import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { APP_MESH_END_OF_SUPPORT, APP_MESH_REFERENCE_CONTEXT } from '../../../app-mesh-reference';

/**
 * Acknowledges the CloudFormation linter's end-of-support warning (W3696) on
 * App Mesh resources: they exist only in the reference design, which synth
 * builds only when asked explicitly and marks as not deployable.
 */
export function acknowledgeAppMeshEndOfSupport(...constructs: IConstruct[]): void {
  for (const construct of constructs) {
    Validations.of(construct.node.defaultChild ?? construct).acknowledge({
      id: 'CloudFormation-Validate::W3696',
      reason:
        `App Mesh reached end of support on ${APP_MESH_END_OF_SUPPORT}; this is the reference design, synthesized only ` +
        `with -c ${APP_MESH_REFERENCE_CONTEXT}=true for study and review, and synth warns that it cannot be deployed.`,
    });
  }
}
