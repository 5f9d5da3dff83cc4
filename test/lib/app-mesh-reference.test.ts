import * as fs from 'fs';
import * as path from 'path';
import { ConfigValidationError, loadEnvironments } from '../../config';
import {
  APP_MESH_REFERENCE_CONTEXT,
  APP_MESH_TO_SERVICE_CONNECT,
  refuseAppMeshUnlessReference,
} from '../../lib/app-mesh-reference';
import { addPlatform } from '../../lib/platform-app';
import { newTestApp, shippedEnvironments } from '../helpers/test-app';

const appMeshEnvironments = loadEnvironments(undefined, undefined, { mesh: 'app-mesh' });

/** The error `fn` throws (fails the test when it throws none). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('the App Mesh reference design', () => {
  describe('without -c appMeshReference=true', () => {
    const error = errorOf(() => addPlatform(newTestApp(), appMeshEnvironments));

    test('fails when an environment chooses mesh app-mesh, with one configuration error for all', () => {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems).toHaveLength(appMeshEnvironments.length);
    });

    test('fails naming each environment, why, and what is allowed', () => {
      for (const env of appMeshEnvironments) {
        expect(error.message).toContain(
          `${env.name}.application.mesh: "app-mesh" is refused: AWS App Mesh reached end of support on 2026-09-30 ` +
            'and since then its console and resources can no longer be accessed, so an app-mesh assembly can be ' +
            'neither deployed nor operated; allowed: "service-connect"',
        );
      }
    });

    test('fails with the Service Connect counterpart of each App Mesh concept and the switch', () => {
      expect(error.message).toMatch(
        /Virtual gateway \(Envoy-only ECS service\) and gateway routes\s+->\s+ALB/,
      );
      expect(error.message).toMatch(/Envoy sidecar .*->\s+The Service Connect proxy/);
      expect(error.message).toContain(`add -c ${APP_MESH_REFERENCE_CONTEXT}=true`);
    });
  });

  test.each([true, 'true'])('synthesizes with appMeshReference=%p', (value) => {
    expect(() => refuseAppMeshUnlessReference(appMeshEnvironments, true)).not.toThrow();
    expect(() =>
      addPlatform(newTestApp({ context: { [APP_MESH_REFERENCE_CONTEXT]: value } }), [
        appMeshEnvironments[0],
      ]),
    ).not.toThrow();
  });

  test('needs no switch for service-connect environments', () => {
    expect(() => refuseAppMeshUnlessReference(shippedEnvironments, false)).not.toThrow();
  });

  test("the README's migration section is the mapping table, row for row", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('### From App Mesh to Service Connect');
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
      .map((line) =>
        line.split(' | ').map((cell) => cell.replace(/^\| /, '').replace(/ \|$/, '').trim()),
      );
    expect(rows.slice(1)).toEqual(APP_MESH_TO_SERVICE_CONNECT.map((row) => [...row]));
  });
});
