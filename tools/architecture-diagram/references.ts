import { CfnResource, StackTemplate } from '../security-projection';

export type Properties = Record<string, unknown>;

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A resource of one of the stacks: `<stack>|<logical id>`. */
export type ResourceKey = string;

export interface Located {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

export const localName = (stack: StackTemplate) => stack.stack.slice(stack.stack.indexOf('/') + 1);

/** Reads references, across stacks (`Fn::GetStackOutput`, `Fn::ImportValue`) too. */
export class References {
  private readonly resources = new Map<ResourceKey, Located>();
  private readonly byStackName = new Map<string, StackTemplate>();
  private readonly exports = new Map<string, { stack: StackTemplate; value: unknown }>();

  constructor(stacks: readonly StackTemplate[]) {
    for (const stack of stacks) {
      this.byStackName.set(stack.stackName ?? stack.stack, stack);
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        this.resources.set(`${stack.stack}|${logicalId}`, { stack, logicalId, resource });
      }
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stack, value: output.Value });
        }
      }
    }
  }

  all(): Located[] {
    return [...this.resources.values()];
  }

  get(key: ResourceKey): Located | undefined {
    return this.resources.get(key);
  }

  /** Every resource that `value`, read in `stack`, refers to. */
  in(stack: StackTemplate, value: unknown): ResourceKey[] {
    const found = new Set<ResourceKey>();
    const local = (id: string) => {
      if (!id.startsWith('AWS::') && stack.template.Resources?.[id]) {
        found.add(`${stack.stack}|${id}`);
      }
    };
    const visit = (item: unknown): void => {
      if (Array.isArray(item)) {
        item.forEach(visit);
        return;
      }
      if (item === null || typeof item !== 'object') {
        return;
      }
      const record = item as Record<string, unknown>;
      if (typeof record.Ref === 'string') {
        local(record.Ref);
      } else if (record['Fn::GetAtt'] !== undefined) {
        const target = record['Fn::GetAtt'];
        local(String(Array.isArray(target) ? target[0] : target).split('.')[0]);
      } else if (record['Fn::GetStackOutput'] !== undefined) {
        const { StackName, OutputName } = record['Fn::GetStackOutput'] as Properties;
        const producer = this.byStackName.get(String(StackName));
        const output = producer?.template.Outputs?.[String(OutputName)];
        if (producer && output) {
          this.in(producer, output.Value).forEach((key) => found.add(key));
        }
      } else if (typeof record['Fn::ImportValue'] === 'string') {
        const exported = this.exports.get(record['Fn::ImportValue']);
        if (exported) {
          this.in(exported.stack, exported.value).forEach((key) => found.add(key));
        }
      } else if (record['Fn::Sub'] !== undefined) {
        const [text, variables] = Array.isArray(record['Fn::Sub'])
          ? record['Fn::Sub']
          : [record['Fn::Sub']];
        for (const [, name] of String(text).matchAll(/\$\{([^!}][^}.]*)/g)) {
          local(name);
        }
        visit(variables);
      } else {
        Object.values(record).forEach(visit);
      }
    };
    visit(value);
    return [...found];
  }

  /** The resources of `type` that `value` refers to. */
  ofType(stack: StackTemplate, value: unknown, type: string): Located[] {
    return this.in(stack, value)
      .map((key) => this.resources.get(key)!)
      .filter((located) => located.resource.Type === type);
  }
}

/** The key of a located resource. */
export const keyOf = (located: Located): ResourceKey =>
  `${located.stack.stack}|${located.logicalId}`;
