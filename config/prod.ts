import { EnvironmentConfig } from './environment-config';

/**
 * Production: pinned account and region, one NAT gateway per AZ, every endpoint,
 * stateful resources retained and a year of flow logs.
 * Replace the account ID with your production account's.
 */
export const prod = {
  name: 'prod',
  tier: 'production',
  account: '333333333333',
  region: 'ap-northeast-1',
  ownsSecurityBaseline: true,
  removalPolicy: 'retain',
  tags: {
    project: 'user-management',
    owner: 'platform-team',
    extra: { CostCenter: 'user-management-prod' },
  },
  network: {
    vpcCidr: '10.30.0.0/16',
    azCount: 3,
    natGateways: 3,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: [
      'ecr.api',
      'ecr.dkr',
      'logs',
      'secretsmanager',
      'ssm',
      'ssmmessages',
      'xray',
      'sts',
      'kms',
    ],
    flowLogRetentionDays: 365,
  },
} satisfies EnvironmentConfig;
