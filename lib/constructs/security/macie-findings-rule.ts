import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FindingSeverity } from '../../../config';
import { findingsToTopic } from './findings-to-topic';

/**
 * The lowest Macie severity score sent for each configured level. Macie
 * scores findings 1 (Low) to 3 (High) and has no Critical: `critical` sends
 * its High findings.
 * See https://docs.aws.amazon.com/macie/latest/user/findings-publish-event-schemas.html
 */
export const MACIE_MINIMUM_SCORE: Readonly<Record<FindingSeverity, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  critical: 3,
};

/** Properties of {@link MacieFindingsRule}. */
export interface MacieFindingsRuleProps {
  /** Findings at or above this level are sent. */
  readonly minimumSeverity: FindingSeverity;
  /** Where they are sent. */
  readonly topic: sns.ITopic;
}

/**
 * Sends Macie findings (policy and sensitive data findings) at or above a
 * severity from the default event bus to the notifications topic, as the
 * original event, like the GuardDuty findings. It works whether this app or
 * an organisation enabled Macie in the account.
 * See https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-macie.html
 */
export class MacieFindingsRule extends Construct {
  /** The EventBridge rule. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: MacieFindingsRuleProps) {
    super(scope, id);
    this.rule = findingsToTopic(this, {
      description: `Macie findings of severity ${props.minimumSeverity} or above to the notifications topic`,
      eventPattern: {
        source: ['aws.macie'],
        detailType: ['Macie Finding'],
        detail: {
          severity: {
            score: events.Match.greaterThanOrEqual(MACIE_MINIMUM_SCORE[props.minimumSeverity]),
          },
        },
      },
      topic: props.topic,
    });
  }
}
