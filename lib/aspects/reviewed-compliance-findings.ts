import { CfnResource, IAspect, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import {
  acknowledgeFindings,
  controlTower,
  CROSS_STACK_REFERENCE,
  nist,
} from '../compliance/acknowledge';

/** The Control Tower control's minimum log retention (CT.CLOUDWATCH.PR.2). */
const CONTROL_TOWER_MINIMUM_RETENTION_DAYS = 365;

/** True when `value` is a reference to a resource of another stack than `scope`'s. */
function isCrossStackReference(value: unknown, scope: IConstruct): boolean {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) {
    return false;
  }
  const token = Tokenization.reverseString(value).firstToken;
  return Reference.isReference(token) && Stack.of(token.target) !== Stack.of(scope);
}

/**
 * CDK's own deploy-time custom-resource providers (the AwsCustomResource
 * singleton and the `Custom::*CustomResourceProvider` handlers): functions
 * CloudFormation alone invokes, with no code or settings of ours.
 */
function isCdkProviderFunction(node: CfnResource): boolean {
  return (
    node.cfnResourceType === 'AWS::Lambda::Function' &&
    /(\/AWS679f53fac002430cb0da5b7982bd2287\/Resource|CustomResourceProvider\/Handler)$/.test(
      node.node.path,
    )
  );
}

/**
 * Findings whose cause is a pattern, not one resource: each acknowledgement
 * lands on the one resource that matches it, after checking that it does, so
 * a resource that does not match still fails the rule (the same discipline as
 * ReviewedWildcardPermissions):
 * - grant-generated inline policies (NIST IAMNoInlinePolicy),
 * - log groups kept for less than a year by the environment's own setting
 *   (CT.CLOUDWATCH.PR.2), or encrypted with another stack's key,
 * - functions in the VPC, whose subnets are the Network stack's,
 * - CDK's custom-resource provider functions,
 * - security-group rules between two groups on the database's port token.
 */
export class ReviewedComplianceFindings implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof iam.CfnPolicy) {
      acknowledgeFindings(
        node,
        [nist('IAMNoInlinePolicy')],
        'A grant-generated policy (iam grants of aws-cdk-lib) attached to exactly one role created with it and ' +
          'deleted with it: a customer-managed policy would add a reusable, separately attachable object ' +
          'without narrowing a single permission; every statement is checked by AwsSolutions-IAM5.',
      );
    }
    if (node instanceof logs.CfnLogGroup) {
      const days = node.retentionInDays;
      if (typeof days === 'number' && days < CONTROL_TOWER_MINIMUM_RETENTION_DAYS) {
        acknowledgeFindings(
          node,
          [controlTower('cloudwatch_log_group_retention_period_check')],
          `Kept ${days} days, this environment's setting in config/<env>.ts (validated retention): ` +
            'development and staging logs are operational, not audit records; production keeps a year or more ' +
            'and CloudTrail keeps the audit record in its own archive.',
        );
      }
      if (isCrossStackReference(node.kmsKeyId, node)) {
        acknowledgeFindings(
          node,
          [controlTower('cloudwatch_log_group_encrypted_check')],
          `Encrypted with the stage's customer-managed logs key. ${CROSS_STACK_REFERENCE}`,
        );
      }
    }
    if (node instanceof lambda.CfnFunction) {
      const subnets = (node.vpcConfig as { subnetIds?: unknown[] } | undefined)?.subnetIds ?? [];
      if (subnets.length > 0 && subnets.every((s) => isCrossStackReference(s, node))) {
        acknowledgeFindings(
          node,
          [controlTower('lambda_inside_vpc_check')],
          `The function runs in the VPC's private subnets. ${CROSS_STACK_REFERENCE}`,
        );
      }
    }
    if (CfnResource.isCfnResource(node) && isCdkProviderFunction(node)) {
      acknowledgeFindings(
        node,
        [
          nist('LambdaInsideVPC'),
          nist('LambdaDLQ'),
          nist('LambdaConcurrency'),
          controlTower('lambda_inside_vpc_check'),
        ],
        "aws-cdk-lib's own custom-resource provider: CloudFormation invokes it synchronously during a " +
          'deployment and retries or rolls back on failure (so no dead-letter queue or reserved concurrency ' +
          'applies), and it calls only regional AWS APIs, reached without a VPC.',
      );
    }
    if (
      (node instanceof ec2.CfnSecurityGroupIngress &&
        node.sourceSecurityGroupId !== undefined &&
        node.cidrIp === undefined) ||
      (node instanceof ec2.CfnSecurityGroupEgress &&
        node.destinationSecurityGroupId !== undefined &&
        node.cidrIp === undefined)
    ) {
      if (Token.isUnresolved(node.fromPort)) {
        acknowledgeFindings(
          node,
          [nist('EC2RestrictedCommonPorts'), nist('EC2RestrictedSSH')],
          'A rule between two security groups (no CIDR) on the database endpoint port attribute, which ' +
            'cdk-nag cannot evaluate at synth time and so reports; it is PostgreSQL 5432 and admits one group.',
        );
      }
    }
  }
}
