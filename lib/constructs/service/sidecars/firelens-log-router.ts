import { Aws } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { pinnedImage, PINS } from '../../../pins';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

/** The container name ECS expects the FireLens router to be referenced by. */
export const LOG_ROUTER_NAME = 'log_router';

/**
 * Adds the FireLens log router (AWS for Fluent Bit). Its own logs go to
 * CloudWatch through awslogs, so a broken router is still visible.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html
 */
export function addFirelensLogRouter(props: SidecarProps): TaskSidecar {
  const container = props.taskDefinition.addFirelensLogRouter(LOG_ROUTER_NAME, {
    image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.fluentBitImage)),
    essential: true,
    firelensConfig: {
      type: ecs.FirelensLogRouterType.FLUENTBIT,
      options: { enableECSLogMetadata: true },
    },
    user: props.user,
    memoryReservationMiB: 64,
    logging: sidecarLogging(props, 'log-router'),
    // Fluent Bit writes its generated configuration and buffers at start-up.
    readonlyRootFilesystem: false,
  });
  // Fluent Bit has no health endpoint unless a config file enables its HTTP
  // server, and this stack uses options only (no config file): START it is.
  return { container, appStartsAfter: ecs.ContainerDependencyCondition.START, appEnvironment: {} };
}

/**
 * The app's log driver: FireLens to CloudWatch Logs, configured by options
 * only. `Match` is never set: ECS generates the match rule itself, and a
 * second one sent every batch twice (CloudWatch then rejected them with
 * DataAlreadyAcceptedException, seed 000).
 * See https://docs.fluentbit.io/manual/pipeline/outputs/cloudwatch
 */
export function firelensToCloudWatch(
  logGroup: logs.ILogGroup,
  streamPrefix: string,
): ecs.LogDriver {
  return ecs.LogDrivers.firelens({
    options: {
      Name: 'cloudwatch_logs',
      region: Aws.REGION,
      log_group_name: logGroup.logGroupName,
      log_stream_prefix: `${streamPrefix}/`,
      auto_create_group: 'false',
      retry_limit: '2',
    },
  });
}
