import { nagResourceName } from '../../lib/aspects/nag-resource-name';

describe('nagResourceName renders a policy resource the way cdk-nag names it in findings', () => {
  test.each<[string, unknown, string]>([
    ['a literal', '*', '*'],
    [
      'the placeholders of Fn::Sub',
      'arn:${AWS::Partition}:s3:::b/*',
      'arn:<AWS::Partition>:s3:::b/*',
    ],
    ['a Ref', { Ref: 'Bucket' }, '<Bucket>'],
    ['a Fn::GetAtt', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, '<Bucket.Arn>'],
    [
      'a Fn::Join of literals and references',
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Logs', 'Arn'] }, ':*']] },
      '<Logs.Arn>:*',
    ],
    ['a Fn::Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:*' }, 'arn:<AWS::Partition>:sqs:*'],
    ['a Fn::ImportValue', { 'Fn::ImportValue': 'Shared-Arn' }, 'Shared-Arn'],
    ['anything else, as JSON', { 'Fn::Select': [0, ['a']] }, '{"Fn::Select":[0,["a"]]}'],
  ])('%s', (_, reference, expected) => {
    expect(nagResourceName(reference)).toBe(expected);
  });
});
