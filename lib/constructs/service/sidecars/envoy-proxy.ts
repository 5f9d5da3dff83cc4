import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ENVOY } from '../../../defaults';
import { pinnedImage, PINS } from '../../../pins';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

/** The container name of the Envoy proxy (also the proxy configuration's container). */
export const ENVOY_CONTAINER_NAME = 'envoy';

/**
 * Adds the App Mesh Envoy proxy. Its mesh resource is set later with
 * {@link setEnvoyMeshResource}, once the virtual node or gateway exists.
 * Healthy means Envoy's admin interface reports the LIVE state.
 * See https://docs.aws.amazon.com/app-mesh/latest/userguide/envoy.html
 */
export function addEnvoyProxy(props: SidecarProps): TaskSidecar {
  const container = props.taskDefinition.addContainer(ENVOY_CONTAINER_NAME, {
    image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.envoyImage)),
    essential: true,
    user: String(ENVOY.uid),
    cpu: 64,
    memoryReservationMiB: 128,
    environment: { ENVOY_LOG_LEVEL: 'info' },
    healthCheck: {
      command: [
        'CMD-SHELL',
        `curl -s http://localhost:${ENVOY.adminPort}/server_info | grep state | grep -q LIVE`,
      ],
      interval: Duration.seconds(5),
      timeout: Duration.seconds(2),
      retries: 3,
      startPeriod: Duration.seconds(10),
    },
    logging: sidecarLogging(props, ENVOY_CONTAINER_NAME),
  });
  return {
    container,
    appStartsAfter: ecs.ContainerDependencyCondition.HEALTHY,
    appEnvironment: {},
  };
}

/**
 * Points Envoy at its virtual node or gateway. Envoy 1.15+ reads
 * APPMESH_RESOURCE_ARN; APPMESH_VIRTUAL_NODE_NAME is the legacy variable and
 * must not be set next to it (setting both broke envoy-to-app traffic, seed 000).
 */
export function setEnvoyMeshResource(envoy: ecs.ContainerDefinition, resourceArn: string): void {
  envoy.addEnvironment('APPMESH_RESOURCE_ARN', resourceArn);
}
