import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PermissionsBoundary } from '../../../lib/constructs/security/permissions-boundary';
import { allows, PolicyRequest, PolicyStatementJson } from '../../helpers/policy-evaluator';
import { stacksOf } from '../../helpers/stage-checks';
import { newTestApp, synthesized, synthesizedApp } from '../../helpers/test-app';

const ACCOUNT = '111111111111';
const REGION = 'ap-northeast-1';
const BOUNDARY_NAME = 'dev-permissions-boundary';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME}`;

/** A template value with the pseudo parameters and joins resolved for one account and region. */
function resolved(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(resolved);
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::AccountId': ACCOUNT,
        'AWS::Region': REGION,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      return pseudo[object.Ref as string] ?? `ref:${String(object.Ref)}`;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(resolved(part))).join(separator);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolved(v)]));
  }
  return value;
}

/** The statements of the managed policy named `name` in `template`. */
function statementsOf(template: Template, name: string): PolicyStatementJson[] {
  const [policy] = Object.values(
    template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { ManagedPolicyName: name },
    }),
  );
  return resolved(policy.Properties.PolicyDocument.Statement) as PolicyStatementJson[];
}

describe('PermissionsBoundary', () => {
  const stack = new Stack(newTestApp(), 'Boundary', {
    env: { account: ACCOUNT, region: REGION },
  });
  new PermissionsBoundary(stack, 'PermissionsBoundary', { policyName: BOUNDARY_NAME });
  const boundary = statementsOf(Template.fromStack(stack), BOUNDARY_NAME);
  const bucketObject = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

  const denied: [string, PolicyRequest][] = [
    [
      'attaching a managed policy to a role',
      { action: 'iam:AttachRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/any` },
    ],
    [
      'writing an inline role policy',
      { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/any` },
    ],
    [
      'changing a trust policy',
      { action: 'iam:UpdateAssumeRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/any` },
    ],
    ['passing a role', { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/any` }],
    [
      'creating an access key',
      { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/any` },
    ],
    [
      'publishing a new version of any policy',
      { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${ACCOUNT}:policy/other` },
    ],
    [
      'publishing a new version of this boundary',
      { action: 'iam:CreatePolicyVersion', resource: BOUNDARY_ARN },
    ],
    ['deleting this boundary', { action: 'iam:DeletePolicy', resource: BOUNDARY_ARN }],
    [
      'assuming another role (e.g. an unbounded bootstrap role)',
      {
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-deploy-role`,
      },
    ],
    [
      'creating a role without this boundary',
      {
        action: 'iam:CreateRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/any`,
        context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/other` },
      },
    ],
    [
      'creating a role with no boundary at all',
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/any` },
    ],
    [
      'removing a role boundary',
      { action: 'iam:DeleteRolePermissionsBoundary', resource: `arn:aws:iam::${ACCOUNT}:role/any` },
    ],
    [
      'deleting a trail log object',
      {
        action: 's3:DeleteObject',
        resource: bucketObject(
          'trail-archive',
          `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/12/01/log.json.gz`,
        ),
      },
    ],
    [
      'deleting a version of a load balancer log object',
      {
        action: 's3:DeleteObjectVersion',
        resource: bucketObject('alb-logs', `alb/AWSLogs/${ACCOUNT}/elasticloadbalancing/x.log.gz`),
      },
    ],
    [
      'unlocking a governance-locked trail log object',
      {
        action: 's3:BypassGovernanceRetention',
        resource: bucketObject(
          'trail-archive',
          `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/12/01/log.json.gz`,
        ),
      },
    ],
    [
      'changing the Object Lock configuration of a bucket',
      { action: 's3:PutBucketObjectLockConfiguration', resource: 'arn:aws:s3:::trail-archive' },
    ],
    [
      'rewriting a bucket policy',
      { action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::trail-archive' },
    ],
    [
      'scheduling the trail key for deletion',
      { action: 'kms:ScheduleKeyDeletion', resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/trail` },
    ],
    [
      'rewriting a key policy',
      { action: 'kms:PutKeyPolicy', resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/any` },
    ],
    [
      'deleting a log group',
      {
        action: 'logs:DeleteLogGroup',
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:any`,
      },
    ],
    [
      'disabling an EventBridge rule',
      {
        action: 'events:DisableRule',
        resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/guardduty-findings`,
      },
    ],
    [
      'stopping CloudTrail',
      {
        action: 'cloudtrail:StopLogging',
        resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/platform`,
      },
    ],
    [
      'suppressing GuardDuty findings with a filter',
      {
        action: 'guardduty:CreateFilter',
        resource: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/d`,
      },
    ],
    [
      'trusting an IP set in GuardDuty',
      {
        action: 'guardduty:CreateIPSet',
        resource: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/d`,
      },
    ],
    [
      'disabling a Security Hub standard',
      {
        action: 'securityhub:BatchDisableStandards',
        resource: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`,
      },
    ],
    [
      'stopping AWS Config',
      {
        action: 'config:StopConfigurationRecorder',
        resource: `arn:aws:config:${REGION}:${ACCOUNT}:configuration-recorder/default`,
      },
    ],
    ['leaving the organisation', { action: 'organizations:LeaveOrganization', resource: '*' }],
  ];
  const allowed: [string, PolicyRequest][] = [
    [
      'reading a secret',
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dev/database/api-AbCdEf`,
      },
    ],
    [
      'consuming a queue',
      { action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:image-worker` },
    ],
    [
      'publishing a lifecycle event',
      { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${ACCOUNT}:lifecycle` },
    ],
    [
      'decrypting with a key',
      { action: 'kms:Decrypt', resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/any` },
    ],
    [
      'writing log events',
      {
        action: 'logs:PutLogEvents',
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:app:log-stream:x`,
      },
    ],
    ['uploading traces', { action: 'xray:PutTraceSegments', resource: '*' }],
    ['opening an ECS Exec channel', { action: 'ssmmessages:OpenDataChannel', resource: '*' }],
    [
      'writing an application object',
      { action: 's3:PutObject', resource: bucketObject('images', 'tenant/1.png') },
    ],
    [
      'deleting an application object',
      { action: 's3:DeleteObject', resource: bucketObject('images', 'tenant/1.png') },
    ],
    [
      'revoking a default security group rule (deploy-time provider)',
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-1`,
      },
    ],
    [
      'creating a role with this boundary',
      {
        action: 'iam:CreateRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/any`,
        context: { 'iam:PermissionsBoundary': BOUNDARY_ARN },
      },
    ],
  ];

  test.each(denied)('denies %s', (_name, request) => {
    expect(allows(boundary, request)).toBe(false);
  });

  test.each(allowed)('still allows %s', (_name, request) => {
    expect(allows(boundary, request)).toBe(true);
  });

  test('allows every action granted to a bounded role in every shipped stage', () => {
    const { stages } = synthesizedApp();
    const problems = stages.flatMap((stage) => {
      const statements = statementsOf(
        synthesized(stage.config.name).template(stage.operations),
        `${stage.config.name}-permissions-boundary`,
      );
      return stacksOf(stage).flatMap((stack) => {
        const template = synthesized(stage.config.name).template(stack);
        const grants = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
          (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
        );
        return grants
          .filter((grant) => grant.Effect === 'Allow')
          .flatMap((grant) =>
            [grant.Action ?? []].flat().map((action) => {
              const [service] = action.split(':');
              const literal = [grant.Resource]
                .flat()
                .find((r) => typeof r === 'string' && r !== '*');
              const resource =
                (literal as string | undefined) ??
                `arn:aws:${service}:${REGION}:${ACCOUNT}:platform-resource`;
              return allows(statements, { action, resource })
                ? undefined
                : `${stack.stackName}: ${action} on ${resource}`;
            }),
          )
          .filter((problem): problem is string => problem !== undefined);
      });
    });
    expect(problems).toEqual([]);
  });

  test('binds no role that deploys it: the pipeline may update this policy', () => {
    const [pipelineStack] = synthesizedApp().pipelineStacks;
    const template = Template.fromStack(pipelineStack);
    const boundaries = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((policy) =>
        String(policy.Properties.Description).startsWith('Permissions boundary of the CDK'),
      )
      .map(
        (policy) => resolved(policy.Properties.PolicyDocument.Statement) as PolicyStatementJson[],
      );
    expect(boundaries).toHaveLength(1);
    for (const action of ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion']) {
      expect(allows(boundaries[0], { action, resource: BOUNDARY_ARN })).toBe(true);
    }
  });
});
