import * as ipaddr from 'ipaddr.js';

/**
 * A small evaluator of the AWS WAF statements this platform writes, so rules
 * can be tested against crafted requests: byte and regex matches on the URI
 * path with text transformations, IP set references, AND / OR / NOT. Rate-based
 * statements never match a single request; managed rule groups are not
 * evaluated (their rules are AWS's), and any other statement fails the test.
 *
 * Transformations as AWS documents them (the ModSecurity functions they come
 * from): https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 */

/** What the evaluator looks at: the URI path (no query string) and the client IP. */
export interface WafRequest {
  readonly path: string;
  readonly ip: string;
}

type CfnResources = Record<string, { Type: string; Properties?: any }>;

const decodePercent = (value: string, unicode: boolean) =>
  value.replace(/%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g, (match, wide: string, byte: string) => {
    if (byte !== undefined) {
      return String.fromCharCode(parseInt(byte, 16));
    }
    if (!unicode) {
      // %uHHHH is Microsoft's encoding: only URL_DECODE_UNI decodes it.
      return match;
    }
    const code = parseInt(wide, 16);
    // Full-width ASCII (FF01-FF5E) maps to its ASCII character; otherwise the low byte is kept.
    return String.fromCharCode(
      code >= 0xff01 && code <= 0xff5e ? (code & 0xff) + 0x20 : code & 0xff,
    );
  });

/**
 * NORMALIZE_PATH: "removes multiple slashes, directory self-references, and
 * directory back-references that are not at the beginning of the input".
 */
function normalizePath(value: string): string {
  const collapsed = value.replace(/\/{2,}/g, '/');
  const absolute = collapsed.startsWith('/');
  const segments = (absolute ? collapsed.slice(1) : collapsed).split('/');
  const out: string[] = [];
  let trailingSlash = false;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    trailingSlash = last && (segment === '' || segment === '.' || segment === '..');
    if (segment === '.' || (segment === '' && last)) {
      return;
    }
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
      return;
    }
    out.push(segment);
  });
  const body = out.join('/');
  return `${absolute ? '/' : ''}${body}${trailingSlash && body !== '' ? '/' : ''}`;
}

/** One text transformation. */
export function transform(type: string, value: string): string {
  switch (type) {
    case 'NONE':
      return value;
    case 'URL_DECODE':
      return decodePercent(value, false);
    case 'URL_DECODE_UNI':
      return decodePercent(value, true);
    case 'NORMALIZE_PATH':
      return normalizePath(value);
    case 'NORMALIZE_PATH_WIN':
      return normalizePath(value.replace(/\\/g, '/'));
    case 'LOWERCASE':
      return value.replace(/[A-Z]/g, (c) => c.toLowerCase());
    default:
      throw new Error(`waf-evaluator: transformation ${type} is not modelled`);
  }
}

function fieldOf(statement: any, request: WafRequest): string {
  if (!('UriPath' in statement.FieldToMatch)) {
    throw new Error(
      `waf-evaluator: field ${JSON.stringify(statement.FieldToMatch)} is not modelled`,
    );
  }
  return [...statement.TextTransformations]
    .sort((a: any, b: any) => a.Priority - b.Priority)
    .reduce((value: string, t: any) => transform(t.Type, value), request.path);
}

function byteMatches(constraint: string, value: string, search: string): boolean {
  switch (constraint) {
    case 'EXACTLY':
      return value === search;
    case 'STARTS_WITH':
      return value.startsWith(search);
    case 'ENDS_WITH':
      return value.endsWith(search);
    case 'CONTAINS':
      return value.includes(search);
    default:
      throw new Error(`waf-evaluator: positional constraint ${constraint} is not modelled`);
  }
}

function inIpSet(resources: CfnResources, arn: any, ip: string): boolean {
  const id = arn?.['Fn::GetAtt']?.[0];
  const set = resources[id];
  if (set?.Type !== 'AWS::WAFv2::IPSet') {
    throw new Error(`waf-evaluator: ${JSON.stringify(arn)} is not an IP set of the template`);
  }
  const address = ipaddr.parse(ip);
  return (set.Properties.Addresses as string[]).some((cidr) => {
    const range = ipaddr.parseCIDR(cidr);
    return address.kind() === range[0].kind() && address.match(range);
  });
}

/** Whether `statement` (a WebACL rule statement, as synthesized) matches `request`. */
export function statementMatches(
  statement: any,
  request: WafRequest,
  resources: CfnResources,
): boolean {
  const [kind] = Object.keys(statement);
  const body = statement[kind];
  switch (kind) {
    case 'AndStatement':
      return body.Statements.every((s: any) => statementMatches(s, request, resources));
    case 'OrStatement':
      return body.Statements.some((s: any) => statementMatches(s, request, resources));
    case 'NotStatement':
      return !statementMatches(body.Statement, request, resources);
    case 'ByteMatchStatement':
      return byteMatches(body.PositionalConstraint, fieldOf(body, request), body.SearchString);
    case 'RegexMatchStatement':
      return new RegExp(body.RegexString).test(fieldOf(body, request));
    case 'IPSetReferenceStatement':
      return inIpSet(resources, body.Arn, request.ip);
    case 'RateBasedStatement':
      return false;
    default:
      throw new Error(`waf-evaluator: statement ${kind} is not modelled`);
  }
}

/**
 * The first rule of the web ACL in `resources` that blocks `request`, in
 * priority order, or `allowed` (the platform's ACLs allow by default).
 */
export function verdictOf(resources: CfnResources, request: WafRequest): string {
  const acls = Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  if (acls.length !== 1) {
    throw new Error(`waf-evaluator: expected one web ACL, found ${acls.length}`);
  }
  const rules = [...acls[0].Properties.Rules].sort((a: any, b: any) => a.Priority - b.Priority);
  for (const rule of rules) {
    if (rule.Statement.ManagedRuleGroupStatement) {
      continue;
    }
    if (!rule.Action?.Block) {
      throw new Error(`waf-evaluator: rule ${rule.Name} does not block; not modelled`);
    }
    if (statementMatches(rule.Statement, request, resources)) {
      return rule.Name;
    }
  }
  return 'allowed';
}
