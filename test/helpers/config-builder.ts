import { EnvironmentConfig } from '../../config';

/** A valid development environment to start a test from. */
export function developmentConfig(name = 'dev'): EnvironmentConfig {
  return {
    name,
    tier: 'development',
    region: 'ap-northeast-1',
    ownsSecurityBaseline: false,
    removalPolicy: 'destroy',
    tags: { project: 'user-management', owner: 'platform-team' },
    network: {
      vpcCidr: '10.10.0.0/16',
      azCount: 2,
      natGateways: 1,
      subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
      interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'],
      flowLogRetentionDays: 14,
    },
  };
}

/** A valid production environment to start a test from. */
export function productionConfig(name = 'prod'): EnvironmentConfig {
  return {
    ...developmentConfig(name),
    tier: 'production',
    account: '333333333333',
    removalPolicy: 'retain',
    network: {
      ...developmentConfig(name).network,
      vpcCidr: '10.30.0.0/16',
      azCount: 3,
      natGateways: 3,
    },
  };
}

/**
 * A copy of `config` changed by `change`. The draft is untyped on purpose:
 * tests write wrong types and unknown keys that the validator must reject.
 */
export function changed(config: EnvironmentConfig, change: (draft: any) => void): unknown {
  const draft = structuredClone(config);
  change(draft);
  return draft;
}
