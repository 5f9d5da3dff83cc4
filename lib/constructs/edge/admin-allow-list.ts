import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { BlockingRule } from './platform-web-acl';

/** Properties of {@link AdminAllowList}. */
export interface AdminAllowListProps {
  /** Path prefixes of the admin surface, e.g. `/v1/api/admin`. At least one. */
  readonly pathPrefixes: readonly string[];
  /** IPv4 and IPv6 CIDRs allowed to call them (validated by the config schema). Empty: nobody. */
  readonly cidrs: readonly string[];
}

type Statement = wafv2.CfnWebACL.StatementProperty;

const transformations = (...types: string[]) => types.map((type, priority) => ({ priority, type }));

/**
 * Two rounds of URL decoding: `%2e`, and `%252e` for a service that decodes
 * once more. The second round is URL_DECODE_UNI (the same, plus `%uHHHH`).
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 */
const DECODED = ['URL_DECODE', 'URL_DECODE_UNI'];

/**
 * The path as a lenient server reads it: decoded twice, backslashes as
 * slashes, repeated slashes and dot-segments resolved (NORMALIZE_PATH_WIN),
 * case folded.
 */
const LENIENT = [...DECODED, 'NORMALIZE_PATH_WIN', 'LOWERCASE'];

/**
 * A dot-segment: `.` or `..` between separators (`/` or `\`) or at either end,
 * optionally with `;parameters` (`..;` is `..` to servlet containers).
 * Non-capturing groups: AWS WAF's regex support excludes capturing groups.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-regex-pattern-support.html
 */
export const DOT_SEGMENT_REGEX = String.raw`(?:^|[/\\])\.\.?(?:;[^/\\]*)?(?:[/\\]|$)`;

/**
 * A prefix as servers that drop `;parameters` from segments read it:
 * `/v1/api/admin` also matches `/v1;x/api/admin`.
 */
function lenientPrefixPattern(prefix: string): string {
  return prefix
    .split('/')
    .slice(1)
    .map((segment) => `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)
    .join('(?:;[^/]*)?');
}

/**
 * The CloudFront web ACL's rules for the admin surface, evaluated first:
 *
 * 1. `PathDotSegment`: blocks any request whose path has a dot-segment (`.`,
 *    `..`, `..;`), plain or URL-encoded once or twice. Browsers and clients
 *    resolve dot-segments before sending, so only a crafted request has one,
 *    and servers resolve them differently (the load balancer does not).
 * 2. `AdminPathMismatch`: blocks any request whose raw path and its lenient
 *    reading ({@link LENIENT}, `;parameters` ignored) disagree about starting
 *    with an admin prefix: `//v1/api/admin`, `/v1/api%2Fadmin`,
 *    `/V1/API/ADMIN`, `/v1/api;x/admin`. The load balancer routes on the raw,
 *    case-sensitive path; a service may read the lenient one.
 * 3. `AdminAllowList`: blocks requests to an admin prefix (either reading)
 *    unless the client IP is in the IPv4 or IPv6 IP set.
 *
 * It belongs in the CloudFront ACL because only there WAF sees the viewer's
 * address; behind CloudFront the load balancer sees CloudFront's. WAF IP sets
 * hold one IP version each, hence two sets.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
 */
export class AdminAllowList extends Construct {
  /** The allowed IPv4 ranges. */
  readonly ipv4Set: wafv2.CfnIPSet;
  /** The allowed IPv6 ranges. */
  readonly ipv6Set: wafv2.CfnIPSet;
  /** The blocking rules, in evaluation order. */
  readonly rules: readonly BlockingRule[];

  constructor(scope: Construct, id: string, props: AdminAllowListProps) {
    super(scope, id);
    if (props.pathPrefixes.length === 0 || props.pathPrefixes.some((p) => !/^\/./.test(p))) {
      throw new Error(
        `AdminAllowList: pathPrefixes ${JSON.stringify(props.pathPrefixes)} must name at least one prefix, each "/segment..."`,
      );
    }
    const ipSet = (version: 'IPV4' | 'IPV6', addresses: string[]) =>
      new wafv2.CfnIPSet(this, version === 'IPV4' ? 'Ipv4' : 'Ipv6', {
        scope: 'CLOUDFRONT',
        ipAddressVersion: version,
        addresses,
        description: `Clients allowed to call ${props.pathPrefixes.join(', ')}`,
      });
    this.ipv4Set = ipSet(
      'IPV4',
      props.cidrs.filter((cidr) => !cidr.includes(':')),
    );
    this.ipv6Set = ipSet(
      'IPV6',
      props.cidrs.filter((cidr) => cidr.includes(':')),
    );

    const any = (statements: Statement[]): Statement =>
      statements.length === 1 ? statements[0] : { orStatement: { statements } };
    const not = (statement: Statement): Statement => ({ notStatement: { statement } });
    const all = (...statements: Statement[]): Statement => ({ andStatement: { statements } });

    const rawAdmin = any(
      props.pathPrefixes.map((prefix) => ({
        byteMatchStatement: {
          fieldToMatch: { uriPath: {} },
          positionalConstraint: 'STARTS_WITH',
          searchString: prefix,
          textTransformations: transformations('NONE'),
        },
      })),
    );
    const lenientAdmin: Statement = {
      regexMatchStatement: {
        fieldToMatch: { uriPath: {} },
        regexString: `^(?:${props.pathPrefixes.map(lenientPrefixPattern).join('|')})`,
        textTransformations: transformations(...LENIENT),
      },
    };
    const allowedClient = any(
      [this.ipv4Set, this.ipv6Set].map((set) => ({
        ipSetReferenceStatement: { arn: set.attrArn },
      })),
    );
    this.rules = [
      {
        name: 'PathDotSegment',
        statement: {
          regexMatchStatement: {
            fieldToMatch: { uriPath: {} },
            regexString: DOT_SEGMENT_REGEX,
            textTransformations: transformations(...DECODED),
          },
        },
      },
      {
        name: 'AdminPathMismatch',
        statement: any([all(rawAdmin, not(lenientAdmin)), all(lenientAdmin, not(rawAdmin))]),
      },
      {
        name: 'AdminAllowList',
        statement: all(any([rawAdmin, lenientAdmin]), not(allowedClient)),
      },
    ];
  }
}
