import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The logical ID of a construct's CloudFormation resource: its own if it is
 * one (an L1), else its default child's (the L1 inside an L2). Tests name
 * resources by construct this way rather than by the generated hash suffix.
 */
export function logicalIdOf(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!CfnElement.isCfnElement(element)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource of its own`);
  }
  return Stack.of(element).getLogicalId(element);
}
