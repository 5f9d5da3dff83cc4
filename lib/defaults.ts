import { SIDECAR_PORT } from './constructs/service/sidecars/sidecar-ports';

/** HTTPS: interface endpoints, the load balancer's TLS listener, the rotation Lambda's calls to AWS APIs. */
export const HTTPS_PORT = 443;

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

/** Autoscaling targets shared by every service. */
export const SCALING = {
  cpuUtilizationPercent: 60,
  requestsPerTargetPerMinute: 1000,
} as const;

/** How long the ALB waits on an idle connection; above the apps' keep-alive. */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
