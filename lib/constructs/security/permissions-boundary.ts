import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeBoundaryCeiling } from '../../compliance/acknowledge';
import { ECS_EXEC_TAG, ECS_EXEC_TAG_CONDITION } from '../service/ecs-exec-access';

/** No principal under a boundary that carries this statement can take a boundary off a role or user. */
export const denyRemovingBoundaries = () =>
  new iam.PolicyStatement({
    sid: 'DenyRemovingBoundaries',
    effect: iam.Effect.DENY,
    actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
    resources: ['*'],
  });

/**
 * What a bounded role could use to give itself or another principal more
 * than it was granted: write or attach policies, change a trust policy, pass
 * or assume roles, mint credentials, publish a new default policy version.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate
 */
export const PRIVILEGE_ESCALATION_ACTIONS = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreatePolicyVersion',
  'iam:CreateServiceSpecificCredential',
  'iam:PassRole',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAccessKey',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateLoginProfile',
  'iam:UploadSSHPublicKey',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
] as const;

/**
 * What would blind the account's audit and detection: the trail, bucket
 * policies, keys, log groups, EventBridge rules (the alarm and finding
 * routes), GuardDuty, Security Hub, AWS Config and the organisation.
 */
export const AUDIT_TAMPERING_ACTIONS = [
  'cloudtrail:DeleteTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:StopLogging',
  'cloudtrail:UpdateTrail',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'config:StopConfigurationRecorder',
  'events:DeleteRule',
  'events:DisableRule',
  'events:RemoveTargets',
  'guardduty:CreateFilter',
  'guardduty:CreateIPSet',
  'guardduty:DeleteDetector',
  'guardduty:DeleteFilter',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:UpdateDetector',
  'guardduty:UpdateFilter',
  'guardduty:UpdateIPSet',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'logs:DeleteLogGroup',
  'logs:DeleteLogStream',
  'logs:DeleteRetentionPolicy',
  'logs:DisassociateKmsKey',
  'logs:PutRetentionPolicy',
  'organizations:LeaveOrganization',
  's3:DeleteBucketPolicy',
  's3:PutBucketPolicy',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  'securityhub:BatchDisableStandards',
  'securityhub:BatchUpdateFindings',
  'securityhub:DisableSecurityHub',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:UpdateStandardsControl',
] as const;

/**
 * What would destroy or silence the baseline services of the account beyond
 * the audit trail: the database's AWS Backup recovery points, vault and plan;
 * Macie (its session, findings filters that archive findings, the buckets
 * automated discovery inspects); AWS Config's recording scope, delivery,
 * rules and retention; and DNS Firewall with its query logging (a rule group
 * or its association removed, a rule or the VPC's fail-open setting changed,
 * a domain list emptied). Each name is checked against the IAM service
 * reference by the tests.
 *
 * None of these is called by a bounded role: AWS Backup's plan role (the
 * managed `AWSBackupServiceRolePolicyForBackup`) holds no `backup:` write
 * of this list and expires the database's recovery points by deleting their
 * `awsbackup:` snapshots with `rds:DeleteDBClusterSnapshot`, which the
 * boundary leaves alone; the AWS Config recorder's role only reads
 * configurations and delivers to its archive; CloudFormation creates, updates
 * and deletes these resources with the execution role, which this boundary
 * does not bind. Checked 2026-12-02:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html
 * and https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteRecoveryPoint.html
 */
export const BASELINE_TAMPERING_ACTIONS = [
  'backup:DeleteBackupPlan',
  'backup:DeleteBackupSelection',
  'backup:DeleteBackupVault',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultNotifications',
  'backup:DeleteRecoveryPoint',
  'backup:DisassociateRecoveryPoint',
  'backup:PutBackupVaultAccessPolicy',
  'backup:UpdateBackupPlan',
  'backup:UpdateRecoveryPointLifecycle',
  'config:DeleteConfigRule',
  'config:DeleteConformancePack',
  'config:DeleteEvaluationResults',
  'config:DeleteRetentionConfiguration',
  'config:PutConfigurationRecorder',
  'config:PutDeliveryChannel',
  'config:PutRetentionConfiguration',
  'macie2:CreateFindingsFilter',
  'macie2:DisableMacie',
  'macie2:DisassociateFromAdministratorAccount',
  'macie2:DisassociateFromMasterAccount',
  'macie2:UpdateClassificationScope',
  'macie2:UpdateFindingsFilter',
  'macie2:UpdateMacieSession',
  'route53resolver:DeleteFirewallDomainList',
  'route53resolver:DeleteFirewallRule',
  'route53resolver:DeleteFirewallRuleGroup',
  'route53resolver:DeleteResolverQueryLogConfig',
  'route53resolver:DisassociateFirewallRuleGroup',
  'route53resolver:DisassociateResolverQueryLogConfig',
  'route53resolver:UpdateFirewallConfig',
  'route53resolver:UpdateFirewallDomains',
  'route53resolver:UpdateFirewallRule',
  'route53resolver:UpdateFirewallRuleGroupAssociation',
] as const;

/**
 * The name of the role that turns on Macie's automated sensitive data
 * discovery (one per account and region, with the baseline): the only
 * principal under the boundary that may call
 * `macie2:UpdateAutomatedDiscoveryConfiguration`, which turns discovery on
 * and off alike (IAM has no condition key for its status).
 * See https://docs.aws.amazon.com/macie/latest/APIReference/automated-discovery-configuration.html
 */
export const macieEnablerRoleName = (region: string): string => `platform-macie-enabler-${region}`;

/** Properties of {@link PermissionsBoundary}. */
export interface PermissionsBoundaryProps {
  /**
   * Name of the managed policy, unique in the account (one per environment):
   * 1-128 characters of letters, digits and `+=,.@-_`.
   */
  readonly policyName: string;
}

/**
 * The IAM permissions boundary of every role the platform creates.
 *
 * A boundary is a ceiling, not a grant: a role can do what its own policies
 * allow *and* the boundary allows. This one allows everything except the
 * escalation and tampering paths, so it never blocks what the platform's own
 * least-privilege policies grant (a test checks every grant of every stage),
 * while a compromised role cannot:
 * - create or re-bound a role or user without this boundary, remove a
 *   boundary, or edit or delete this policy (escaping it),
 * - attach or write policies, change a trust policy, pass or assume roles,
 *   create access keys or passwords, or publish a new version of any policy,
 * - stop, change or delete the audit trail and its objects, bucket policies,
 *   keys (deletion, disabling, key policy), log groups, EventBridge rules,
 *   GuardDuty (detector, filters, trusted IP sets), Security Hub (standards,
 *   findings) or AWS Config, or leave the organisation,
 * - delete or shorten the database's AWS Backup recovery points, or delete
 *   or re-policy its vault and plan; disable, pause or filter Macie, or turn
 *   off its automated discovery (except the role that turns it on); change
 *   what AWS Config records and keeps; remove or weaken DNS Firewall or its
 *   query logging,
 * - exec into an ECS task without the exec tag, or add or remove that tag.
 * It binds the workload roles only: the CloudFormation execution role that
 * deploys and updates it is bound by the CDK execution boundary instead, so
 * the deployment that changes this policy is never blocked by it.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_delegate-permissions_examples.html
 */
export class PermissionsBoundary extends Construct {
  /** The managed policy. */
  readonly policy: iam.ManagedPolicy;
  /** Its name. */
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,128}$/.test(props.policyName)) {
      throw new Error(
        `PermissionsBoundary ${id}: policyName "${props.policyName}" must be 1-128 characters of letters, digits and +=,.@-_`,
      );
    }
    this.policyName = props.policyName;
    // The policy names its own ARN, so it is spelt out rather than referenced (a self-reference).
    const ownArn = this.arnIn(Stack.of(this));

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.policyName,
      description:
        'Permissions boundary of every platform role: no privilege escalation, no audit tampering',
      statements: [
        new iam.PolicyStatement({
          sid: 'AllowWhatTheRolesOwnPoliciesGrant',
          actions: ['*'],
          resources: ['*'],
        }),
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary
        new iam.PolicyStatement({
          sid: 'DenyRolesAndUsersWithoutThisBoundary',
          effect: iam.Effect.DENY,
          actions: [
            'iam:CreateRole',
            'iam:CreateUser',
            'iam:PutRolePermissionsBoundary',
            'iam:PutUserPermissionsBoundary',
          ],
          resources: ['*'],
          conditions: { StringNotEquals: { 'iam:PermissionsBoundary': ownArn } },
        }),
        denyRemovingBoundaries(),
        new iam.PolicyStatement({
          sid: 'DenyChangingThisBoundary',
          effect: iam.Effect.DENY,
          actions: ['iam:DeletePolicy', 'iam:DeletePolicyVersion'],
          resources: [ownArn],
        }),
        new iam.PolicyStatement({
          sid: 'DenyPrivilegeEscalation',
          effect: iam.Effect.DENY,
          actions: [...PRIVILEGE_ESCALATION_ACTIONS],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenyAuditTampering',
          effect: iam.Effect.DENY,
          actions: [...AUDIT_TAMPERING_ACTIONS],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenyBaselineTampering',
          effect: iam.Effect.DENY,
          actions: [...BASELINE_TAMPERING_ACTIONS],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenyTurningOffMacieDiscovery',
          effect: iam.Effect.DENY,
          actions: ['macie2:UpdateAutomatedDiscoveryConfiguration'],
          resources: ['*'],
          conditions: {
            ArnNotEquals: {
              'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${macieEnablerRoleName(Aws.REGION)}`,
            },
          },
        }),
        // A task opens to ECS Exec only with the exec tag, which only deployments set:
        // no bounded role may exec into an untagged task, nor add or remove the tag.
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/control-access-with-tags.html
        new iam.PolicyStatement({
          sid: 'DenyExecIntoUntaggedTasks',
          effect: iam.Effect.DENY,
          actions: ['ecs:ExecuteCommand'],
          resources: [`arn:${Aws.PARTITION}:ecs:*:*:task/*`],
          conditions: { StringNotEquals: { [ECS_EXEC_TAG_CONDITION]: ECS_EXEC_TAG.value } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyChangingTheExecTag',
          effect: iam.Effect.DENY,
          actions: ['ecs:TagResource', 'ecs:UntagResource'],
          resources: ['*'],
          conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [ECS_EXEC_TAG.key] } },
        }),
        // CloudTrail, load balancer and CloudFront logs are written below AWSLogs/.
        // See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
        new iam.PolicyStatement({
          sid: 'DenyDeletingLogObjects',
          effect: iam.Effect.DENY,
          // Bypassing governance retention would unlock a locked log file (Object Lock).
          actions: [
            's3:BypassGovernanceRetention',
            's3:DeleteObject',
            's3:DeleteObjectVersion',
            's3:PutObjectRetention',
          ],
          resources: [`arn:${Aws.PARTITION}:s3:::*/AWSLogs/*`],
        }),
      ],
    });
    const ceiling =
      "A permissions boundary is a ceiling, not a grant: Allow * only lets through what the role's own least-privilege policies grant, and the Deny statements carve out escalation and audit tampering.";
    acknowledgeBoundaryCeiling(this.policy, ceiling);
  }

  /**
   * The policy's ARN as seen from `stack` (same account): a string built from
   * the name, so roles in other stacks reference it without a CloudFormation
   * export.
   */
  arnIn(stack: Stack): string {
    return stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'policy',
      resourceName: this.policyName,
    });
  }
}
