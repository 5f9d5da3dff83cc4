import { Template } from 'aws-cdk-lib/assertions';
import { loadReleases, validateEnvironments } from '../../../config';
import { pascalCase } from '../../../lib/naming';
import { addPlatform } from '../../../lib/platform-app';
import { changed, developmentConfig } from '../../helpers/config-builder';
import { newTestApp, shippedEnvironments, synthesized } from '../../helpers/test-app';

const HOST = 'token.actions.githubusercontent.com';

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
}

/** The push role of `service` and the statements of its policy. */
function pushRoleOf(template: Template, service: string) {
  const id = pascalCase(service);
  const roles = template.findResources('AWS::IAM::Role') as Record<string, Resource>;
  const [roleId, role] = Object.entries(roles).find(([logicalId]) =>
    logicalId.startsWith(`${id}PushRole`),
  )!;
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  const statements = Object.values(policies)
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  const repositoryId = Object.keys(template.findResources('AWS::ECR::Repository')).find((r) =>
    r.startsWith(`${id}Repository`),
  )!;
  return { role, statements, repositoryId };
}

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'image push roles of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const template = templateOf(stage.services[0]);

    describe.each(config.application.services.map((spec) => [spec.name, spec] as const))(
      '%s',
      (service, spec) => {
        const { role, statements, repositoryId } = pushRoleOf(template, service);

        test("is trusted only by its own repository's main branch (OIDC, exact subject)", () => {
          const [trust, ...others] = role.Properties.AssumeRolePolicyDocument.Statement;
          expect(others).toEqual([]);
          expect(trust).toEqual({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: expect.anything() },
            Condition: {
              StringEquals: {
                [`${HOST}:aud`]: 'sts.amazonaws.com',
                [`${HOST}:sub`]: `repo:${spec.github.owner}/${spec.github.repository}:ref:refs/heads/main`,
              },
            },
          });
          // The account's provider, created by its GitHub OIDC stack.
          const provider = JSON.stringify(trust.Principal.Federated);
          expect(provider).toContain(`:oidc-provider/${HOST}`);
          expect(provider).toContain(config.account ?? 'AWS::AccountId');
        });

        test('may push to and pull from its own repository, read its scan findings, and get an ECR login', () => {
          expect(statements).toEqual([
            {
              Effect: 'Allow',
              Action: [
                'ecr:BatchCheckLayerAvailability',
                'ecr:BatchGetImage',
                'ecr:CompleteLayerUpload',
                'ecr:DescribeImageScanFindings',
                'ecr:DescribeImages',
                'ecr:GetDownloadUrlForLayer',
                'ecr:InitiateLayerUpload',
                'ecr:PutImage',
                'ecr:UploadLayerPart',
              ],
              Resource: { 'Fn::GetAtt': [repositoryId, 'Arn'] },
            },
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          ]);
        });

        test('carries the environment permissions boundary', () => {
          expect(role.Properties.PermissionsBoundary).toBeDefined();
        });

        test('is published as the publish target of the service repository', () => {
          const outputs = template.findOutputs(`${pascalCase(service)}PublishTarget`);
          expect(JSON.stringify(Object.values(outputs)[0].Value)).toContain(
            `{\\"environment\\":\\"${name}\\",\\"role\\":\\"`,
          );
        });
      },
    );
  },
);

describe('an image push role of a repository with immutable subject claims', () => {
  test('trusts the subject with the owner and repository IDs', () => {
    const [config] = validateEnvironments([
      changed(developmentConfig(), (d) => {
        d.application.services[0].github = {
          owner: 'example-org',
          repository: 'web-service',
          immutableIds: { owner: 1234, repository: 5678 },
        };
      }),
    ]);
    const [stage] = addPlatform(
      newTestApp(),
      [config],
      loadReleases([config], { dev: { web: 'bootstrap', worker: 'bootstrap' } }),
    );
    const { role } = pushRoleOf(Template.fromStack(stage.services[0]), 'web');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: {
        [`${HOST}:aud`]: 'sts.amazonaws.com',
        [`${HOST}:sub`]: 'repo:example-org@1234/web-service@5678:ref:refs/heads/main',
      },
    });
  });
});
