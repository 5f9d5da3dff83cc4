import { Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The stacks of a stage, in creation order. */
export function stacksOf(stage: Stage): Stack[] {
  return stage.node.children.filter((child): child is Stack => Stack.isStack(child));
}

/** `<stack>/<logical id>` of every `AWS::IAM::Role` without a `PermissionsBoundary`. */
export function rolesWithoutBoundary(templates: ReadonlyMap<string, Template>): string[] {
  return [...templates].flatMap(([stackName, template]) =>
    Object.entries(template.findResources('AWS::IAM::Role'))
      .filter(([, role]) => role.Properties?.PermissionsBoundary === undefined)
      .map(([logicalId]) => `${stackName}/${logicalId}`),
  );
}

/**
 * Names that look like secrets: a value under such a name belongs in a
 * container's `Secrets` (from Secrets Manager), never in its plain `Environment`.
 */
export const SECRET_LOOKING_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** `<logical id>.<container>.<variable>` of every plain environment variable with a secret-looking name. */
export function secretLookingEnvironmentVariables(template: Template): string[] {
  return Object.entries(template.findResources('AWS::ECS::TaskDefinition')).flatMap(
    ([logicalId, taskDefinition]) =>
      (taskDefinition.Properties.ContainerDefinitions ?? []).flatMap(
        (container: { Name: string; Environment?: { Name: string }[] }) =>
          (container.Environment ?? [])
            .filter((variable) => SECRET_LOOKING_NAME.test(variable.Name))
            .map((variable) => `${logicalId}.${container.Name}.${variable.Name}`),
      ),
  );
}
