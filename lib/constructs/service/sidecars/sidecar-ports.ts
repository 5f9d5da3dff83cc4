/**
 * Ports the sidecars listen on inside a task. With awsvpc networking every
 * container of a task shares one network namespace, so an app port must not
 * be one of these (config validation rejects it).
 */
export const SIDECAR_PORT = {
  /** X-Ray daemon protocol (UDP), served by both tracing sidecars. */
  xrayDaemon: 2000,
  /** Fluent Bit's HTTP monitoring server. */
  fluentBitMonitoring: 2020,
  /** Fluent Bit's forward input, which FireLens sends to. */
  fluentBitForward: 24224,
  /** OpenTelemetry OTLP over gRPC. */
  otlpGrpc: 4317,
  /** OpenTelemetry OTLP over HTTP. */
  otlpHttp: 4318,
  /** The OpenTelemetry collector's health_check extension. */
  otelHealth: 13133,
  /** Datadog DogStatsD (UDP). */
  datadogStatsd: 8125,
  /** Datadog APM traces. */
  datadogApm: 8126,
  /** Envoy's admin interface (App Mesh). */
  envoyAdmin: 9901,
  /** Envoy's ingress listener, where iptables redirects inbound traffic (App Mesh). */
  envoyIngress: 15000,
  /** Envoy's egress listener, where iptables redirects outbound traffic (App Mesh). */
  envoyEgress: 15001,
} as const;

/** Every sidecar port, ascending. */
export const SIDECAR_PORTS: readonly number[] = Object.values(SIDECAR_PORT).sort((a, b) => a - b);
