import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { XRAY_DAEMON_PORT } from '../../../defaults';
import { pinnedImage, PINS } from '../../../pins';
import { grantXRayWrite } from './xray-permissions';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

const HEALTH_PORT = 13133;

/**
 * Collector configuration: OTLP on localhost and the X-Ray daemon protocol on
 * UDP 2000, both exported to X-Ray, so apps instrumented for the X-Ray daemon
 * need no change. See https://aws-otel.github.io/docs/getting-started/x-ray
 */
const COLLECTOR_CONFIG = `
extensions:
  health_check:
    endpoint: 127.0.0.1:${HEALTH_PORT}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:4317
      http:
        endpoint: 127.0.0.1:4318
  awsxray:
    endpoint: 0.0.0.0:${XRAY_DAEMON_PORT}
    transport: udp
processors:
  batch: {}
exporters:
  awsxray: {}
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp, awsxray]
      processors: [batch]
      exporters: [awsxray]
`.trim();

/**
 * Adds the AWS Distro for OpenTelemetry collector, the default tracer: it
 * replaces the X-Ray daemon (end of support 2027-02-25) on the same UDP port.
 * See https://aws-otel.github.io/docs/setup/ecs
 */
export function addOtelCollector(props: SidecarProps): TaskSidecar {
  const container = props.taskDefinition.addContainer('otel-collector', {
    image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.otelCollectorImage)),
    essential: true,
    cpu: 64,
    memoryReservationMiB: 128,
    // The ADOT image reads its whole configuration from this variable.
    environment: { AOT_CONFIG_CONTENT: COLLECTOR_CONFIG },
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: ecs.Protocol.UDP }],
    user: props.user,
    readonlyRootFilesystem: true,
    healthCheck: {
      command: ['CMD', '/healthcheck'],
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(10),
    },
    logging: sidecarLogging(props, 'otel-collector'),
  });
  grantXRayWrite(props.taskDefinition);
  return {
    container,
    appStartsAfter: ecs.ContainerDependencyCondition.HEALTHY,
    appEnvironment: {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${XRAY_DAEMON_PORT}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    },
  };
}
