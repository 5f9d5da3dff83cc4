import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { asReleased, costDiff, PRICED_VERSION } from '../../scripts/cost';
import { fixtureApp } from '../helpers/cost-fixture';

jest.setTimeout(60_000);

describe('npm run cost', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
  const base = path.join(root, 'base');
  const head = path.join(root, 'head');
  beforeAll(() => {
    fixtureApp({ tasks: 2, outdir: base });
    fixtureApp({ tasks: 3, outdir: head });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('diffs two synth outputs stage by stage, in Markdown', () => {
    const diff = costDiff(base, head, 'Fixture');
    expect(diff).toMatch(
      /^\*\*Fixed monthly cost of `Fixture`: \$78\.62 → \$87\.62\*\*, \+\$9\.00/,
    );
    expect(diff).toContain('| Fixture/Stack | Service/Service: Fargate Spot tasks');
  });

  test('fails on a directory that is not a synth output', () => {
    expect(() => costDiff(root, head)).toThrow(/not a cloud assembly/);
  });

  test('--released gives every bootstrap service a version and keeps the released ones', () => {
    const releases = new Map([
      [
        'dev',
        new Map([
          ['web', { image: 'bootstrap', bootstrap: true }],
          ['api', { image: 'abc123', bootstrap: false }],
        ]),
      ],
    ]);
    expect(Object.fromEntries(asReleased(releases).get('dev') ?? [])).toEqual({
      web: { image: PRICED_VERSION, bootstrap: false },
      api: { image: 'abc123', bootstrap: false },
    });
  });
});
