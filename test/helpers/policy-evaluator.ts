import { Template } from 'aws-cdk-lib/assertions';

/** A statement of an IAM policy document as a template holds it. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** One request: an action on a resource, with the request's condition keys. */
export interface PolicyRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys; a multivalued key (`aws:TagKeys`) as an array. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM's wildcard match (`*` any run, `?` one character), case-insensitive for actions. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/**
 * The condition operators the platform's policies use, evaluated as IAM
 * does for single-valued keys, and `ForAnyValue:` over a multivalued key
 * (true when any of its values matches; false when it has none); an unknown
 * operator fails the test loudly.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
function conditionHolds(
  operator: string,
  key: string,
  expected: unknown,
  context: Readonly<Record<string, string | readonly string[]>>,
): boolean {
  const forAnyValue = 'ForAnyValue:';
  if (operator.startsWith(forAnyValue)) {
    const actual = context[key];
    return (typeof actual === 'string' ? [actual] : (actual ?? [])).some((value) =>
      conditionHolds(operator.slice(forAnyValue.length), key, expected, { [key]: value }),
    );
  }
  const values = asArray(expected as string | string[]).map(String);
  const raw = context[key];
  if (raw !== undefined && typeof raw !== 'string') {
    throw new Error(`policy-evaluator: ${key} is multivalued; use a ForAnyValue: operator`);
  }
  const actual = raw;
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (actual === undefined) {
    return ifExists || base.startsWith('StringNot') || base.startsWith('ArnNot');
  }
  switch (base) {
    case 'StringEquals':
    case 'Bool':
      return values.includes(actual);
    case 'StringNotEquals':
      return !values.includes(actual);
    case 'StringLike':
    case 'ArnEquals':
    case 'ArnLike':
      return values.some((v) => wildcard(v, actual, false));
    case 'StringNotLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return !values.some((v) => wildcard(v, actual, false));
    default:
      throw new Error(`policy-evaluator: condition operator ${operator} is not supported`);
  }
}

function matches(statement: PolicyStatementJson, request: PolicyRequest): boolean {
  const actionMatch = statement.Action
    ? asArray(statement.Action).some((a) => wildcard(a, request.action, true))
    : !asArray(statement.NotAction).some((a) => wildcard(a, request.action, true));
  const resourceMatch = asArray(statement.Resource as string | string[]).some((r) =>
    wildcard(r, request.resource, false),
  );
  const conditions = Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) =>
      conditionHolds(operator, key, expected, request.context ?? {}),
    ),
  );
  return actionMatch && resourceMatch && conditions;
}

/**
 * Whether a policy allows a request: an explicit Deny wins, otherwise an
 * Allow must match (IAM's evaluation within one policy; here, a boundary).
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function allows(
  statements: readonly PolicyStatementJson[],
  request: PolicyRequest,
): boolean {
  const applicable = statements.filter((s) => matches(s, request));
  return (
    applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny')
  );
}

/** Where a template's pseudo parameters resolve to. */
export interface PolicyEnvironment {
  readonly account: string;
  readonly region: string;
}

/** A template value with the pseudo parameters and joins resolved for one account and region. */
export function resolved(value: unknown, env: PolicyEnvironment): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolved(item, env));
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::AccountId': env.account,
        'AWS::Region': env.region,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      return pseudo[object.Ref as string] ?? `ref:${String(object.Ref)}`;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(resolved(part, env))).join(separator);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolved(v, env)]));
  }
  return value;
}

/** The statements of the managed policy named `name` in `template`, resolved for `env`. */
export function managedPolicyStatements(
  template: Template,
  name: string,
  env: PolicyEnvironment,
): PolicyStatementJson[] {
  const [policy] = Object.values(
    template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { ManagedPolicyName: name },
    }),
  );
  if (!policy) {
    throw new Error(`policy-evaluator: no managed policy named ${name}`);
  }
  return resolved(policy.Properties.PolicyDocument.Statement, env) as PolicyStatementJson[];
}
