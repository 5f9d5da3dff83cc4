import * as fs from 'fs';
import * as path from 'path';
import { PARAMETERS_DOC_PATH, renderParametersDoc } from '../../lib/parameters-doc';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

describe('docs/parameters.md', () => {
  const current = () =>
    renderParametersDoc(
      shippedEnvironments.map(({ name }) => ({
        name,
        entries: synthesized(name).stage.operations.operations.parameters.entries,
      })),
    );

  test('lists every registered parameter of every environment (run `npm run docs:parameters` if stale)', () => {
    const file = fs.readFileSync(path.join(__dirname, '..', '..', PARAMETERS_DOC_PATH), 'utf8');
    expect(file).toBe(current());
  });

  test('fails when a registered parameter is missing from the document', () => {
    const stale = renderParametersDoc([{ name: 'dev', entries: [] }]);
    const fresh = renderParametersDoc([
      {
        name: 'dev',
        entries: [
          {
            name: 'cluster-name',
            parameterName: '/dev/cluster-name',
            kind: 'plain',
            description: 'ECS cluster',
            readers: [],
          },
          {
            name: 'datadog/api-key',
            parameterName: '/dev/datadog/api-key',
            kind: 'secret-arn',
            description: 'Datadog API key',
            readers: ['service api', 'service web'],
          },
        ],
      },
    ]);
    expect(fresh).not.toBe(stale);
    expect(fresh).toContain('- `/dev/cluster-name` (plain value): ECS cluster\n');
    expect(fresh).toMatch(
      /`\/dev\/datadog\/api-key` \(secret ARN[^)]*\): Datadog API key; read by service api, service web\n/,
    );
    expect(stale).toContain('No parameters.');
  });
});
