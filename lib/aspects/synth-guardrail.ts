import { Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';

/** A container definition as the L1 property holds it (camelCase, resolved). */
export interface ResolvedContainer {
  readonly name?: string;
  readonly image?: unknown;
  readonly environment?: { name?: string }[];
  readonly portMappings?: { containerPort?: number; appProtocol?: string }[];
  readonly logConfiguration?: { logDriver?: string; options?: Record<string, unknown> };
}

/** The containers of a task definition, resolved. */
export function containersOf(taskDefinition: ecs.CfnTaskDefinition): ResolvedContainer[] {
  return (Stack.of(taskDefinition).resolve(taskDefinition.containerDefinitions) ??
    []) as ResolvedContainer[];
}

/** The protocol a port mapping speaks: its `appProtocol`, HTTP/1.1 when it has none. */
export function appProtocolOf(mapping: { appProtocol?: string } | undefined): string {
  return mapping?.appProtocol ?? 'http';
}

/** Fails synth on `node` with a guardrail finding `platform:<id>`. */
export function failGuardrail(node: IConstruct, id: string, message: string): void {
  Validations.of(node).addError(`platform:${id}`, message);
}
