import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFindings, controlTower, nist } from '../../compliance/acknowledge';

/** No principal under a boundary that carries this statement can take a boundary off a role or user. */
export const denyRemovingBoundaries = () =>
  new iam.PolicyStatement({
    sid: 'DenyRemovingBoundaries',
    effect: iam.Effect.DENY,
    actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
    resources: ['*'],
  });

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
 * allow *and* the boundary allows. This one allows everything except
 * privilege escalation and tampering with the audit trail, so it never blocks
 * what the platform's own policies grant, while a compromised role cannot:
 * - create or re-bound a role or user without this boundary (escaping it),
 * - remove a boundary, or edit or delete this policy,
 * - stop or change CloudTrail, GuardDuty or Security Hub, or leave the organisation.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
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
          actions: [
            'iam:CreatePolicyVersion',
            'iam:DeletePolicy',
            'iam:DeletePolicyVersion',
            'iam:SetDefaultPolicyVersion',
          ],
          resources: [ownArn],
        }),
        new iam.PolicyStatement({
          sid: 'DenyAuditTampering',
          effect: iam.Effect.DENY,
          actions: [
            'cloudtrail:DeleteTrail',
            'cloudtrail:PutEventSelectors',
            'cloudtrail:StopLogging',
            'cloudtrail:UpdateTrail',
            'guardduty:DeleteDetector',
            'guardduty:DisassociateFromAdministratorAccount',
            'guardduty:UpdateDetector',
            'securityhub:DisableSecurityHub',
            'securityhub:DisassociateFromAdministratorAccount',
            'organizations:LeaveOrganization',
          ],
          resources: ['*'],
        }),
      ],
    });
    const ceiling =
      "A permissions boundary is a ceiling, not a grant: Allow * only lets through what the role's own least-privilege policies grant, and the Deny statements carve out escalation and audit tampering.";
    for (const id of ['Action::*', 'Resource::*']) {
      Validations.of(this.policy.node.defaultChild as Construct).acknowledge({
        id: `AwsSolutions-IAM5[${id}]`,
        reason: ceiling,
      });
    }
    acknowledgeFindings(
      this.policy,
      [
        nist('IAMPolicyNoStatementsWithAdminAccess'),
        nist('IAMPolicyNoStatementsWithFullAccess'),
        controlTower('iam_managed_policy_no_statements_with_admin_access_check'),
        controlTower('iam_managed_policy_no_statements_with_full_access_check'),
      ],
      ceiling,
    );
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
