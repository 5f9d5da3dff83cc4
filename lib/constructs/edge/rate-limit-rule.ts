import { RATE_LIMIT_WINDOWS_SECONDS } from '../../../config';
import { BlockingRule } from './platform-web-acl';

/**
 * A rule that blocks a client IP while it sends more than `limit` requests
 * per `windowSeconds` (one of RATE_LIMIT_WINDOWS_SECONDS). In the CloudFront
 * ACL the IP is the viewer's.
 * See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
export function rateLimitRule(limit: number, windowSeconds: number): BlockingRule {
  if (!Number.isInteger(limit) || limit < 10) {
    throw new Error(
      `rateLimitRule: limit ${limit} is not allowed; WAF needs a whole number of 10 or more`,
    );
  }
  if (!(RATE_LIMIT_WINDOWS_SECONDS as readonly number[]).includes(windowSeconds)) {
    throw new Error(
      `rateLimitRule: windowSeconds ${windowSeconds} is not allowed; allowed: ${RATE_LIMIT_WINDOWS_SECONDS.join(', ')}`,
    );
  }
  return {
    name: 'RatePerIp',
    statement: {
      rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: windowSeconds },
    },
  };
}
