import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** What {@link findingsToTopic} sends. */
export interface FindingsToTopicProps {
  /** The rule's description. */
  readonly description: string;
  /** The findings it matches on the default event bus. */
  readonly eventPattern: events.EventPattern;
  /** Where they are sent. */
  readonly topic: sns.ITopic;
}

/**
 * An EventBridge rule, created in `scope` as `Rule`, that sends a security
 * service's findings from the account's default event bus to the
 * notifications topic as the original events (AWS Chatbot formats the
 * events of GuardDuty and Macie itself).
 */
export function findingsToTopic(scope: Construct, props: FindingsToTopicProps): events.Rule {
  return new events.Rule(scope, 'Rule', {
    description: props.description,
    eventPattern: props.eventPattern,
    targets: [new targets.SnsTopic(props.topic)],
  });
}
