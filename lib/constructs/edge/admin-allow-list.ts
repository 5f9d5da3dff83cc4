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

/**
 * Case-folded, URL-decoded, normalised path: `/V1/api//%61dmin` must not slip
 * past a prefix match the load balancer would still route to the admin API.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
 */
const PATH_TRANSFORMATIONS = ['URL_DECODE', 'NORMALIZE_PATH', 'LOWERCASE'].map(
  (type, priority) => ({
    priority,
    type,
  }),
);

/**
 * The admin allow-list of the CloudFront web ACL: a rule that blocks requests
 * whose path starts with an admin prefix unless the client IP is in the IPv4
 * or IPv6 IP set. It belongs in the CloudFront ACL because only there WAF
 * sees the viewer's address; behind CloudFront the load balancer sees
 * CloudFront's. WAF IP sets hold one IP version each, hence two sets.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
 */
export class AdminAllowList extends Construct {
  /** The allowed IPv4 ranges. */
  readonly ipv4Set: wafv2.CfnIPSet;
  /** The allowed IPv6 ranges. */
  readonly ipv6Set: wafv2.CfnIPSet;
  /** The blocking rule: admin path AND NOT an allowed address. */
  readonly rule: BlockingRule;

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

    const pathMatches = props.pathPrefixes.map((prefix): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: PATH_TRANSFORMATIONS,
      },
    }));
    const adminPath =
      pathMatches.length === 1 ? pathMatches[0] : { orStatement: { statements: pathMatches } };
    const allowedClient = {
      orStatement: {
        statements: [this.ipv4Set, this.ipv6Set].map((set) => ({
          ipSetReferenceStatement: { arn: set.attrArn },
        })),
      },
    };
    this.rule = {
      name: 'AdminAllowList',
      statement: {
        andStatement: {
          statements: [adminPath, { notStatement: { statement: allowedClient } }],
        },
      },
    };
  }
}
