import { INTERFACE_ENDPOINT_NAMES, InterfaceEndpointName, TagsConfig } from './environment-config';

/** Tags every environment starts from. */
export const PROJECT_TAGS: TagsConfig = { project: 'user-management', owner: 'platform-team' };

/**
 * Every endpoint the workloads call: ECR pulls, logs, secrets and parameters,
 * ECS Exec sessions (ssmmessages), tracing, STS and KMS. `guardduty-data` is
 * left out: GuardDuty's automated agent configuration creates it.
 */
export const WORKLOAD_INTERFACE_ENDPOINTS: readonly InterfaceEndpointName[] =
  INTERFACE_ENDPOINT_NAMES.filter((name) => name !== 'guardduty-data');
