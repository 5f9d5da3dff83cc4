import { ENVIRONMENT_FILES, validateEnvironments } from '../../config';
import { addPlatform } from '../../lib/platform-app';
import { statefulChanges } from '../../tools/replacement-guard';
import { stackTemplatesOf } from '../../tools/security-projection';
import { changed } from '../helpers/config-builder';
import { newTestApp } from '../helpers/test-app';

const prod = ENVIRONMENT_FILES.find((env) => env.name === 'prod')!;

/** The stacks of the shipped prod environment, after `change`. */
function prodStacks(change: (draft: any) => void = () => undefined) {
  const app = newTestApp();
  addPlatform(app, validateEnvironments([changed(prod, change)]));
  return stackTemplatesOf(app.synth());
}

describe('replacement guard over the shipped config', () => {
  test("reports a change of prod's identity.productPool.signIn as a user-pool replacement", () => {
    expect(prod.identity.productPool.signIn).not.toBe('email');
    const changes = statefulChanges(
      prodStacks(),
      prodStacks((d) => (d.identity.productPool.signIn = 'email')),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        stage: 'Prod',
        stackName: 'Prod-Identity',
        path: 'Prod/Identity/ProductPool/UserPool',
        type: 'AWS::Cognito::UserPool',
        kind: 'replace',
        properties: expect.arrayContaining(['UsernameAttributes']),
      }),
    ]);
    expect(changes[0].consequence).toContain('every user must sign up again');
  });
});
