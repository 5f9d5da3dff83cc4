import { EnvironmentConfig } from './environment-config';
import { DEFAULT_TOKEN_VALIDITY, PROJECT_TAGS, WORKLOAD_INTERFACE_ENDPOINTS } from './shared';

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
  tags: { ...PROJECT_TAGS, extra: { CostCenter: 'user-management-prod' } },
  network: {
    vpcCidr: '10.30.0.0/16',
    azCount: 3,
    natGateways: 3,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: WORKLOAD_INTERFACE_ENDPOINTS,
    flowLogRetentionDays: 365,
  },
  identity: {
    productPool: {
      signIn: 'email-or-login-id',
      domainPrefix: 'user-management-prod-product',
      callbackUrls: ['usermanagement://callback'],
      logoutUrls: ['usermanagement://signed-out'],
    },
    consolePool: {
      signIn: 'email',
      domainPrefix: 'user-management-prod-console',
      callbackUrls: ['https://admin.user-management.example.com/callback'],
      logoutUrls: ['https://admin.user-management.example.com/'],
    },
    threatProtection: 'full-function',
    tokenValidity: DEFAULT_TOKEN_VALIDITY,
    apiIdentifier: 'https://api.user-management.example.com',
    triggerLogRetentionDays: 365,
  },
  database: {
    mode: 'managed',
    minCapacity: 0.5,
    maxCapacity: 16,
    readers: 1,
    backupRetentionDays: 35,
    secretRotationDays: 30,
  },
} satisfies EnvironmentConfig;
