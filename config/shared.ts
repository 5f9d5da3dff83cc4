import {
  INTERFACE_ENDPOINT_NAMES,
  InterfaceEndpointName,
  TagsConfig,
  TokenValidityConfig,
} from './environment-config';

/** Tags every environment starts from. */
export const PROJECT_TAGS: TagsConfig = { project: 'user-management', owner: 'platform-team' };

/**
 * Every endpoint the workloads call: ECR pulls, logs, secrets and parameters,
 * ECS Exec sessions (ssmmessages), tracing, STS and KMS. `guardduty-data` is
 * left out: GuardDuty's automated agent configuration creates it.
 */
export const WORKLOAD_INTERFACE_ENDPOINTS: readonly InterfaceEndpointName[] =
  INTERFACE_ENDPOINT_NAMES.filter((name) => name !== 'guardduty-data');

/**
 * Short-lived ID and access tokens (an hour, Cognito's default) and a month of
 * refresh, so a revoked or disabled user loses access within the hour.
 */
export const DEFAULT_TOKEN_VALIDITY: TokenValidityConfig = {
  idTokenMinutes: 60,
  accessTokenMinutes: 60,
  refreshTokenDays: 30,
};
