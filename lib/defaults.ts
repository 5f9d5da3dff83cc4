import { SIDECAR_PORT } from './constructs/service/sidecars/sidecar-ports';

/** HTTPS: interface endpoints, the load balancer's TLS listener, the rotation Lambda's calls to AWS APIs. */
export const HTTPS_PORT = 443;

/**
 * Pinned sidecar images (never `latest`): upgrades are a reviewed change.
 * - aws-for-fluent-bit: https://github.com/aws/aws-for-fluent-bit/releases
 * - X-Ray daemon: https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html
 * - ADOT collector: https://aws-otel.github.io/docs/setup/ecs
 * - Datadog agent: https://docs.datadoghq.com/containers/amazon_ecs/
 */
export const SIDECAR_IMAGES = {
  fluentBit: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20241008',
  xrayDaemon: 'public.ecr.aws/xray/aws-xray-daemon:3.3.13',
  otelCollector: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3',
  datadogAgent: 'public.ecr.aws/datadog/agent:7.60.1',
  // https://docs.aws.amazon.com/app-mesh/latest/userguide/envoy.html
  envoy: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod',
} as const;

/** Envoy's user, admin port and the ports its iptables rules redirect to (App Mesh). */
export const ENVOY = {
  uid: 1337,
  adminPort: SIDECAR_PORT.envoyAdmin,
  ingressPort: SIDECAR_PORT.envoyIngress,
  egressPort: SIDECAR_PORT.envoyEgress,
  /** Task metadata and instance metadata: never proxied. */
  egressIgnoredIps: ['169.254.170.2', '169.254.169.254'],
} as const;

/** The X-Ray daemon protocol port, which both tracing sidecars listen on (UDP). */
export const XRAY_DAEMON_PORT = SIDECAR_PORT.xrayDaemon;

/**
 * The image tag services run when `-c imageTag=...` is not given: a fresh
 * environment deploys with every service at zero tasks until the pipeline has
 * pushed and deployed a real tag.
 */
export const BOOTSTRAP_IMAGE_TAG = 'bootstrap';

/** Autoscaling targets shared by every service. */
export const SCALING = {
  cpuUtilizationPercent: 60,
  requestsPerTargetPerMinute: 1000,
} as const;

/** How long the ALB waits on an idle connection; above the apps' keep-alive. */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;

/**
 * The image of the operators' database shell task (it only idles: ECS Exec's
 * agent does the port forwarding). Alpine 3.24.1, an official Docker image
 * mirrored on ECR Public; tag verified in docker-library/official-images
 * (library/alpine at 37079fb, 2026-08-21).
 */
export const DATABASE_SHELL_IMAGE = 'public.ecr.aws/docker/library/alpine:3.24.1';
