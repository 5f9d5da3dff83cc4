import { IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { nagResourceName } from './nag-resource-name';

/** A wildcard a security reviewer has accepted, for exactly these actions. */
interface ReviewedWildcard {
  /** Every action of the statement must be one of these. */
  readonly actions: ReadonlySet<string>;
  /** The wildcard resource, as cdk-nag renders it. */
  readonly resource: RegExp;
  /** Why the wildcard cannot be narrower. */
  readonly reason: string;
}

/**
 * The catalogue of accepted wildcards. Anything else with a `*` still fails
 * cdk-nag (AwsSolutions-IAM5), including a reviewed action that shares a
 * wildcard statement with an unreviewed one.
 */
const REVIEWED_WILDCARDS: readonly ReviewedWildcard[] = [
  {
    actions: new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      'logs:DescribeLogGroups',
      'ecr:GetAuthorizationToken',
    ]),
    resource: /^\*$/,
    reason:
      'These actions support no resource-level permissions, so "*" is the only valid resource: X-Ray trace upload, ' +
      'the ECS Exec SSM message channels, log group listing for ECS Exec, and the ECR login token. See ' +
      'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  },
  {
    actions: new Set(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']),
    resource: /:log-group:[^*]+:\*$/,
    reason:
      'Log stream names are chosen at run time (one per task or ECS Exec session), so the grant covers the streams of ' +
      'one named log group, and nothing beyond it.',
  },
  {
    actions: new Set(['sts:AssumeRole']),
    resource: /:role\/cdk-[a-z0-9]+-\*-[^*]+$/,
    reason:
      'The GitHub deploy role may assume the CDK bootstrap roles of one account and region (deploy, file and image ' +
      'publishing, lookup), and no other role: the wildcard stands only for the role kind, between the qualifier ' +
      'and the account.',
  },
  {
    actions: new Set(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']),
    resource: /:parameter\/[^*]+\/\*$/,
    reason:
      'The pipeline reads every parameter below its own environment path (/<env>/...), whose values are Secrets ' +
      'Manager ARNs; the names are chosen per environment, so the grant covers that one path only.',
  },
];

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Acknowledges cdk-nag's wildcard findings (AwsSolutions-IAM5) on a policy
 * when, and only when, every statement that produces the finding is in the
 * reviewed catalogue above. Runs as an Aspect because the CDK adds grant
 * statements to policies until the end of construction.
 */
export class ReviewedWildcardPermissions implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) {
      return;
    }
    const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    const verdicts = new Map<string, { reviewed: boolean; reason?: string }>();
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') {
        continue;
      }
      const actions = asArray(statement.Action);
      for (const resource of asArray(statement.Resource).map(nagResourceName)) {
        if (!resource.includes('*')) {
          continue;
        }
        const review = REVIEWED_WILDCARDS.find(
          (r) => r.resource.test(resource) && actions.every((action) => r.actions.has(action)),
        );
        const finding = `Resource::${resource}`;
        const previous = verdicts.get(finding);
        verdicts.set(finding, {
          reviewed: (previous?.reviewed ?? true) && review !== undefined,
          reason: review?.reason ?? previous?.reason,
        });
      }
    }
    for (const [finding, verdict] of verdicts) {
      if (verdict.reviewed && verdict.reason) {
        Validations.of(node).acknowledge({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: verdict.reason,
        });
      }
    }
  }
}
