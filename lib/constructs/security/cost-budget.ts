import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BudgetConfig } from '../../../config';

/** Properties of {@link CostBudget}. */
export interface CostBudgetProps {
  /** Limit, currency and alert threshold. */
  readonly budget: BudgetConfig;
  /** Receives the alert (its policy lets budgets.amazonaws.com publish). */
  readonly topic: sns.ITopic;
}

/**
 * A monthly cost budget of the account that alerts the topic when actual
 * cost reaches the threshold.
 * See https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
 */
export class CostBudget extends Construct {
  /** The budget. */
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const { monthlyLimit, currency, alertThresholdPercent } = props.budget;
    if (!(monthlyLimit > 0)) {
      throw new Error(
        `CostBudget ${id}: budget.monthlyLimit ${monthlyLimit} must be greater than 0`,
      );
    }
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: monthlyLimit, unit: currency },
      },
      notificationsWithSubscribers: [
        {
          notification: {
            notificationType: 'ACTUAL',
            comparisonOperator: 'GREATER_THAN',
            threshold: alertThresholdPercent,
            thresholdType: 'PERCENTAGE',
          },
          subscribers: [{ subscriptionType: 'SNS', address: props.topic.topicArn }],
        },
      ],
    });
  }
}
