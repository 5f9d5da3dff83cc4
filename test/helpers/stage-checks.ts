import { Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SECRET_LOOKING_NAME } from '../../config/application-schema';
import { SecretParameterRegistry } from '../../lib/constructs/secrets/secret-parameter-registry';
import { taskDefinitionsOf } from './task-definitions';

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

/** `<logical id>.<container>.<variable>` of every plain environment variable with a secret-looking name. */
export function secretLookingEnvironmentVariables(template: Template): string[] {
  // The same rule config validation applies to services' `environment`; this
  // one also catches containers that did not come from config (sidecars).
  return [...taskDefinitionsOf(template)].flatMap(([logicalId, containers]) =>
    containers.flatMap((container) =>
      (container.Environment ?? [])
        .filter((variable) => SECRET_LOOKING_NAME.test(variable.Name))
        .map((variable) => `${logicalId}.${container.Name}.${variable.Name}`),
    ),
  );
}

/** A complete Secrets Manager secret ARN, as a literal. */
const SECRET_ARN = /^arn:[\w-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

/**
 * Problems with the `/<env>/` parameters of a stage: one that is not in the
 * registry (so docs/parameters.md would not list it), and a registered secret
 * parameter whose value is not a Secrets Manager secret's ARN (a `Ref` to a
 * secret of the same template, or a literal secret ARN).
 */
export function parameterProblems(
  registry: SecretParameterRegistry,
  templates: readonly Template[],
): string[] {
  const parameters = templates.flatMap((template) =>
    Object.values(template.findResources('AWS::SSM::Parameter')).map((parameter) => ({
      name: parameter.Properties.Name as string,
      value: parameter.Properties.Value as unknown,
      secrets: template.findResources('AWS::SecretsManager::Secret'),
    })),
  );
  const registered = new Map(registry.entries.map((entry) => [entry.parameterName, entry]));
  const problems = parameters
    .filter((p) => typeof p.name === 'string' && p.name.startsWith(registry.path))
    .filter((p) => !registered.has(p.name))
    .map((p) => `${p.name}: not in the registry`);
  for (const entry of registry.entries.filter((e) => e.kind === 'secret-arn')) {
    const found = parameters.find((p) => p.name === entry.parameterName);
    const value = found?.value as { Ref?: string } | string | undefined;
    const isSecretArn =
      (typeof value === 'string' && SECRET_ARN.test(value)) ||
      (typeof value === 'object' && value.Ref !== undefined && value.Ref in (found?.secrets ?? {}));
    if (!isSecretArn) {
      problems.push(`${entry.parameterName}: value ${JSON.stringify(value)} is not a secret ARN`);
    }
  }
  return problems;
}
