import { IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * Adds to the policy of every KMS key the platform creates a statement that
 * denies `kms:CreateGrant` unless the grant is for an AWS resource or made
 * by an AWS service (Control Tower CT.KMS.PR.3). The services that use our
 * keys (RDS, Secrets Manager, Lambda, ECS, CloudWatch Logs, SQS, SNS) create
 * their grants that way; a person or role could otherwise hand the key's use
 * to any principal with a grant, outside the key policy.
 * See https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html#ct-kms-pr-3-description
 */
export class AwsServiceGrantsOnly implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof kms.Key) {
      node.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyGrantsNotForAwsResources',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: {
            BoolIfExists: {
              'kms:GrantIsForAWSResource': 'false',
              'aws:PrincipalIsAWSService': 'false',
            },
          },
        }),
      );
    }
  }
}
