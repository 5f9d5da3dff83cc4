import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { pinnedImage, PINS } from '../../../pins';
import { SidecarProps, TaskSidecar, sidecarLogging } from './task-sidecar';

/** Properties of {@link addDatadogAgent}. */
export interface DatadogAgentProps extends SidecarProps {
  /** The Datadog site, e.g. `datadoghq.com`. */
  readonly site: string;
  /** The API key, from Secrets Manager (the execution role is granted when it is added). */
  readonly apiKey: ecs.Secret;
}

/**
 * Adds the Datadog agent (metrics and APM) for Fargate. Its API key is
 * injected from Secrets Manager by ECS at start: it never appears in the task
 * definition. See https://docs.datadoghq.com/integrations/ecs_fargate/
 */
export function addDatadogAgent(props: DatadogAgentProps): TaskSidecar {
  const container = props.taskDefinition.addContainer('datadog-agent', {
    image: ecs.ContainerImage.fromRegistry(pinnedImage(PINS.datadogAgentImage)),
    essential: false,
    cpu: 64,
    user: props.user,
    memoryReservationMiB: 256,
    environment: { ECS_FARGATE: 'true', DD_SITE: props.site, DD_APM_ENABLED: 'true' },
    secrets: { DD_API_KEY: props.apiKey },
    healthCheck: {
      command: ['CMD-SHELL', 'agent health'],
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(15),
    },
    logging: sidecarLogging(props, 'datadog-agent'),
  });
  return {
    container,
    appStartsAfter: ecs.ContainerDependencyCondition.HEALTHY,
    appEnvironment: { DD_AGENT_HOST: '127.0.0.1' },
  };
}
