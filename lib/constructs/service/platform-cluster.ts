import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** Properties of {@link PlatformCluster}. */
export interface PlatformClusterProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The key that encrypts log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the ECS Exec session logs. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to keys and log groups when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** Name of the ECS Exec session log group, e.g. `/platform/dev/ecs-exec`. */
  readonly execLogGroupName: string;
}

/**
 * The ECS cluster: Fargate and Fargate Spot capacity providers, Container
 * Insights (enhanced), and ECS Exec sessions encrypted with their own KMS key
 * and logged to an encrypted log group. The key and the log group exist
 * whether or not a service has ECS Exec on (`ecsExec`), so switching it on
 * for an incident changes the services only, never the cluster.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
export class PlatformCluster extends Construct {
  /** The cluster. */
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    const sessionKey = new kms.Key(this, 'ExecSessionKey', {
      description: 'Encrypts ECS Exec session data between the client and the task',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // A fixed, documented name: operators find session transcripts there, and
    // the task-role grant ECS Exec needs names this group literally instead of
    // through a cross-stack reference.
    const execLogs = new logs.LogGroup(this, 'ExecLogs', {
      logGroupName: props.execLogGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const execLogsByName = logs.LogGroup.fromLogGroupName(
      this,
      'ExecLogsByName',
      props.execLogGroupName,
    );
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      enableFargateCapacityProviders: true,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      executeCommandConfiguration: {
        kmsKey: sessionKey,
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: { cloudWatchLogGroup: execLogsByName, cloudWatchEncryptionEnabled: true },
      },
    });
    acknowledgeFindings(
      this.cluster,
      [controlTower('ecs_container_insights_enabled_check')],
      'Container Insights is on with enhanced observability (containerInsights: enhanced), a superset of "enabled", which is the only value the control accepts (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/container-insights-detailed-ecs-metrics.html).',
    );
    this.cluster.node.addDependency(execLogs);
  }
}
