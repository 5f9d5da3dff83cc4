import { PlatformStage } from '../../lib/stages/platform-stage';
import { stacksOf } from './stage-checks';
import { synthesized } from './test-app';

/** A resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** What the checks read of a stack: its region and template. */
export interface StackTemplateJson {
  readonly region: string;
  readonly json: {
    readonly Resources?: Record<string, TemplateResource>;
    readonly Outputs?: Record<string, { readonly Value: unknown }>;
  };
}

/** The stacks of a stage, by stack name. */
export type StageTemplates = ReadonlyMap<string, StackTemplateJson>;

/** Every stack of a synthesized stage with its template, by stack name. */
export function stageTemplates(stage: PlatformStage): StageTemplates {
  const { template } = synthesized(stage.config.name);
  return new Map(
    stacksOf(stage).map((stack) => [
      stack.stackName,
      { region: stack.region, json: template(stack).toJSON() as StackTemplateJson['json'] },
    ]),
  );
}

/**
 * The resource a reference points at: a `Ref` in the same template, or a
 * weak cross-stack reference (`Fn::GetStackOutput`) to an output that is a
 * `Ref` in the producing stack, which must be in the consumer's region.
 */
export function resourceOf(
  templates: StageTemplates,
  stackName: string,
  reference: unknown,
): TemplateResource | undefined {
  const own = templates.get(stackName)!;
  const ref = (reference as { Ref?: string }).Ref;
  if (ref) {
    return own.json.Resources?.[ref];
  }
  type StackOutput = { StackName: string; Region: string; OutputName: string };
  const output = (reference as { 'Fn::GetStackOutput'?: StackOutput })['Fn::GetStackOutput'];
  const producer = output && templates.get(output.StackName);
  if (!output || !producer || output.Region !== own.region) {
    return undefined;
  }
  const value = producer.json.Outputs?.[output.OutputName]?.Value as { Ref?: string } | undefined;
  return value?.Ref ? producer.json.Resources?.[value.Ref] : undefined;
}

/** An alarm as its template has it. */
export interface TemplateAlarm {
  readonly stackName: string;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
}

const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

/** Every metric and composite alarm of every stack. */
export function alarmsOf(templates: StageTemplates): TemplateAlarm[] {
  return [...templates].flatMap(([stackName, { json }]) =>
    Object.entries(json.Resources ?? {})
      .filter(([, resource]) => ALARM_TYPES.includes(resource.Type))
      .map(([logicalId, resource]) => ({
        stackName,
        logicalId,
        properties: resource.Properties ?? {},
      })),
  );
}

/** A step-scaling alarm: every action is a scaling policy of its own template. */
export function isScalingAlarm(templates: StageTemplates, alarm: TemplateAlarm): boolean {
  const actions = (alarm.properties.AlarmActions as unknown[] | undefined) ?? [];
  return (
    actions.length > 0 &&
    actions.every(
      (action) =>
        resourceOf(templates, alarm.stackName, action)?.Type ===
        'AWS::ApplicationAutoScaling::ScalingPolicy',
    )
  );
}

/**
 * `<stack>/<alarm>: <actions>` of every alarm that is not a scaling alarm and
 * does not send ALARM and OK to exactly one SNS topic of its own region.
 */
export function alarmsWithoutPeople(templates: StageTemplates): string[] {
  return alarmsOf(templates)
    .filter((alarm) => !isScalingAlarm(templates, alarm))
    .flatMap((alarm) =>
      (['AlarmActions', 'OKActions'] as const).flatMap((key) => {
        const actions = (alarm.properties[key] as unknown[] | undefined) ?? [];
        const toTopic = actions.filter(
          (action) => resourceOf(templates, alarm.stackName, action)?.Type === 'AWS::SNS::Topic',
        );
        return actions.length === 1 && toTopic.length === 1
          ? []
          : [`${alarm.stackName}/${alarm.logicalId}: ${key} ${JSON.stringify(actions)}`];
      }),
    );
}
