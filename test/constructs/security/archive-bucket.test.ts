import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ArchiveBucket } from '../../../lib/constructs/security/archive-bucket';

describe('ArchiveBucket', () => {
  test('fails when the retention is shorter than the move to Glacier', () => {
    const stack = new Stack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new ArchiveBucket(stack, 'Archive', { key, retentionDays: 30 })).toThrow(
      'ArchiveBucket Archive: retentionDays 30 must be at least 90',
    );
  });
});
