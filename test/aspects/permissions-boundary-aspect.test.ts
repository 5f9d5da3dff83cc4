import { AspectPriority, Aspects, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PermissionsBoundaryAspect } from '../../lib/aspects/permissions-boundary-aspect';
import { PermissionsBoundary } from '../../lib/constructs/security/permissions-boundary';
import { logicalIdOf } from '../helpers/logical-ids';
import { rolesWithoutBoundary, stacksOf } from '../helpers/stage-checks';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

describe('permissions boundary', () => {
  test.each(shippedEnvironments.map((config) => config.name))(
    'is on every IAM role of every stack of %s, CDK-internal roles included',
    (name) => {
      const { stage, template } = synthesized(name);
      const templates = new Map(stacksOf(stage).map((stack) => [stack.stackName, template(stack)]));
      const roles = [...templates.values()].flatMap((t) =>
        Object.keys(t.findResources('AWS::IAM::Role')),
      );
      expect(roles.length).toBeGreaterThan(0);
      expect(rolesWithoutBoundary(templates)).toEqual([]);
      // A CDK-internal role: the one of the provider behind the default security group's custom resource.
      const network = template(stage.network);
      const resources = network.toJSON().Resources;
      const [restrictDefaultGroup] = Object.values(
        network.findResources('Custom::VpcRestrictDefaultSG'),
      );
      const [handler] = restrictDefaultGroup.Properties.ServiceToken['Fn::GetAtt'];
      const [providerRole] = resources[handler].Properties.Role['Fn::GetAtt'];
      expect(resources[providerRole]).toMatchObject({
        Type: 'AWS::IAM::Role',
        Properties: { PermissionsBoundary: expect.anything() },
      });
    },
  );

  describe('in a fixture stage', () => {
    const app = newTestApp();
    const stage = new Stage(app, 'Fixture');
    const home = new Stack(stage, 'Home');
    const boundary = new PermissionsBoundary(home, 'Boundary', { policyName: 'fixture-boundary' });
    const other = new Stack(stage, 'Other');
    new iam.Role(home, 'SameStackRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    });
    new iam.Role(other, 'L2Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    new CfnResource(other, 'RawRole', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    });
    Aspects.of(stage).add(new PermissionsBoundaryAspect(boundary), {
      priority: AspectPriority.MUTATING,
    });
    const homeTemplate = Template.fromStack(home);
    const otherTemplate = Template.fromStack(other);

    test('references the policy from a role of its own stack', () => {
      homeTemplate.hasResourceProperties('AWS::IAM::Role', {
        PermissionsBoundary: { Ref: logicalIdOf(boundary.policy) },
      });
    });

    test('names the policy by ARN from iam.Role and raw CfnResource roles of other stacks, deployed after it', () => {
      const arn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':policy/fixture-boundary',
          ],
        ],
      };
      const roles = Object.values(otherTemplate.findResources('AWS::IAM::Role'));
      expect(roles).toHaveLength(2);
      for (const role of roles) {
        expect(role.Properties.PermissionsBoundary).toEqual(arn);
      }
      expect(other.dependencies).toContain(home);
      expect(rolesWithoutBoundary(new Map([['Other', otherTemplate]]))).toEqual([]);
    });

    test('fails when a role has no boundary: the check names it', () => {
      const bare = new Stack(newTestApp(), 'Bare');
      new iam.Role(bare, 'Unbounded', { assumedBy: new iam.AccountRootPrincipal() });
      expect(rolesWithoutBoundary(new Map([['Bare', Template.fromStack(bare)]]))).toEqual([
        expect.stringMatching(/^Bare\/Unbounded/),
      ]);
    });
  });
});

describe('the boundary policy', () => {
  const { stage, template } = synthesized('prod');
  const policy = template(stage.operations).findResources('AWS::IAM::ManagedPolicy');
  const [document] = Object.values(policy).map((p) => p.Properties.PolicyDocument);
  const statement = (sid: string) => document.Statement.find((s: { Sid: string }) => s.Sid === sid);
  // prod pins account 333333333333 and region ap-northeast-1 (enablePartitionLiterals).
  const ownArn = 'arn:aws:iam::333333333333:policy/prod-permissions-boundary';

  test('is named per environment and allows what the roles own policies grant', () => {
    expect(Object.values(policy)[0].Properties.ManagedPolicyName).toBe('prod-permissions-boundary');
    expect(statement('AllowWhatTheRolesOwnPoliciesGrant')).toMatchObject({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
    });
  });

  test('denies creating or re-bounding roles and users without this boundary', () => {
    expect(statement('DenyRolesAndUsersWithoutThisBoundary')).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining([
        'iam:CreateRole',
        'iam:CreateUser',
        'iam:PutRolePermissionsBoundary',
      ]),
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': ownArn } },
    });
  });

  test('denies removing boundaries and changing this policy', () => {
    expect(statement('DenyRemovingBoundaries')).toMatchObject({
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
    });
    expect(statement('DenyChangingThisBoundary')).toMatchObject({
      Effect: 'Deny',
      Action: ['iam:DeletePolicy', 'iam:DeletePolicyVersion'],
      Resource: ownArn,
    });
    // New versions of any policy, this one included (test/constructs/security/permissions-boundary.test.ts).
    expect(statement('DenyPrivilegeEscalation')).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']),
      Resource: '*',
    });
  });

  test('denies stopping the audit trail, GuardDuty and Security Hub, and leaving the organisation', () => {
    expect(statement('DenyAuditTampering')).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining([
        'cloudtrail:StopLogging',
        'cloudtrail:DeleteTrail',
        'guardduty:DeleteDetector',
        'securityhub:DisableSecurityHub',
        'organizations:LeaveOrganization',
      ]),
      Resource: '*',
    });
  });
});
