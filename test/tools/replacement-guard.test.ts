import { fullDiff } from '@aws-cdk/cloudformation-diff';
import { App, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { replacementReport } from '../../scripts/replacement-report';
import { auditLogGroups, statefulChanges } from '../../tools/replacement-guard';
import { stackTemplatesOf } from '../../tools/security-projection';

/** A stage `Dev` whose stacks `build` adds; synthesized to a temporary directory. */
function assemblyOf(build: (stage: Stage) => void) {
  const app = new App();
  build(new Stage(app, 'Dev'));
  return app.synth();
}
const changesOf = (base: (stage: Stage) => void, head: (stage: Stage) => void) =>
  statefulChanges(stackTemplatesOf(assemblyOf(base)), stackTemplatesOf(assemblyOf(head)));

const userPool = (signInAliases: cognito.SignInAliases) => (stage: Stage) => {
  new cognito.UserPool(new Stack(stage, 'Identity'), 'ProductPool', {
    signInAliases,
    removalPolicy: RemovalPolicy.RETAIN,
  });
};
const cluster = (identifier: string) => (stage: Stage) => {
  new rds.CfnDBCluster(new Stack(stage, 'Identity'), 'Database', {
    engine: 'aurora-postgresql',
    dbClusterIdentifier: identifier,
  });
};
const bucket =
  (id: string | undefined, removalPolicy = RemovalPolicy.RETAIN) =>
  (stage: Stage) => {
    const stack = new Stack(stage, 'Data');
    if (id) {
      new s3.Bucket(stack, id, { removalPolicy });
    }
  };
/** A service's repository and queue, in the services stack `stackId`. */
const service = (stackId: string) => (stage: Stage) => {
  new Stack(stage, 'Services1');
  new Stack(stage, 'Services2');
  const api = new Construct(stage.node.findChild(stackId), 'Api');
  new ecr.Repository(api, 'Repository', { removalPolicy: RemovalPolicy.RETAIN });
  new sqs.Queue(api, 'Queue');
};

describe('replacement guard', () => {
  test('reports a user pool whose sign-in attributes change: Cognito needs a new pool', () => {
    const [change, ...others] = changesOf(
      userPool({ username: true, email: true }),
      userPool({ email: true }),
    );
    expect(others).toEqual([]);
    expect(change).toEqual(
      expect.objectContaining({
        stage: 'Dev',
        stackName: 'Dev-Identity',
        path: 'Dev/Identity/ProductPool',
        type: 'AWS::Cognito::UserPool',
        kind: 'replace',
        fixedAtCreation: true,
        properties: ['AliasAttributes', 'UsernameAttributes'],
      }),
    );
    expect(change.consequence).toContain('every user must sign up again');
  });

  test('reports a database cluster whose identifier changes, from the resource specification', () => {
    expect(changesOf(cluster('identity-a'), cluster('identity-b'))).toEqual([
      expect.objectContaining({
        path: 'Dev/Identity/Database',
        type: 'AWS::RDS::DBCluster',
        kind: 'replace',
        fixedAtCreation: false,
        properties: ['DBClusterIdentifier'],
        consequence:
          'CloudFormation creates a new, empty database cluster and deletes the old one with its schema and data: ' +
          'the services and triggers connect to an empty database.',
      }),
    ]);
  });

  test('reports a renamed construct ID: the old bucket leaves the stack, the new one starts empty', () => {
    expect(changesOf(bucket('Archive'), bucket('AuditArchive'))).toEqual([
      expect.objectContaining({
        path: 'Dev/Data/Archive',
        type: 'AWS::S3::Bucket',
        kind: 'orphan',
        successors: ['Dev/Data/AuditArchive'],
        consequence:
          'CloudFormation keeps the bucket, with its objects, but outside the stack; the new one at ' +
          'Dev/Data/AuditArchive starts empty: writers and readers switch to an empty bucket.',
      }),
    ]);
  });

  test('reports a service moved to another services stack: its repository and queue', () => {
    const changes = changesOf(service('Services1'), service('Services2'));
    expect(changes.map((c) => [c.path, c.type, c.kind, c.successors])).toEqual([
      [
        'Dev/Services1/Api/Repository',
        'AWS::ECR::Repository',
        'orphan',
        ['Dev/Services2/Api/Repository'],
      ],
      ['Dev/Services1/Api/Queue', 'AWS::SQS::Queue', 'delete', ['Dev/Services2/Api/Queue']],
    ]);
    expect(changes[1].consequence).toContain('those messages are lost');
  });

  test('reports a deleted bucket', () => {
    expect(changesOf(bucket('Uploads', RemovalPolicy.DESTROY), bucket(undefined))).toEqual([
      expect.objectContaining({
        path: 'Dev/Data/Uploads',
        kind: 'delete',
        successors: [],
        consequence:
          'CloudFormation deletes the bucket with its objects: writers and readers switch to an empty bucket.',
      }),
    ]);
  });

  test('does not report a security-group rule, which the diff engine replaces', () => {
    const rule = (cidrIp: string) => (stage: Stage) => {
      new ec2.CfnSecurityGroupIngress(new Stack(stage, 'Network'), 'Rule', {
        groupId: 'sg-0123456789abcdef0',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIp,
      });
    };
    const [before, after] = ['10.0.0.0/16', '10.1.0.0/16'].map(
      (cidr) => stackTemplatesOf(assemblyOf(rule(cidr)))[0].template,
    );
    expect(fullDiff(before, after).resources.get('Rule').changeImpact).toBe('WILL_REPLACE');
    expect(changesOf(rule('10.0.0.0/16'), rule('10.1.0.0/16'))).toEqual([]);
  });

  describe('log groups', () => {
    const withLogs = (keep: boolean) => (stage: Stage) => {
      const stack = new Stack(stage, 'Network');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [] });
      if (keep) {
        const flowLogs = new logs.LogGroup(stack, 'FlowLogs', {
          removalPolicy: RemovalPolicy.DESTROY,
        });
        vpc.addFlowLog('FlowLog', {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
        });
        new logs.LogGroup(stack, 'AppLogs', { removalPolicy: RemovalPolicy.DESTROY });
      }
    };

    test('treats a log group an audit source writes to as stateful, and no other', () => {
      const [network] = stackTemplatesOf(assemblyOf(withLogs(true)));
      expect([...auditLogGroups(network.template)].map((id) => network.paths.get(id))).toEqual([
        'FlowLogs',
      ]);
      expect(changesOf(withLogs(true), withLogs(false))).toEqual([
        expect.objectContaining({
          path: 'Dev/Network/FlowLogs',
          type: 'AWS::Logs::LogGroup',
          kind: 'delete',
        }),
      ]);
    });
  });

  describe('the report (npm run replacement-report)', () => {
    const base = assemblyOf(userPool({ username: true, email: true })).directory;
    const head = assemblyOf(userPool({ email: true })).directory;
    const options = { base, head, environmentOf: (stage: string) => stage.toLowerCase() };

    test('names environment, stack, resource, properties and the data, and fails without an acceptance', () => {
      const report = replacementReport({ ...options, accepted: [] });
      expect(report.unaccepted).toBe(1);
      expect(report.text).toContain('1 stateful resource replaced or deleted, 1 not accepted:');
      expect(report.text).toContain(
        'NOT ACCEPTED  dev  Dev-Identity  ProductPool (AWS::Cognito::UserPool)',
      );
      expect(report.text).toContain(
        'needs a new resource: AliasAttributes, UsernameAttributes changed',
      );
      expect(report.text).toContain("{ environment: 'dev', path: 'Dev/Identity/ProductPool'");
    });

    test('passes an accepted entry', () => {
      const report = replacementReport({
        ...options,
        accepted: [
          {
            environment: 'dev',
            path: 'Dev/Identity/ProductPool',
            reason: 'The dev pool holds test users only',
            until: '2099-12-31',
          },
        ],
      });
      expect(report.unaccepted).toBe(0);
      expect(report.text).toContain('ACCEPTED  dev  Dev-Identity  ProductPool');
      expect(report.text).toContain(
        'Accepted until 2099-12-31: The dev pool holds test users only',
      );
    });

    test('does not let an acceptance of another environment through', () => {
      const report = replacementReport({
        ...options,
        accepted: [
          {
            environment: 'stg',
            path: 'Dev/Identity/ProductPool',
            reason: 'wrong environment',
            until: '2099-12-31',
          },
        ],
      });
      expect(report.unaccepted).toBe(1);
    });

    test('says so when nothing stateful is replaced or deleted', () => {
      expect(replacementReport({ ...options, head: base, accepted: [] })).toEqual({
        text: 'No stateful resource replaced or deleted.\n',
        unaccepted: 0,
      });
    });
  });
});
