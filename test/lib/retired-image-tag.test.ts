import { ConfigValidationError } from '../../config';
import { addPlatform } from '../../lib/platform-app';
import { newTestApp, shippedEnvironments } from '../helpers/test-app';

describe('-c imageTag (retired: versions are in the release manifests)', () => {
  test('fails when the context still sets one image tag for every service', () => {
    const app = newTestApp({ context: { imageTag: '3f2a9c1' } });
    expect(() => addPlatform(app, shippedEnvironments)).toThrow(ConfigValidationError);
    expect(() =>
      addPlatform(newTestApp({ context: { imageTag: '3f2a9c1' } }), shippedEnvironments),
    ).toThrow(
      'imageTag: "3f2a9c1" is no longer read; each service runs the version of its environment\'s release ' +
        'manifest (config/releases/<env>.json), changed by pull request',
    );
  });
});
