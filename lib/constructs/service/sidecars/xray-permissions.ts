import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Lets the task send traces to X-Ray: the actions of the
 * AWSXRayDaemonWriteAccess managed policy, as an inline grant.
 * See https://docs.aws.amazon.com/xray/latest/devguide/security_iam_id-based-policy-examples.html
 */
export function grantXRayWrite(taskDefinition: ecs.TaskDefinition): void {
  iam.Grant.addToPrincipal({
    grantee: taskDefinition.taskRole,
    actions: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
    // X-Ray's write actions support no resource-level permissions.
    resourceArns: ['*'],
  });
}
