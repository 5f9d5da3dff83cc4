import * as ecs from 'aws-cdk-lib/aws-ecs';
import { SIDECAR_IMAGES, XRAY_DAEMON_PORT } from '../../../defaults';
import { grantXRayWrite } from './xray-permissions';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

/**
 * Adds the AWS X-Ray daemon: it receives segments on UDP 2000 and relays them
 * to X-Ray with the task role's permissions.
 * See https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html
 */
export function addXRayDaemon(props: SidecarProps): TaskSidecar {
  const container = props.taskDefinition.addContainer('xray-daemon', {
    image: ecs.ContainerImage.fromRegistry(SIDECAR_IMAGES.xrayDaemon),
    essential: true,
    cpu: 32,
    memoryReservationMiB: 64,
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: ecs.Protocol.UDP }],
    readonlyRootFilesystem: true,
    logging: sidecarLogging(props, 'xray-daemon'),
  });
  grantXRayWrite(props.taskDefinition);
  // The daemon image has no shell or health command: START it is.
  return {
    container,
    appStartsAfter: ecs.ContainerDependencyCondition.START,
    appEnvironment: { AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${XRAY_DAEMON_PORT}` },
  };
}
