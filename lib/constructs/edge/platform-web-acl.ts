import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { CLOUDFRONT_REGION } from '../../../config';

/**
 * Where a web ACL applies. `CLOUDFRONT` exists only in {@link CLOUDFRONT_REGION}.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
 */
export type WebAclScope = 'CLOUDFRONT' | 'REGIONAL';

/** A rule of ours that blocks what its statement matches. */
export interface BlockingRule {
  /** Rule and metric name: letters, digits and `-`. */
  readonly name: string;
  /** What to block. */
  readonly statement: wafv2.CfnWebACL.StatementProperty;
}

/** Properties of {@link PlatformWebAcl}. */
export interface PlatformWebAclProps {
  /** `CLOUDFRONT` (the stack must be in us-east-1) or `REGIONAL`. */
  readonly scope: WebAclScope;
  /**
   * Name of the ACL's metrics and suffix of its log group
   * (`aws-waf-logs-<name>`): letters, digits and `-`.
   */
  readonly name: string;
  /** Our rules, evaluated first, in this order. @default - none */
  readonly blockingRules?: readonly BlockingRule[];
  /** AWS managed rule groups (vendor `AWS`), evaluated after {@link blockingRules}, in this order. */
  readonly managedRuleGroups: readonly string[];
  /** Retention of the ACL's logs. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group. */
  readonly logsKey: kms.IKey;
  /** What happens to the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** Headers that carry credentials: never written to the WAF logs. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

/**
 * A WAFv2 web ACL that allows by default and blocks what its rules match, with
 * CloudWatch metrics per rule and full request logs (credentials redacted) in
 * a log group whose name starts with `aws-waf-logs-`, as WAF requires.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
 */
export class PlatformWebAcl extends Construct {
  /** The web ACL. */
  readonly webAcl: wafv2.CfnWebACL;
  /** Where the ACL logs every request. */
  readonly logGroup: logs.ILogGroup;
  /** The ACL's metric name: the `WebACL` dimension of its CloudWatch metrics. */
  readonly metricName: string;
  private readonly scope: WebAclScope;

  constructor(scope: Construct, id: string, props: PlatformWebAclProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-]{1,100}$/.test(props.name)) {
      throw new Error(
        `PlatformWebAcl: name ${JSON.stringify(props.name)} is not a WAF name; allowed: 1-100 letters, digits and "-"`,
      );
    }
    this.scope = props.scope;
    this.metricName = props.name;
    const region = Stack.of(this).region;
    if (props.scope === 'CLOUDFRONT' && region !== CLOUDFRONT_REGION) {
      throw new Error(
        `PlatformWebAcl: scope CLOUDFRONT needs a stack in ${CLOUDFRONT_REGION}, not ${region}`,
      );
    }
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const ours = (props.blockingRules ?? []).map((rule, index): wafv2.CfnWebACL.RuleProperty => ({
      name: rule.name,
      priority: index,
      statement: rule.statement,
      action: { block: {} },
      visibilityConfig: visibility(`${props.name}-${rule.name}`),
    }));
    const managed = props.managedRuleGroups.map((group, index): wafv2.CfnWebACL.RuleProperty => ({
      name: group,
      priority: ours.length + index,
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
      overrideAction: { none: {} },
      visibilityConfig: visibility(`${props.name}-${group}`),
    }));
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [...ours, ...managed],
    });

    const logGroupName = `aws-waf-logs-${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the ":*" suffix of LogGroup.logGroupArn.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
    logging.node.addDependency(this.logGroup);
  }

  /**
   * Associates this (`REGIONAL`) ACL with a resource such as a load balancer.
   * The association is created in `scope` under `id`.
   */
  associate(scope: Construct, id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    if (this.scope !== 'REGIONAL') {
      throw new Error('PlatformWebAcl: a CLOUDFRONT web ACL is attached by its distribution');
    }
    return new wafv2.CfnWebACLAssociation(scope, id, {
      resourceArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
