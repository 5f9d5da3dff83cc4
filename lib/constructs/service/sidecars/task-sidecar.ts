import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';

/** A helper container added to a task next to the app. */
export interface TaskSidecar {
  /** The container. */
  readonly container: ecs.ContainerDefinition;
  /**
   * When the app may start: `HEALTHY` where the sidecar has a real health
   * check, `START` where its image offers none.
   */
  readonly appStartsAfter: ecs.ContainerDependencyCondition;
  /** Environment the app needs to reach the sidecar. */
  readonly appEnvironment: Readonly<Record<string, string>>;
}

/** What every sidecar needs from the task. */
export interface SidecarProps {
  /** The task to add the container to. */
  readonly taskDefinition: ecs.TaskDefinition;
  /** Where the sidecar's own output goes (awslogs driver). */
  readonly logGroup: logs.ILogGroup;
}

/** The awslogs driver for a sidecar's own output. */
export function sidecarLogging(props: SidecarProps, streamPrefix: string): ecs.LogDriver {
  return ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix });
}
