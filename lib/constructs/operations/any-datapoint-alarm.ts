import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/**
 * An alarm as soon as `metric` reaches 1 in one period (an error, a message in
 * a dead-letter queue); no data counts as fine, so a quiet resource stays OK.
 */
export function alarmOnAnyDatapoint(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  description: string,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric,
    alarmDescription: description,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
