import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { securityReport } from '../../scripts/security-report';
import { securityFixture } from '../helpers/security-fixture';

jest.setTimeout(60_000);

describe('npm run security-report', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'security-report-'));
  const base = path.join(root, 'base');
  const head = path.join(root, 'head');
  const sameAsBase = path.join(root, 'code-change');
  beforeAll(() => {
    securityFixture({ outdir: base });
    securityFixture({ outdir: head, openSsh: true });
    securityFixture({ outdir: sameAsBase, code: 'exports.handler = () => 2;' });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('prints a readable diff between two synth outputs, naming the stack and resource', () => {
    const report = securityReport({ base, head });
    expect(report).toMatch(/^@@ .* @@ Fixture: Group \(AWS::EC2::SecurityGroup\)$/m);
    expect(report).toMatch(/^\+\s+- CidrIp: 0\.0\.0\.0\/0$/m);
    expect(report).toMatch(/^\+\s+FromPort: 22$/m);
  });

  test('reports no change when only code (asset hashes) changed', () => {
    expect(securityReport({ base, head: sameAsBase })).toBe('No security setting changed.\n');
  });

  test('limits the report to one stage, and fails on a directory that is not a synth output', () => {
    expect(securityReport({ base, head, stage: 'Dev' })).toBe('No security setting changed.\n');
    expect(() => securityReport({ base: root, head })).toThrow(/not a cloud assembly/);
  });
});
