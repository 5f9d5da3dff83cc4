import { RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformWebAcl } from '../edge/platform-web-acl';
import { rateLimitRule } from '../edge/rate-limit-rule';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';

/**
 * AWS managed rule groups in front of the user pools, in evaluation order. Not
 * the account takeover prevention group (ATP), which Cognito refuses.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
 */
export const USER_POOL_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
] as const;

/** Properties of {@link UserPoolWebAcl}. */
export interface UserPoolWebAclProps {
  /** Name of the ACL's metrics and suffix of its log group: letters, digits and `-`. */
  readonly name: string;
  /** Requests one IP may send per window before it is blocked. */
  readonly rateLimit: { readonly limit: number; readonly windowSeconds: number };
  /** Retention of the ACL's logs. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the log group and its key when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The REGIONAL web ACL in front of the user pools' managed login pages and
 * Cognito API endpoints (sign-in, token refresh, password reset): a per-IP
 * rate limit, then IP reputation and the common rule set, logged to an
 * encrypted log group. Cognito passes WAF no passwords, user names or other
 * personal data, so the rules see addresses, paths, headers and API actions.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html
 */
export class UserPoolWebAcl extends Construct {
  /** The web ACL. */
  readonly webAcl: PlatformWebAcl;

  constructor(scope: Construct, id: string, props: UserPoolWebAclProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy;
    this.webAcl = new PlatformWebAcl(this, 'WebAcl', {
      scope: 'REGIONAL',
      name: props.name,
      blockingRules: [rateLimitRule(props.rateLimit.limit, props.rateLimit.windowSeconds)],
      managedRuleGroups: USER_POOL_MANAGED_RULE_GROUPS,
      logRetention: props.logRetention,
      logsKey: new LogsEncryptionKey(this, 'LogsKey', {
        description: `${props.name}: encrypts the user pools' web ACL logs`,
        removalPolicy,
      }).key,
      removalPolicy,
    });
  }

  /** Puts the ACL in front of `userPool` (an association in `scope`, as `WebAclAssociation`). */
  protect(scope: Construct, userPool: cognito.IUserPool): void {
    this.webAcl.associate(scope, 'WebAclAssociation', userPool.userPoolArn);
  }
}
