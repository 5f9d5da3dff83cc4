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
  readonly context?: Readonly<Record<string, string>>;
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
 * The condition operators the platform's boundaries use, evaluated as IAM
 * does for single-valued keys; an unknown operator fails the test loudly.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
function conditionHolds(
  operator: string,
  key: string,
  expected: unknown,
  context: Readonly<Record<string, string>>,
): boolean {
  const values = asArray(expected as string | string[]).map(String);
  const actual = context[key];
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
    case 'ArnLike':
      return values.some((v) => wildcard(v, actual, false));
    case 'StringNotLike':
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
