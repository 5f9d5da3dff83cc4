import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FindingSeverity } from '../../../config';
import { findingsToTopic } from './findings-to-topic';

/**
 * The lowest numeric severity of each GuardDuty level (Low 1.0-3.9,
 * Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0).
 * See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
 */
export const MINIMUM_SEVERITY_VALUE: Readonly<Record<FindingSeverity, number>> = {
  low: 1,
  medium: 4,
  high: 7,
  critical: 9,
};

/** Properties of {@link GuardDutyFindingsRule}. */
export interface GuardDutyFindingsRuleProps {
  /** Findings at or above this level are sent. */
  readonly minimumSeverity: FindingSeverity;
  /** Where they are sent. */
  readonly topic: sns.ITopic;
}

/**
 * Sends GuardDuty findings at or above a severity from the default event bus
 * to the notifications topic, as the original event (AWS Chatbot formats
 * GuardDuty events itself). The rule works whether this app or an
 * organisation's administrator created the detector: GuardDuty publishes a
 * member account's findings to that account's event bus too.
 * See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 */
export class GuardDutyFindingsRule extends Construct {
  /** The EventBridge rule. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: GuardDutyFindingsRuleProps) {
    super(scope, id);
    this.rule = findingsToTopic(this, {
      description: `GuardDuty findings of severity ${props.minimumSeverity} or above to the notifications topic`,
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: {
          severity: events.Match.greaterThanOrEqual(MINIMUM_SEVERITY_VALUE[props.minimumSeverity]),
        },
      },
      topic: props.topic,
    });
  }
}
