import { Annotations, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { XRAY_DAEMON_PORT } from '../../../defaults';
import { pinnedImage, PINS } from '../../../pins';
import { grantXRayWrite } from './xray-permissions';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

/** The synth warning of a stack whose tasks run the X-Ray daemon. */
export const XRAY_DAEMON_END_OF_SUPPORT_WARNING =
  `The X-Ray daemon and SDKs are in maintenance since 2026-02-25 and reach end of support on ${PINS.xrayDaemonImage.reviewBy}: ` +
  "no fixes after that. Set application.tracing to 'otel': the OpenTelemetry collector accepts the same X-Ray " +
  'protocol on UDP 2000, so apps keep their X-Ray SDK. See https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html';

/**
 * Adds the AWS X-Ray daemon: it receives segments on UDP 2000 and relays them
 * to X-Ray with the task role's permissions. Only an explicit choice
 * (`tracing: 'xray-daemon'`): synth warns, once per stack, that it reaches
 * end of support on 2027-02-25.
 * See https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html
 */
export function addXRayDaemon(props: SidecarProps): TaskSidecar {
  Annotations.of(Stack.of(props.taskDefinition)).addWarningV2(
    'platform:xray-daemon-end-of-support',
    XRAY_DAEMON_END_OF_SUPPORT_WARNING,
  );
  const container = props.taskDefinition.addContainer('xray-daemon', {
    image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.xrayDaemonImage)),
    essential: true,
    cpu: 32,
    memoryReservationMiB: 64,
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: ecs.Protocol.UDP }],
    user: props.user,
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
