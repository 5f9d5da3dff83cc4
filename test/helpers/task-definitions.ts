import { Template } from 'aws-cdk-lib/assertions';

/** A container definition as synthesized (the parts tests read). */
export interface ContainerDefinition {
  readonly Name: string;
  readonly Image: unknown;
  readonly Essential?: boolean;
  readonly Environment?: { Name: string; Value: unknown }[];
  readonly Secrets?: { Name: string; ValueFrom: unknown }[];
  readonly PortMappings?: {
    ContainerPort: number;
    Protocol?: string;
    Name?: string;
    AppProtocol?: string;
  }[];
  readonly DependsOn?: { ContainerName: string; Condition: string }[];
  readonly LogConfiguration?: { LogDriver: string; Options?: Record<string, unknown> };
  readonly FirelensConfiguration?: { Type: string; Options?: Record<string, unknown> };
  readonly HealthCheck?: { Command: string[] };
  readonly ReadonlyRootFilesystem?: boolean;
}

/** Every task definition of a template, by logical ID, with its containers. */
export function taskDefinitionsOf(template: Template): Map<string, ContainerDefinition[]> {
  return new Map(
    Object.entries(template.findResources('AWS::ECS::TaskDefinition')).map(([id, resource]) => [
      id,
      resource.Properties.ContainerDefinitions as ContainerDefinition[],
    ]),
  );
}

/** The task definition of the service whose construct ID starts the logical ID (e.g. `AdminApi`). */
export function containersOf(template: Template, serviceId: string): ContainerDefinition[] {
  const match = [...taskDefinitionsOf(template)].find(([id]) => id.startsWith(`${serviceId}Task`));
  if (!match) {
    throw new Error(`no task definition for ${serviceId}`);
  }
  return match[1];
}

/**
 * How a container's image is pinned: the text after the repository, `:<tag>`,
 * `:<tag>@sha256:<digest>` or `@sha256:<digest>` (the last part of an `Fn::Join` of an ECR repository
 * URI, or of a plain image name). Undefined when the image names neither.
 */
export function imageReferenceOf(container: ContainerDefinition): string | undefined {
  const image = container.Image as string | { 'Fn::Join'?: [string, unknown[]] };
  const last = typeof image === 'string' ? image : image['Fn::Join']?.[1].at(-1);
  const reference =
    typeof last === 'string' ? /(:[^:@/]+)?@sha256:[0-9a-f]{64}$|:[^:@/]+$/.exec(last) : null;
  return reference?.[0];
}

/** The tag of a container's image (see {@link imageReferenceOf}); undefined for a digest or none. */
export function imageTagOf(container: ContainerDefinition): string | undefined {
  const reference = imageReferenceOf(container);
  return reference?.startsWith(':') ? reference.slice(1).replace(/@.*$/, '') : undefined;
}
