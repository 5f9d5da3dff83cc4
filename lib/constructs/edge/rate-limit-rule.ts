import { BlockingRule } from './platform-web-acl';

/**
 * A rule that blocks a client IP while it sends more than `limit` requests
 * per `windowSeconds` (WAF allows 60, 120, 300 or 600). In the CloudFront
 * ACL the IP is the viewer's.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
export function rateLimitRule(limit: number, windowSeconds: number): BlockingRule {
  if (!Number.isInteger(limit) || limit < 10) {
    throw new Error(
      `rateLimitRule: limit ${limit} is not allowed; WAF needs a whole number of 10 or more`,
    );
  }
  if (![60, 120, 300, 600].includes(windowSeconds)) {
    throw new Error(
      `rateLimitRule: windowSeconds ${windowSeconds} is not allowed; allowed: 60, 120, 300, 600`,
    );
  }
  return {
    name: 'RatePerIp',
    statement: {
      rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: windowSeconds },
    },
  };
}
