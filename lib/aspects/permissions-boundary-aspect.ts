import { CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { PermissionsBoundary } from '../constructs/security/permissions-boundary';

/**
 * Puts {@link PermissionsBoundary} on every `AWS::IAM::Role` below the scope
 * it is added to: roles of `iam.Role` (a `CfnRole`) and the raw `CfnResource`
 * roles that CDK internals create (custom-resource providers), which
 * `iam.Role`-only code would miss.
 *
 * A role in the boundary's stack references the policy (CloudFormation orders
 * them); a role in another stack gets the policy's ARN as a string and its
 * stack is deployed after the boundary's stack.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundary: PermissionsBoundary) {}

  visit(node: IConstruct): void {
    if (
      !CfnResource.isCfnResource(node) ||
      node.cfnResourceType !== iam.CfnRole.CFN_RESOURCE_TYPE_NAME
    ) {
      return;
    }
    const roleStack = Stack.of(node);
    const boundaryStack = Stack.of(this.boundary);
    if (roleStack === boundaryStack) {
      node.addPropertyOverride('PermissionsBoundary', this.boundary.policy.managedPolicyArn);
    } else {
      node.addPropertyOverride('PermissionsBoundary', this.boundary.arnIn(roleStack));
      roleStack.addStackDependency(boundaryStack, 'roles need the permissions boundary policy');
    }
  }
}
