import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  BASELINE_TAMPERING_ACTIONS,
  macieEnablerRoleName,
  PermissionsBoundary,
} from '../../../lib/constructs/security/permissions-boundary';
import { unknownIamActions } from '../../helpers/iam-grants';
import { ECS_EXEC_TAG } from '../../../lib/constructs/service/ecs-exec-access';
import {
  allows,
  managedPolicyStatements,
  PolicyRequest,
  PolicyStatementJson,
  resolved,
} from '../../helpers/policy-evaluator';
import { stacksOf } from '../../helpers/stage-checks';
import { newTestApp, synthesized, synthesizedApp } from '../../helpers/test-app';

const ACCOUNT = '111111111111';
const REGION = 'ap-northeast-1';
const BOUNDARY_NAME = 'dev-permissions-boundary';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME}`;

const ENV = { account: ACCOUNT, region: REGION };

/** The statements of the managed policy named `name` in `template`. */
const statementsOf = (template: Template, name: string) =>
  managedPolicyStatements(template, name, ENV);

describe('PermissionsBoundary', () => {
  const stack = new Stack(newTestApp(), 'Boundary', {
    env: { account: ACCOUNT, region: REGION },
  });
  new PermissionsBoundary(stack, 'PermissionsBoundary', { policyName: BOUNDARY_NAME });
  const boundary = statementsOf(Template.fromStack(stack), BOUNDARY_NAME);
  const bucketObject = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
  const vault = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:database`;
  const recoveryPoint = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;
  const untaggedTask = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/dev-cluster/0123456789abcdef`;

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
    [
      'deleting a recovery point of the database',
      { action: 'backup:DeleteRecoveryPoint', resource: recoveryPoint },
    ],
    [
      'shortening the lifecycle of a recovery point',
      { action: 'backup:UpdateRecoveryPointLifecycle', resource: recoveryPoint },
    ],
    [
      'disassociating a recovery point from its resource',
      { action: 'backup:DisassociateRecoveryPoint', resource: recoveryPoint },
    ],
    ['deleting the backup vault', { action: 'backup:DeleteBackupVault', resource: vault }],
    [
      "rewriting the backup vault's access policy",
      { action: 'backup:PutBackupVaultAccessPolicy', resource: vault },
    ],
    [
      "deleting the backup vault's access policy",
      { action: 'backup:DeleteBackupVaultAccessPolicy', resource: vault },
    ],
    [
      'deleting the backup plan',
      {
        action: 'backup:DeleteBackupPlan',
        resource: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:plan-1`,
      },
    ],
    ['disabling Macie', { action: 'macie2:DisableMacie', resource: '*' }],
    ['pausing Macie', { action: 'macie2:UpdateMacieSession', resource: '*' }],
    [
      'archiving Macie findings with a filter',
      {
        action: 'macie2:CreateFindingsFilter',
        resource: `arn:aws:macie2:${REGION}:${ACCOUNT}:findings-filter/*`,
      },
    ],
    [
      "turning off Macie's automated discovery (any role but the enabler)",
      {
        action: 'macie2:UpdateAutomatedDiscoveryConfiguration',
        resource: '*',
        context: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/some-workload` },
      },
    ],
    [
      'narrowing what AWS Config records',
      {
        action: 'config:PutConfigurationRecorder',
        resource: `arn:aws:config:${REGION}:${ACCOUNT}:configuration-recorder/default`,
      },
    ],
    ['redirecting AWS Config delivery', { action: 'config:PutDeliveryChannel', resource: '*' }],
    [
      'deleting the AWS Config delivery channel',
      { action: 'config:DeleteDeliveryChannel', resource: '*' },
    ],
    [
      "disassociating the VPC's DNS Firewall rule group",
      {
        action: 'route53resolver:DisassociateFirewallRuleGroup',
        resource: `arn:aws:route53resolver:${REGION}:${ACCOUNT}:firewall-rule-group-association/rslvr-frgassoc-1`,
      },
    ],
    [
      'deleting the DNS Firewall rule group',
      {
        action: 'route53resolver:DeleteFirewallRuleGroup',
        resource: `arn:aws:route53resolver:${REGION}:${ACCOUNT}:firewall-rule-group/rslvr-frg-1`,
      },
    ],
    [
      'letting DNS queries through when DNS Firewall fails (fail open)',
      {
        action: 'route53resolver:UpdateFirewallConfig',
        resource: `arn:aws:route53resolver:${REGION}:${ACCOUNT}:firewall-config/rslvr-fc-1`,
      },
    ],
    [
      'disassociating the VPC from Resolver query logging',
      {
        action: 'route53resolver:DisassociateResolverQueryLogConfig',
        resource: `arn:aws:route53resolver:${REGION}:${ACCOUNT}:resolver-query-log-config/rslvr-qlc-1`,
      },
    ],
    ['ECS Exec into an untagged task', { action: 'ecs:ExecuteCommand', resource: untaggedTask }],
    [
      'ECS Exec into a task whose exec tag has another value',
      {
        action: 'ecs:ExecuteCommand',
        resource: untaggedTask,
        context: { [`aws:ResourceTag/${ECS_EXEC_TAG.key}`]: 'yes' },
      },
    ],
    [
      'adding the exec tag to a task',
      {
        action: 'ecs:TagResource',
        resource: untaggedTask,
        context: { 'aws:TagKeys': ['team', ECS_EXEC_TAG.key] },
      },
    ],
    [
      'removing the exec tag from a service',
      {
        action: 'ecs:UntagResource',
        resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/dev-cluster/api`,
        context: { 'aws:TagKeys': [ECS_EXEC_TAG.key] },
      },
    ],
  ];
  const allowed: [string, PolicyRequest][] = [
    [
      "turning on Macie's automated discovery as the enabler role",
      {
        action: 'macie2:UpdateAutomatedDiscoveryConfiguration',
        resource: '*',
        context: {
          'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${macieEnablerRoleName(REGION)}`,
        },
      },
    ],
    [
      'ECS Exec into a task with the exec tag',
      {
        action: 'ecs:ExecuteCommand',
        resource: untaggedTask,
        context: { [`aws:ResourceTag/${ECS_EXEC_TAG.key}`]: ECS_EXEC_TAG.value },
      },
    ],
    [
      'tagging a task with other tags',
      {
        action: 'ecs:TagResource',
        resource: untaggedTask,
        context: { 'aws:TagKeys': ['team'] },
      },
    ],
    [
      'describing a recovery point',
      { action: 'backup:DescribeRecoveryPoint', resource: recoveryPoint },
    ],
    [
      'copying into the backup vault (the plan role)',
      { action: 'backup:CopyIntoBackupVault', resource: vault },
    ],
    [
      "expiring AWS Backup's snapshot of the database (the plan role)",
      {
        action: 'rds:DeleteDBClusterSnapshot',
        resource: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:awsbackup:job-1`,
      },
    ],
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
        const roles = template.findResources('AWS::IAM::Role');
        // A named role's ARN is the principal of its requests (the Macie enabler's exemption).
        const principalOf = (roleRefs: unknown): Record<string, string> => {
          const [ref] = [roleRefs].flat() as { Ref?: string }[];
          const name = ref?.Ref ? roles[ref.Ref]?.Properties?.RoleName : undefined;
          return name === undefined
            ? {}
            : { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${String(resolved(name, ENV))}` };
        };
        const grants = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
          (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]).map(
            (statement) => ({ statement, context: principalOf(policy.Properties.Roles) }),
          ),
        );
        return grants
          .filter(({ statement }) => statement.Effect === 'Allow')
          .flatMap(({ statement: grant, context }) =>
            [grant.Action ?? []].flat().map((action) => {
              const [service] = action.split(':');
              const literal = [grant.Resource]
                .flat()
                .find((r) => typeof r === 'string' && r !== '*');
              const resource =
                (literal as string | undefined) ??
                `arn:aws:${service}:${REGION}:${ACCOUNT}:platform-resource`;
              return allows(statements, { action, resource, context })
                ? undefined
                : `${stack.stackName}: ${action} on ${resource}`;
            }),
          )
          .filter((problem): problem is string => problem !== undefined);
      });
    });
    expect(problems).toEqual([]);
  });

  test('names only actions that exist in the IAM service reference', async () => {
    const actions = boundary
      .flatMap((s) => [s.Action ?? []].flat())
      .filter((action) => action !== '*');
    expect(actions).toEqual(expect.arrayContaining([...BASELINE_TAMPERING_ACTIONS]));
    expect(await unknownIamActions(actions)).toEqual([]);
  });

  test('keeps the size of a managed policy (6,144 characters without whitespace)', () => {
    const document = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    const [policy] = Object.values(document);
    expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThan(6144);
  });

  test('binds no role that deploys it: the pipeline may update this policy', () => {
    const [pipelineStack] = synthesizedApp().pipelineStacks;
    const template = Template.fromStack(pipelineStack);
    const boundaries = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((policy) =>
        String(policy.Properties.Description).startsWith('Permissions boundary of the CDK'),
      )
      .map(
        (policy) =>
          resolved(policy.Properties.PolicyDocument.Statement, ENV) as PolicyStatementJson[],
      );
    expect(boundaries).toHaveLength(1);
    for (const action of ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion']) {
      expect(allows(boundaries[0], { action, resource: BOUNDARY_ARN })).toBe(true);
    }
  });
});
