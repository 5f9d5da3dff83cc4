import { Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acknowledgeFindings, controlTower, nist } from '../../lib/compliance/acknowledge';
import { recordAcknowledgements } from '../../lib/compliance/rule-sets';
import { complianceReport } from '../../scripts/compliance';
import { complianceRows, readComplianceFindings } from '../../tools/compliance';
import { gatedSynth } from '../helpers/compliance';

jest.setTimeout(120_000);

/** A stage `Fixture` with a log bucket: versioned (fixed) in the head, acknowledged or not. */
function bucketStage(outdir: string, fixed: boolean) {
  return gatedSynth(outdir, (app) => {
    const stage = new Stage(app, 'Fixture');
    recordAcknowledgements(stage);
    const bucket = new s3.Bucket(new Stack(stage, 'Logs'), 'Bucket', {
      enforceSSL: true,
      versioned: fixed,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    if (fixed) {
      acknowledgeFindings(
        bucket,
        [nist('S3BucketReplicationEnabled'), controlTower('s3_bucket_object_lock_enabled_check')],
        'A fixture reason long enough to convince a reviewer that it is one.',
      );
    }
  });
}

describe('npm run compliance', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
  const base = path.join(root, 'base');
  const head = path.join(root, 'head');
  let headError: string | undefined;
  beforeAll(() => {
    bucketStage(base, false);
    headError = bucketStage(head, true).error;
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('reads open findings from the validation report and acknowledgements, with reasons, from the templates', () => {
    const { open, acknowledged } = readComplianceFindings(head);
    expect(acknowledged).toEqual(
      expect.arrayContaining([
        {
          stage: 'Fixture',
          ruleSet: 'NIST.800.53.R5',
          rule: 'NIST.800.53.R5-S3BucketReplicationEnabled',
          path: 'Fixture/Logs/Bucket',
          reason: 'A fixture reason long enough to convince a reviewer that it is one.',
        },
        expect.objectContaining({
          ruleSet: 'ControlTower',
          rule: 's3_bucket_object_lock_enabled_check',
        }),
      ]),
    );
    expect(open.some((f) => f.rule === 'NIST.800.53.R5-S3BucketVersioningEnabled')).toBe(false);
    expect(headError === undefined).toBe(open.length === 0);
  });

  test('counts per stage and rule set what the head fixed since the base', () => {
    const rows = complianceRows(readComplianceFindings(head), readComplianceFindings(base));
    const nistRow = rows.find((r) => r.stage === 'Fixture' && r.ruleSet === 'NIST.800.53.R5')!;
    // Versioning fixed; replication acknowledged, so it is no longer open but not fixed.
    const baseNist = readComplianceFindings(base).open.filter(
      (f) => f.ruleSet === 'NIST.800.53.R5',
    );
    expect(baseNist.map((f) => f.rule)).toEqual(
      expect.arrayContaining([
        'NIST.800.53.R5-S3BucketVersioningEnabled',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
      ]),
    );
    expect(nistRow.fixed).toBe(1);
    expect(nistRow.open).toBe(baseNist.length - 2);
    expect(nistRow.acknowledged).toBe(1);
  });

  test('prints a Markdown table per stage and rule set, and the reasons', () => {
    const report = complianceReport({ head, base, stage: 'Fixture' });
    expect(report).toMatch(/^\| stage \| rule set \| fixed \| acknowledged \| open \|$/m);
    expect(report).toMatch(
      /^\| Fixture \| NIST 800-53 rev 5 \(cdk-nag\) \| [1-9]\d* \| 1 \| \d+ \|$/m,
    );
    expect(report).toContain('A fixture reason long enough');
  });

  test('fails when the directory is no cloud assembly', () => {
    expect(() => complianceReport({ head: root })).toThrow(/not a cloud assembly/);
  });
});
