import { EnvironmentConfig } from './environment-config';
import { DEFAULT_TOKEN_VALIDITY, PROJECT_TAGS, WORKLOAD_INTERFACE_ENDPOINTS } from './shared';

/**
 * Staging: production's shape (three AZs, every endpoint) with fewer NAT
 * gateways, so what passes here behaves like production.
 * Replace the account ID with your staging account's.
 */
export const stg = {
  name: 'stg',
  tier: 'staging',
  account: '222222222222',
  region: 'ap-northeast-1',
  ownsSecurityBaseline: true,
  removalPolicy: 'snapshot',
  tags: PROJECT_TAGS,
  network: {
    vpcCidr: '10.20.0.0/16',
    azCount: 3,
    natGateways: 1,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: WORKLOAD_INTERFACE_ENDPOINTS,
    flowLogRetentionDays: 90,
  },
  identity: {
    productPool: {
      signIn: 'email-or-login-id',
      domainPrefix: 'user-management-stg-product',
      callbackUrls: ['usermanagement://callback'],
      logoutUrls: ['usermanagement://signed-out'],
    },
    consolePool: {
      signIn: 'email',
      domainPrefix: 'user-management-stg-console',
      callbackUrls: ['https://admin.stg.user-management.example.com/callback'],
      logoutUrls: ['https://admin.stg.user-management.example.com/'],
    },
    threatProtection: 'audit-only',
    tokenValidity: DEFAULT_TOKEN_VALIDITY,
    apiIdentifier: 'https://api.stg.user-management.example.com',
    triggerLogRetentionDays: 90,
  },
  database: {
    mode: 'managed',
    minCapacity: 0.5,
    maxCapacity: 4,
    readers: 1,
    backupRetentionDays: 7,
    secretRotationDays: 30,
  },
} satisfies EnvironmentConfig;
