import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  assertionResultsOf,
  deleteLogGroups,
  emptyBucketsOf,
  formatReport,
  IntegRunReport,
  passed,
  stackExists,
} from '../../tools/integ-run';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const logs = mockClient(CloudWatchLogsClient);
const missing = Object.assign(new Error('Stack with id Integ-Edge does not exist'), {
  name: 'ValidationError',
});

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
  logs.reset();
});

describe('the results of the assertions (AssertionResults outputs)', () => {
  test('reads every AssertionResults output of every stack, and nothing else', () => {
    expect(
      assertionResultsOf({
        'Integ-Assertions': {
          AssertionResultsHttpApiCallabc: '{"status":"success"}',
          AssertionResultsLambdaInvokedef: '{"status":"fail","message":"Expected 200"}',
          OtherOutput: 'x',
        },
      }),
    ).toEqual([
      { id: 'HttpApiCallabc', status: 'success', message: undefined },
      { id: 'LambdaInvokedef', status: 'fail', message: 'Expected 200' },
    ]);
  });
});

describe('the clean-up', () => {
  test('empties every version and delete marker of the buckets of a stack', async () => {
    cloudFormation.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [
        {
          ResourceType: 'AWS::S3::Bucket',
          PhysicalResourceId: 'logs-bucket',
          LogicalResourceId: 'B',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
        {
          ResourceType: 'AWS::SQS::Queue',
          PhysicalResourceId: 'q',
          LogicalResourceId: 'Q',
          ResourceStatus: 'CREATE_COMPLETE',
          LastUpdatedTimestamp: new Date(),
        },
      ],
    });
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: 'a', VersionId: '1' }],
      DeleteMarkers: [{ Key: 'a', VersionId: '2' }],
    });
    await expect(
      emptyBucketsOf(new CloudFormationClient({}), new S3Client({}), 'Integ-Application'),
    ).resolves.toEqual(['logs-bucket']);
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input).toEqual({
      Bucket: 'logs-bucket',
      Delete: {
        Objects: [
          { Key: 'a', VersionId: '1' },
          { Key: 'a', VersionId: '2' },
        ],
        Quiet: true,
      },
    });
  });

  test('finds no bucket in a stack that does not exist', async () => {
    cloudFormation.on(ListStackResourcesCommand).rejects(missing);
    await expect(
      emptyBucketsOf(new CloudFormationClient({}), new S3Client({}), 'Integ-Edge'),
    ).resolves.toEqual([]);
    expect(s3.calls()).toHaveLength(0);
  });

  test('deletes the log groups Lambda created under the prefix', async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/aws/lambda/Integ-Assertions-x' }] });
    await expect(
      deleteLogGroups(new CloudWatchLogsClient({}), '/aws/lambda/Integ-'),
    ).resolves.toEqual(['/aws/lambda/Integ-Assertions-x']);
    expect(logs.commandCalls(DeleteLogGroupCommand)[0].args[0].input).toEqual({
      logGroupName: '/aws/lambda/Integ-Assertions-x',
    });
  });

  test('tells a stack that is left from one that is gone', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Integ-Network' }).resolves({
      Stacks: [
        { StackName: 'Integ-Network', StackStatus: 'DELETE_FAILED', CreationTime: new Date() },
      ],
    });
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Integ-Edge' }).rejects(missing);
    const client = new CloudFormationClient({});
    await expect(stackExists(client, 'Integ-Network')).resolves.toBe(true);
    await expect(stackExists(client, 'Integ-Edge')).resolves.toBe(false);
  });
});

describe('the report', () => {
  const report: IntegRunReport = {
    region: 'eu-west-1',
    runId: 'r1',
    phases: [
      { name: 'synth', seconds: 30, ok: true },
      { name: 'deploy and assertions', seconds: 2400, ok: true },
      { name: 'destroy', seconds: 1500, ok: true },
    ],
    assertions: [{ id: 'HttpApiCallabc', status: 'success' }],
    cleaned: ['objects of logs-bucket'],
    leftovers: [],
  };

  test('passes when every phase ran, every assertion passed and nothing is left', () => {
    expect(passed(report)).toBe(true);
    expect(formatReport(report)).toMatchSnapshot();
  });

  test('fails when an assertion failed, none was reported or a stack is left', () => {
    expect(passed({ ...report, assertions: [{ id: 'x', status: 'fail', message: 'no' }] })).toBe(
      false,
    );
    expect(passed({ ...report, assertions: [] })).toBe(false);
    expect(passed({ ...report, leftovers: ['Integ-Network (eu-west-1)'] })).toBe(false);
    expect(
      formatReport({ ...report, assertions: [], leftovers: ['Integ-Network (eu-west-1)'] }),
    ).toContain('none reported (the assertion stack did not deploy)');
  });
});
