import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { PLATFORM_DATABASE_ROLES } from '../../../db/roles';
import { nagResourceName } from '../../aspects/nag-resource-name';
import { pinnedImage, PINS } from '../../pins';
import { SecretParameterRegistry } from '../secrets/secret-parameter-registry';
import { PlatformCluster } from '../service/platform-cluster';
import { addDatabaseClientSecurityGroup } from './database-client-security-group';
import { AwsApiEgress } from '../network/aws-api-egress';
import { DatabaseRole } from './database-role';
import { DatabaseRoles } from './database-roles';
import { IdentityDatabase } from './identity-database';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** A shell task stops by itself after this long, so a forgotten one costs at most a few cents. */
export const DATABASE_SHELL_LIFETIME = Duration.hours(8);

/** The SSM document that forwards a local port through the task to the database. */
const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/** Properties of {@link DatabaseShell}. */
export interface DatabaseShellProps {
  /** The environment's name: the task family is `<env>-database-shell`. */
  readonly environmentName: string;
  /** The database the shell reaches. */
  readonly database: IdentityDatabase;
  /** The database roles: the shell adds the operators' read-only role, `operator`. */
  readonly roles: DatabaseRoles;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress (the SSM and ECR APIs). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts the session and task log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the log groups. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to keys and log groups when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** The `/<env>/` registry the run-task settings are published in. */
  readonly parameters: SecretParameterRegistry;
}

/**
 * The operators' path to the database without a bastion: a Fargate task,
 * started on demand (nothing runs, and nothing is billed, until an operator
 * starts one), that reaches only the database's port and the AWS APIs, and
 * through which `aws ssm start-session` forwards a local port to the
 * database (ECS Exec's agent does the forwarding). Operators log in as the
 * read-only operator role. The task stops by itself after
 * {@link DATABASE_SHELL_LIFETIME}. `accessPolicy` is everything a person
 * needs, and nothing more: attach it to the operators' role.
 * See https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-remote-port-forwarding
 */
export class DatabaseShell extends Construct {
  /** The task definition operators run. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The managed policy of the people who may open a session. */
  readonly accessPolicy: iam.ManagedPolicy;
  /** The operators' read-only database role. */
  readonly role: DatabaseRole;

  constructor(scope: Construct, id: string, props: DatabaseShellProps) {
    super(scope, id);
    const { database, environmentName } = props;
    this.role = props.roles.add(PLATFORM_DATABASE_ROLES.operator, {
      access: 'read-only',
      usedBy: 'operators, through the database shell',
    });
    const execLogGroupName = `/platform/${environmentName}/database-shell`;
    const { cluster } = new PlatformCluster(this, 'Cluster', {
      vpc: props.vpc,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      execLogGroupName,
    });
    const securityGroup = addDatabaseClientSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      database,
      description: 'Operators database shell tasks: the database and AWS APIs only',
      // The shell's image is on ECR Public, which has no interface endpoint.
      https: AwsApiEgress.internet('SSM messages and ECR Public image pulls'),
      databaseRule: 'Operators database shell',
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `${environmentName}-database-shell`,
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    taskDefinition.addContainer('shell', {
      image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.databaseShellImage)),
      command: ['sleep', String(DATABASE_SHELL_LIFETIME.toSeconds())],
      essential: true,
      // The only container: the task's memory is its hard limit too (CT.ECS.PR.7).
      memoryLimitMiB: 512,
      // ECS Exec's agent writes its state into the container, so the root filesystem stays
      // writable. See https://github.com/aws/containers-roadmap/issues/1359
      readonlyRootFilesystem: false,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'shell',
        logGroup: new logs.LogGroup(this, 'Logs', {
          encryptionKey: props.logsKey,
          retention: props.logRetention,
          removalPolicy: props.removalPolicy,
        }),
      }),
    });
    acknowledgeFindings(
      taskDefinition,
      [
        controlTower('ecs_task_definition_nonroot_user_check'),
        controlTower('ecs_containers_readonly_access_check'),
      ],
      "ECS Exec's SSM agent, the only process that does anything in this idle container, keeps its state in the container's filesystem as root (https://github.com/aws/containers-roadmap/issues/1359); the task runs only when an operator starts it, for at most its lifetime.",
    );
    grantExecAgent(taskDefinition, cluster, execLogGroupName);
    this.taskDefinition = taskDefinition;

    // `aws ecs run-task --cli-input-json` reads this: cluster, task, network, ECS Exec.
    const runTask = props.parameters.addPlainParameter('database/shell-run-task', {
      description:
        'aws ecs run-task --cli-input-json input that starts an operators database shell',
      value: Stack.of(this).toJsonString({
        cluster: cluster.clusterName,
        taskDefinition: taskDefinition.taskDefinitionArn,
        launchType: 'FARGATE',
        enableExecuteCommand: true,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: props.vpc.selectSubnets(props.subnets).subnetIds,
            securityGroups: [securityGroup.securityGroupId],
            assignPublicIp: 'DISABLED',
          },
        },
      }),
      scope: this,
    });
    const endpoint = props.parameters.addPlainParameter('database/endpoint', {
      description: "The identity database's writer endpoint, the host a database shell forwards to",
      value: database.endpoint,
      scope: this,
    });
    this.accessPolicy = this.operatorPolicy(environmentName, cluster, [
      runTask.parameterArn,
      endpoint.parameterArn,
    ]);
  }

  /** What a person needs to start a shell, forward a port through it, and log in as the operator role. */
  private operatorPolicy(
    environmentName: string,
    cluster: ecs.ICluster,
    parameterArns: readonly string[],
  ): iam.ManagedPolicy {
    const tasks = `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:task/${cluster.clusterName}/*`;
    const ownSessions = `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:session/\${aws:userid}-*`;
    const onCluster = { ArnEquals: { 'ecs:cluster': cluster.clusterArn } };
    const policy = new iam.ManagedPolicy(this, 'AccessPolicy', {
      managedPolicyName: `${environmentName}-database-shell-access`,
      description: `Operators of ${environmentName}: start a database shell task and forward a port to the database through it`,
      statements: [
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [...parameterArns, this.role.parameter.parameter.parameterArn],
        }),
        new iam.PolicyStatement({
          actions: ['ecs:RunTask'],
          resources: [this.taskDefinition.taskDefinitionArn],
          conditions: onCluster,
        }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [
            this.taskDefinition.taskRole.roleArn,
            this.taskDefinition.obtainExecutionRole().roleArn,
          ],
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
          resources: [tasks],
          conditions: onCluster,
        }),
        new iam.PolicyStatement({
          actions: ['ssm:StartSession'],
          resources: [
            tasks,
            `arn:${Aws.PARTITION}:ssm:${Aws.REGION}::document/${PORT_FORWARDING_DOCUMENT}`,
          ],
        }),
        new iam.PolicyStatement({
          actions: ['ssm:TerminateSession'],
          resources: [ownSessions],
        }),
      ],
    });
    // The operator role's password.
    this.role.parameter.grantValueRead(policy);
    const reasons: [string, string][] = [
      [
        tasks,
        'Task IDs are chosen by ECS when an operator starts a shell: the grant covers the tasks of the database-shell cluster only, and the ecs:cluster condition pins it.',
      ],
      [
        ownSessions,
        'Session IDs are chosen by Session Manager; ${aws:userid} limits the grant to ending the sessions the caller started.',
      ],
    ];
    for (const [resource, reason] of reasons) {
      Validations.of(policy.node.defaultChild as IConstruct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(this).resolve(resource))}]`,
        reason,
      });
    }
    return policy;
  }
}

/**
 * The task role's grants for ECS Exec's agent, as `ecs.FargateService`
 * gives them to a service's tasks: the SSM message channels, the session key
 * and the cluster's session log group.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html#ecs-exec-required-iam-permissions
 */
function grantExecAgent(
  taskDefinition: ecs.FargateTaskDefinition,
  cluster: ecs.Cluster,
  execLogGroupName: string,
): void {
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
        'logs:DescribeLogGroups',
      ],
      resources: ['*'],
    }),
  );
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: [
        `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${execLogGroupName}:*`,
      ],
    }),
  );
  cluster.executeCommandConfiguration?.kmsKey?.grantDecrypt(taskDefinition.taskRole);
}
