import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { projectSecurity, stackTemplatesOf, stacksOfStage } from '../../tools/security-projection';
import { synthesizedApp } from './test-app';

/** One resource of a stage, as the security projection renders it, references qualified by stack. */
export interface StageResource {
  readonly type: string;
  readonly properties: Record<string, any>;
}

/**
 * A stage's security-relevant resources across all its stacks, keyed
 * `<stack>:<construct path>` (e.g. `Dev/Services1:Api/SecurityGroup`), with
 * every reference written `${<stack>:<path>.<attribute>}`, so resources of
 * different stacks compare (cross-stack references resolve to their producer).
 */
export class StageGraph {
  readonly resources = new Map<string, StageResource>();

  /** @param assembly a synthesized app (by default the shipped one, synthesized once) */
  constructor(stageId: string, assembly: CloudAssembly = synthesizedApp().assembly) {
    const projection = projectSecurity(stacksOfStage(stackTemplatesOf(assembly), stageId));
    for (const [stack, resources] of Object.entries(projection)) {
      for (const [key, properties] of Object.entries(resources)) {
        const [, path, type] = /^(.*) \((.*)\)$/.exec(key)!;
        const qualified = JSON.stringify(properties).replace(
          /\$\{([^:}$]+)\}/g,
          (_, ref: string) => (ref.startsWith('AWS::') ? `\${${ref}}` : `\${${stack}:${ref}}`),
        );
        this.resources.set(`${stack}:${path}`, { type, properties: JSON.parse(qualified) });
      }
    }
  }

  /** The resources of a type, by key. */
  ofType(type: string): [string, StageResource][] {
    return [...this.resources].filter(([, resource]) => resource.type === type);
  }

  /** The one resource whose key ends with `/<suffix>` or `:<suffix>`. */
  find(suffix: string): [string, StageResource] {
    const found = [...this.resources].filter(
      ([key]) => key.endsWith(`:${suffix}`) || key.endsWith(`/${suffix}`),
    );
    if (found.length !== 1) {
      throw new Error(`${found.length} resources end with ${suffix}`);
    }
    return found[0];
  }

  /** The security groups the tasks of an ECS service carry (`Dev/Services1:Api/Service` -> groups). */
  groupsOfService(serviceKey: string): string[] {
    const service = this.resources.get(serviceKey)!;
    return service.properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.map(
      (group: string) => group.replace(/\.GroupId\}$/, '}'),
    );
  }

  /** Every rule (inline or separate) of a group: `{ direction, peer, fromPort, toPort }`. */
  rulesOf(group: string): { direction: 'in' | 'out'; peer: string; fromPort: unknown }[] {
    const key = group.slice(2, -1);
    const rules: { direction: 'in' | 'out'; peer: string; fromPort: unknown }[] = [];
    const inline = this.resources.get(key)?.properties ?? {};
    for (const rule of inline.SecurityGroupIngress ?? []) {
      rules.push({ direction: 'in', peer: peerOf(rule), fromPort: rule.FromPort });
    }
    for (const rule of inline.SecurityGroupEgress ?? []) {
      rules.push({ direction: 'out', peer: peerOf(rule), fromPort: rule.FromPort });
    }
    const groupId = `\${${key}.GroupId}`;
    for (const [, rule] of [
      ...this.ofType('AWS::EC2::SecurityGroupIngress'),
      ...this.ofType('AWS::EC2::SecurityGroupEgress'),
    ]) {
      if (rule.properties.GroupId === groupId) {
        rules.push({
          direction: rule.type.endsWith('Ingress') ? 'in' : 'out',
          peer: peerOf(rule.properties),
          fromPort: rule.properties.FromPort,
        });
      }
    }
    return rules;
  }
}

function peerOf(rule: Record<string, any>): string {
  const peer =
    rule.SourceSecurityGroupId ??
    rule.DestinationSecurityGroupId ??
    rule.CidrIp ??
    rule.SourcePrefixListId ??
    rule.DestinationPrefixListId;
  return String(peer).replace(/\.GroupId\}$/, '}');
}
