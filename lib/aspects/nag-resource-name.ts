/**
 * How cdk-nag names a policy resource in a finding ID such as
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:...:*]`: intrinsic
 * functions flattened to one string (`Fn::Join` joined, `Ref` and
 * `Fn::GetAtt` as `<Name>` / `<Name.Attr>`, `${X}` of `Fn::Sub` as `<X>`).
 * cdk-nag keeps this function in a private module
 * (`cdk-nag/lib/utils/flatten-cfn-reference`, v3), so this is our own version
 * of the same rendering; an acknowledgement whose ID does not match would
 * leave its finding open, which the quality gate then reports.
 */
export function nagResourceName(reference: unknown): string {
  if (reference === undefined) {
    return '';
  }
  if (typeof reference === 'string') {
    return reference.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const node = reference as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(nagResourceName).join(delimiter);
  }
  if (node['Fn::Sub']) {
    return nagResourceName(node['Fn::Sub']);
  }
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${nagResourceName(resource)}.${nagResourceName(attribute)}>`;
  }
  if (node['Fn::ImportValue']) {
    return nagResourceName(node['Fn::ImportValue']);
  }
  if (node.Ref) {
    return `<${nagResourceName(node.Ref)}>`;
  }
  return JSON.stringify(reference);
}
