import { PlatformStage } from '../../lib/stages/platform-stage';
import {
  diffProjections,
  projectSecurity,
  renderProjection,
  StackTemplate,
  stackTemplatesOf,
  stacksOfStage,
} from '../../tools/security-projection';
import { shippedEnvironments, synthesizedApp } from '../helpers/test-app';

/**
 * The security gate: a snapshot of what a security reviewer reads in each
 * environment's templates (see tools/security-projection.ts). Any change to a
 * security setting shows up here as a readable snapshot diff; accept it with
 * `npx jest -u` once reviewed. Template properties outside the projection are
 * guarded by the assertions of the stack and construct tests.
 */
describe('security settings', () => {
  const stacks = stackTemplatesOf(synthesizedApp().assembly);

  describe.each(shippedEnvironments.map((env) => PlatformStage.idOf(env.name)))(
    'environment %s',
    (stage) => {
      const own = stacksOfStage(stacks, stage);

      test('projection of the security settings', () => {
        expect(own.length).toBeGreaterThan(0);
        expect(renderProjection(projectSecurity(own))).toMatchSnapshot();
      });
    },
  );

  test('projection of the GitHub OIDC stacks (trust policies of the pipeline roles)', () => {
    expect(renderProjection(projectSecurity(stacksOfStage(stacks, '')))).toMatchSnapshot();
  });

  test('a loosened security-group rule in a shipped environment changes the projection', () => {
    const stage = PlatformStage.idOf(shippedEnvironments[shippedEnvironments.length - 1].name);
    const own = stacksOfStage(stacks, stage);
    const loosened: StackTemplate[] = own.map((stack) => {
      const template = structuredClone(stack.template);
      for (const resource of Object.values(template.Resources ?? {})) {
        if (resource.Type === 'AWS::EC2::SecurityGroup') {
          const properties = resource.Properties as { SecurityGroupIngress?: unknown[] };
          properties.SecurityGroupIngress = [
            ...(properties.SecurityGroupIngress ?? []),
            { IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
          ];
          break;
        }
      }
      return { ...stack, template };
    });
    const diff = diffProjections(projectSecurity(own), projectSecurity(loosened));
    expect(diff).toMatch(/^\+\s+- CidrIp: 0\.0\.0\.0\/0$/m);
    expect(diff).toMatch(/^\+\s+IpProtocol: "-1"$/m);
  });
});
