import { fullDiff, ResourceDifference, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { StackTemplate } from './security-projection';

/** What a stateful resource holds and what losing it means, in the report's words. */
export interface StatefulType {
  /** What it is: "user pool". */
  readonly what: string;
  /** What it holds: "its users, their passwords and MFA devices". */
  readonly holds: string;
  /** What its replacement means for the platform: "every user must sign up again". */
  readonly loss: string;
}

/**
 * The reviewed list of resource types whose replacement or deletion loses
 * data or breaks sign-in, and so fails the pull request unless accepted.
 * Log groups are on it only when an audit source writes to them
 * ({@link AUDIT_SOURCES}).
 */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  'AWS::Cognito::UserPool': {
    what: 'user pool',
    holds: 'its users, their passwords and MFA devices',
    loss: 'every user must sign up again, with a new `sub`',
  },
  'AWS::Cognito::UserPoolClient': {
    what: 'user pool client',
    holds: 'its client ID',
    loss: "apps configured with the old client ID fail to sign in, and its users' refresh tokens stop working",
  },
  'AWS::Cognito::UserPoolDomain': {
    what: 'user pool domain',
    holds: 'the hosted sign-in domain',
    loss: 'hosted sign-in and token requests fail until the new domain is ready',
  },
  'AWS::RDS::DBCluster': {
    what: 'database cluster',
    holds: 'its schema and data',
    loss: 'the services and triggers connect to an empty database',
  },
  'AWS::RDS::DBInstance': {
    what: 'database instance',
    holds: 'its storage (for Aurora, the cluster keeps the data)',
    loss: 'connections fail while it is re-created, and a standalone instance starts empty',
  },
  'AWS::S3::Bucket': {
    what: 'bucket',
    holds: 'its objects',
    loss: 'writers and readers switch to an empty bucket',
  },
  'AWS::KMS::Key': {
    what: 'KMS key',
    holds: 'its key material',
    loss: 'what the old key encrypted stays readable only while the old key exists; once it is deleted, that data is lost',
  },
  'AWS::SecretsManager::Secret': {
    what: 'secret',
    holds: 'its value',
    loss: 'a new value is generated, which whatever uses the old one (a database password) does not match',
  },
  'AWS::ECR::Repository': {
    what: 'image repository',
    holds: 'its images',
    loss: 'tasks cannot start until every version they run is published again',
  },
  'AWS::SQS::Queue': {
    what: 'queue',
    holds: 'the messages waiting in it',
    loss: 'those messages are lost',
  },
  'AWS::Logs::LogGroup': {
    what: 'audit log group',
    holds: 'its log events',
    loss: 'the audit history restarts empty',
  },
  'AWS::CloudTrail::Trail': {
    what: 'trail',
    holds: 'its configuration (its logs stay in their bucket)',
    loss: 'API activity is not recorded while it is re-created',
  },
  'AWS::GuardDuty::Detector': {
    what: 'GuardDuty detector',
    holds: 'its findings',
    loss: 'the findings history is lost, and threat detection stops until the new detector runs',
  },
};

/** The resources that write audit logs: the log groups they name are stateful. */
export const AUDIT_SOURCES: readonly string[] = [
  'AWS::CloudTrail::Trail',
  'AWS::WAFv2::LoggingConfiguration',
  'AWS::EC2::FlowLog',
  'AWS::ECS::Cluster',
  'AWS::Route53Resolver::ResolverQueryLoggingConfig',
];

/**
 * Settings the service cannot change in place although the CloudFormation
 * resource specification lists them as updatable ("Update requires: No
 * interruption"): the deployment fails, and the only way to the new value is
 * a new resource. Cognito's guide, "Settings you can't change":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html
 * (checked 2026-12). `Schema` counts only when an attribute is removed or
 * its `Required` changes (adding a custom attribute is an update).
 */
export const FIXED_AT_CREATION: Readonly<Record<string, readonly string[]>> = {
  'AWS::Cognito::UserPool': ['AliasAttributes', 'UsernameAttributes', 'UsernameConfiguration'],
  'AWS::Cognito::UserPoolClient': ['GenerateSecret'],
};

/** How a stateful resource goes: replaced, perhaps replaced, deleted, or removed from its stack but kept. */
export type StatefulChangeKind = 'replace' | 'may-replace' | 'delete' | 'orphan';

/** One stateful resource that the head replaces or deletes. */
export interface StatefulChange {
  /** The stage (`Prod`). */
  readonly stage: string;
  /** The CloudFormation stack name (`Prod-Identity`). */
  readonly stackName: string;
  /** The construct path: stage, stack, path in the stack (`Prod/Identity/ProductPool/UserPool`). */
  readonly path: string;
  readonly logicalId: string;
  readonly type: string;
  readonly kind: StatefulChangeKind;
  /** The properties whose change replaces it (empty for a deletion). */
  readonly properties: readonly string[];
  /**
   * True when the properties are {@link FIXED_AT_CREATION}: the update
   * fails, and the new value needs a new resource.
   */
  readonly fixedAtCreation: boolean;
  /** The paths of the new resources of its type that take its place (a renamed construct, a moved service). */
  readonly successors: readonly string[];
  /** What happens to the data, in a sentence. */
  readonly consequence: string;
}

interface Template {
  readonly Resources?: Record<string, TemplateResource>;
}
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

const KIND_OF: Partial<Record<ResourceImpact, StatefulChangeKind>> = {
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_DESTROY]: 'delete',
  [ResourceImpact.WILL_ORPHAN]: 'orphan',
};

/** Every logical ID referenced and every string written inside `value`. */
function referencesIn(value: unknown, ids: Set<string>, strings: Set<string>): void {
  if (typeof value === 'string') {
    strings.add(value);
  } else if (Array.isArray(value)) {
    value.forEach((item) => referencesIn(item, ids, strings));
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') {
      ids.add(object.Ref);
    }
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      ids.add(getAtt[0]);
    }
    Object.values(object).forEach((item) => referencesIn(item, ids, strings));
  }
}

/** The log groups of `template` that an audit source writes to, by reference or by name. */
export function auditLogGroups(template: Template): Set<string> {
  const resources = Object.entries(template.Resources ?? {});
  const ids = new Set<string>();
  const strings = new Set<string>();
  for (const [, resource] of resources.filter(([, r]) => AUDIT_SOURCES.includes(r.Type))) {
    referencesIn(resource.Properties, ids, strings);
  }
  const named = (name: unknown) =>
    typeof name === 'string' &&
    [...strings].some(
      (s) => s === name || s.endsWith(`log-group:${name}`) || s.includes(`log-group:${name}:`),
    );
  return new Set(
    resources
      .filter(
        ([id, r]) =>
          r.Type === 'AWS::Logs::LogGroup' && (ids.has(id) || named(r.Properties?.LogGroupName)),
      )
      .map(([id]) => id),
  );
}

/** Whether a user pool's `Schema` change needs a new pool: an attribute removed, or its `Required` changed. */
function schemaNeedsNewPool(before: unknown, after: unknown): boolean {
  const attributes = (schema: unknown) =>
    new Map(
      (Array.isArray(schema) ? schema : []).map((a: { Name?: string; Required?: boolean }) => [
        a.Name,
        a.Required === true,
      ]),
    );
  const old = attributes(before);
  const next = attributes(after);
  return [...old].some(([name, required]) => !next.has(name) || next.get(name) !== required);
}

/** The kind of a stateful resource's change and the properties behind it, or undefined when it is kept. */
function classify(
  change: ResourceDifference,
  type: string,
): { kind: StatefulChangeKind; properties: string[]; fixedAtCreation: boolean } | undefined {
  const kind = KIND_OF[change.changeImpact];
  const replacing = Object.entries(change.propertyUpdates)
    .filter(
      ([, update]) =>
        update.changeImpact === ResourceImpact.WILL_REPLACE ||
        update.changeImpact === ResourceImpact.MAY_REPLACE,
    )
    .map(([name]) => name);
  const fixed =
    change.isRemoval || change.isAddition
      ? []
      : Object.keys(change.propertyUpdates).filter(
          (name) =>
            (FIXED_AT_CREATION[type] ?? []).includes(name) ||
            (type === 'AWS::Cognito::UserPool' &&
              name === 'Schema' &&
              schemaNeedsNewPool(change.oldProperties?.Schema, change.newProperties?.Schema)),
        );
  if (change.resourceTypeChanged) {
    return { kind: 'replace', properties: ['Type'], fixedAtCreation: false };
  }
  if (kind) {
    return { kind, properties: [...new Set([...replacing, ...fixed])], fixedAtCreation: false };
  }
  return fixed.length > 0
    ? { kind: 'replace', properties: fixed, fixedAtCreation: true }
    : undefined;
}

function consequenceOf(
  verdict: { kind: StatefulChangeKind; properties: readonly string[]; fixedAtCreation: boolean },
  stateful: StatefulType,
  resource: TemplateResource | undefined,
  successors: readonly string[],
): string {
  const { kind } = verdict;
  const { what, holds, loss } = stateful;
  if (verdict.fixedAtCreation) {
    return (
      `${verdict.properties.join(', ')} cannot change on an existing ${what}: the update fails, and the new ` +
      `value needs a new, empty ${what} (a new construct ID), while the old one keeps ${holds}: ${loss}.`
    );
  }
  const oldOne = (policy: string | undefined) =>
    policy === 'Retain' || policy === 'RetainExceptOnCreate'
      ? `keeps the old one, with ${holds}, outside the stack`
      : policy === 'Snapshot'
        ? `deletes the old one after a final snapshot of ${holds}`
        : `deletes the old one with ${holds}`;
  const taken =
    successors.length > 0 ? `; the new one at ${successors.join(', ')} starts empty` : '';
  switch (kind) {
    case 'replace':
    case 'may-replace':
      return (
        `CloudFormation ${kind === 'replace' ? 'creates' : 'may create'} a new, empty ${what} and ` +
        `${oldOne(resource?.UpdateReplacePolicy)}: ${loss}.`
      );
    case 'delete':
      return `CloudFormation deletes the ${what} with ${holds}${taken}: ${loss}.`;
    case 'orphan':
      return successors.length > 0
        ? `CloudFormation keeps the ${what}, with ${holds}, but outside the stack${taken}: ${loss}.`
        : `CloudFormation keeps the ${what}, with ${holds}, but outside the stack: nothing manages or uses it any more.`;
  }
}

/** A stack's template and paths, or an empty stack. */
const EMPTY: Pick<StackTemplate, 'template' | 'paths'> = {
  template: { Resources: {} },
  paths: new Map(),
};

/**
 * The stateful resources that deploying `head` over `base` replaces or
 * deletes, in every stack of every stage (stacks outside a stage, such as
 * the GitHub OIDC stacks, hold none). The replacement behaviour of each
 * property comes from the CDK's CloudFormation diff engine and its resource
 * specification, completed by {@link FIXED_AT_CREATION}.
 */
export function statefulChanges(
  base: readonly StackTemplate[],
  head: readonly StackTemplate[],
): StatefulChange[] {
  const staged = (stacks: readonly StackTemplate[]) =>
    new Map(stacks.filter((s) => s.stack.includes('/')).map((s) => [s.stack, s]));
  const before = staged(base);
  const after = staged(head);
  const stackIds = [...new Set([...before.keys(), ...after.keys()])].sort();
  const pathOf = (stack: string, paths: ReadonlyMap<string, string>, logicalId: string) =>
    `${stack}/${paths.get(logicalId) ?? logicalId}`;

  // New stateful resources of the head, by type, for the successors of removed ones.
  const additions = stackIds.flatMap((stack) => {
    const old = before.get(stack)?.template as Template | undefined;
    const next = after.get(stack);
    return Object.entries((next?.template as Template | undefined)?.Resources ?? {})
      .filter(([id, r]) => old?.Resources?.[id] === undefined && STATEFUL_TYPES[r.Type])
      .map(([id, r]) => ({
        stack,
        type: r.Type,
        path: pathOf(stack, next!.paths, id),
        relative: next!.paths.get(id),
      }));
  });

  return stackIds.flatMap((stack) => {
    const old = before.get(stack) ?? { ...EMPTY, stackName: after.get(stack)!.stackName };
    const next = after.get(stack) ?? EMPTY;
    const oldTemplate = old.template as Template;
    const audit = auditLogGroups(oldTemplate);
    const stage = stack.split('/')[0];
    const changes: StatefulChange[] = [];
    fullDiff(old.template, next.template).resources.forEachDifference((logicalId, change) => {
      const type = change.oldResourceType ?? change.newResourceType ?? '';
      const stateful = STATEFUL_TYPES[type];
      if (
        !stateful ||
        change.isAddition ||
        (type === 'AWS::Logs::LogGroup' && !audit.has(logicalId))
      ) {
        return;
      }
      const verdict = classify(change, type);
      if (!verdict) {
        return;
      }
      const relative = old.paths.get(logicalId);
      const candidates = additions.filter((a) => a.type === type && a.path.startsWith(`${stage}/`));
      const moved = candidates.filter((a) => a.relative === relative && a.stack !== stack);
      const successors =
        verdict.kind === 'delete' || verdict.kind === 'orphan'
          ? (moved.length > 0 ? moved : candidates.filter((a) => a.stack === stack)).map(
              (a) => a.path,
            )
          : [];
      changes.push({
        stage,
        stackName: old.stackName ?? stack.replace(/\//g, '-'),
        path: pathOf(stack, old.paths, logicalId),
        logicalId,
        type,
        kind: verdict.kind,
        properties: verdict.properties,
        fixedAtCreation: verdict.fixedAtCreation,
        successors,
        consequence: consequenceOf(
          verdict,
          stateful,
          oldTemplate.Resources?.[logicalId],
          successors,
        ),
      });
    });
    return changes;
  });
}
