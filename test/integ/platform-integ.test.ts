import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { holdersOf, resourcesGranted, roleOfFunction } from '../helpers/iam-grants';
import { AssertionRequest } from '../../lambda/integ-assertions/contract';
import { validLoginId } from '../../lambda/shared/login-id';
import { ASSERTION_DATABASE_ROLE } from './assertion-function';
import { INTEG_RELEASE_TAG } from './hello-image';
import { integEnvironment, integRegion } from './integ-environment';
import { INTEG_LOGIN_ID } from './registration-assertions';
import { platformIntegApp } from './platform-integ-app';

/**
 * The integration suite, offline: the integration app synthesizes (cdk-nag
 * and the stage's aspects included), its test manifest and assertion stack
 * match the committed snapshot, and what makes a run leave nothing behind is
 * checked on every stack. integ-runner's own snapshot check cannot serve here
 * (README, "Integration suite"). Bundling is skipped: the templates are the
 * same with a placeholder asset, and asset hashes are masked.
 */
describe('the integration app', () => {
  const { app, stage, assertionStack, assertionFunction } = platformIntegApp(
    {},
    { context: { 'aws:cdk:bundling-stacks': [] } },
  );
  const assembly: CloudAssembly = app.synth();
  const stacks = stage.node.children.filter((child): child is Stack => child instanceof Stack);
  const templates = new Map(stacks.map((stack) => [stack, Template.fromStack(stack)]));

  test('declares one integ-runner test case: every stack of the stage, the assertions last', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, 'integ.json'), 'utf8'),
    ) as unknown;
    expect(manifest).toMatchSnapshot();
  });

  test('asserts through the real APIs (the assertion stack, asset hashes masked)', () => {
    // Each assertion carries `salt: Date.now()` so that every deployment runs it again.
    const template = JSON.stringify(templates.get(assertionStack)!.toJSON(), (key, value) =>
      key === 'salt' ? '<synth time>' : (value as unknown),
    );
    expect(JSON.parse(template)).toMatchSnapshot();
  });

  test('synthesizes offline the same on every machine: dev region, no run id', () => {
    expect(integRegion({})).toBe(stage.config.region);
    expect(integRegion({ CDK_INTEG_REGION: 'test-region' })).toBe(stage.config.region);
    expect(integRegion({ CDK_INTEG_REGION: 'eu-west-1' })).toBe('eu-west-1');
    expect(integEnvironment({ INTEG_RUN_ID: 'r1' }).identity.productPool.domainPrefix).toBe(
      'um-integ-r1-product',
    );
  });

  test('retains nothing and protects nothing, so a destroy removes every stack', () => {
    for (const [stack, template] of templates) {
      expect(stack.terminationProtection).toBe(false);
      const policies = Object.entries(template.toJSON().Resources as Record<string, any>)
        .filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
        .map(([id, r]) => `${stack.stackName}/${id}: ${r.DeletionPolicy}`);
      expect(policies).toEqual([]);
    }
    expect(stage.securityBaseline).toBeUndefined();
  });

  test('runs the hello image in every routed service and no task of the workers', () => {
    const [services] = stage.services;
    const template = templates.get(services)!;
    const routed = stage.config.application.services.filter((s) => s.route).map((s) => s.name);
    expect(routed).toEqual(['web', 'api', 'admin-api']);
    const images = Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((task) =>
      JSON.stringify(
        (task.Properties.ContainerDefinitions as { Name: string; Image: unknown }[]).find(
          (container) => container.Name === 'app',
        )!.Image,
      ),
    );
    expect(images.filter((image) => image.includes('container-assets'))).toHaveLength(3);
    expect(images.join('\n')).not.toContain(INTEG_RELEASE_TAG);
    const counts = Object.values(template.findResources('AWS::ECS::Service')).map(
      (service) => service.Properties.DesiredCount,
    );
    expect(counts.sort()).toEqual([0, 0, 1, 1, 1]);
  });

  describe('the assertion function (identity stack of the suite only)', () => {
    const identity = stage.identity;
    const template = templates.get(identity)!;
    const idOf = (construct: { node: { defaultChild?: unknown } }) =>
      identity.getLogicalId(construct.node.defaultChild as CfnElement);
    const functionId = idOf(assertionFunction.function);
    const fn = template.findResources('AWS::Lambda::Function')[functionId];
    const secretRef = { Ref: idOf(assertionFunction.databaseRole.secret) };

    test('logs in as a role of its own, which the schema migration creates and may read', () => {
      expect(assertionFunction.databaseRole.access).toBe('integ-assertions');
      expect(identity.identity.databaseRoles.role(ASSERTION_DATABASE_ROLE)).toBe(
        assertionFunction.databaseRole,
      );
      expect(fn.Properties.Environment.Variables.DB_SECRET_ARN).toEqual(secretRef);
      const migration =
        template.findResources('AWS::Lambda::Function')[idOf(identity.migration.function)];
      expect(JSON.stringify(migration.Properties.Environment.Variables.DB_ROLES)).toContain(
        '\\"role\\":\\"integ_assertions\\",\\"access\\":\\"integ-assertions\\"',
      );
      // Besides the function: the migration and the secret's own rotation.
      expect(holdersOf(template, 'secretsmanager:GetSecretValue', secretRef)).toEqual(
        [
          roleOfFunction(template, functionId),
          roleOfFunction(template, idOf(identity.migration.function)),
          roleOfFunction(template, idOf(assertionFunction.databaseRole.rotation.function)),
        ].sort(),
      );
      // The migration runs after the role's secret exists.
      const trigger = Object.entries(template.toJSON().Resources as Record<string, any>).find(
        ([id]) => id === idOf(identity.migration.trigger),
      )![1];
      expect(trigger.DependsOn).toEqual(expect.arrayContaining([secretRef.Ref]));
    });

    test('signs in on the product pool only, through a client of its own', () => {
      const pool = identity.identity.userPools.product.userPool;
      const role = roleOfFunction(template, functionId);
      for (const action of ['cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminInitiateAuth']) {
        expect(resourcesGranted(template, role, action)).toEqual([
          { 'Fn::GetAtt': [idOf(pool), 'Arn'] },
        ]);
      }
      const clients = Object.entries(template.findResources('AWS::Cognito::UserPoolClient'));
      const adminPasswordClients = clients
        .filter(([, c]) =>
          (c.Properties.ExplicitAuthFlows ?? []).includes('ALLOW_ADMIN_USER_PASSWORD_AUTH'),
        )
        .map(([id]) => id);
      expect(adminPasswordClients).toEqual([idOf(assertionFunction.client)]);
      expect(fn.Properties.Environment.Variables.USER_POOL_CLIENT_ID).toEqual({
        Ref: idOf(assertionFunction.client),
      });
    });

    test('is asked what its contract and the triggers accept', () => {
      expect(validLoginId(INTEG_LOGIN_ID)).toBe(INTEG_LOGIN_ID);
      const invocations = Object.values(
        templates.get(assertionStack)!.findResources('Custom::DeployAssert@SdkCallLambdainvoke'),
      )
        .map((call) => call.Properties.parameters.Payload as string | undefined)
        .filter((payload) => payload !== undefined)
        // The assertions' provider JSON-encodes each parameter once more.
        .map((payload) => AssertionRequest.parse(JSON.parse(JSON.parse(payload) as string)));
      expect(invocations.map((request) => request.action).sort()).toEqual([
        'clean-up',
        'count-users',
        'grant-roles',
        'seed-company',
        'sign-in',
        'sign-in',
      ]);
    });

    test('runs in the private subnets, reaching HTTPS and the database port only', () => {
      expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2);
      const [groupId] = fn.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'];
      const group = template.findResources('AWS::EC2::SecurityGroup')[groupId];
      expect(group.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
      const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).filter(
        (rule) => JSON.stringify(rule.Properties.GroupId).includes(groupId),
      );
      expect(egress.map((rule) => rule.Properties.FromPort)).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseCluster/), 'Endpoint.Port'] },
      ]);
    });
  });
});
