import { EnvironmentConfig, SecurityBaselineConfig } from '../../config';

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

/** Valid security-baseline settings, for an environment that owns the baseline. */
export function securityBaselineConfig(): SecurityBaselineConfig {
  return {
    mode: 'create',
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
    minimumFindingSeverity: 'high',
    budget: { monthlyLimit: 100, currency: 'USD', alertThresholdPercent: 80 },
    cloudTrail: { logRetentionDays: 30, archiveRetentionDays: 365 },
  };
}

/** `config` as the owner of its account+region's security baseline. */
export function baselineOwner(config: EnvironmentConfig): EnvironmentConfig {
  return { ...config, ownsSecurityBaseline: true, securityBaseline: securityBaselineConfig() };
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
