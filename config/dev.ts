import { EnvironmentConfig } from './environment-config';
import { DEFAULT_TOKEN_VALIDITY, PROJECT_TAGS } from './shared';

/**
 * Development: the CLI's account (no account pinned), two AZs and one NAT
 * gateway to keep cost down, and stateful resources destroyed with the stack.
 */
export const dev = {
  name: 'dev',
  tier: 'development',
  region: 'ap-northeast-1',
  ownsSecurityBaseline: true,
  removalPolicy: 'destroy',
  tags: PROJECT_TAGS,
  network: {
    vpcCidr: '10.10.0.0/16',
    azCount: 2,
    natGateways: 1,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'],
    flowLogRetentionDays: 14,
  },
  identity: {
    productPool: {
      signIn: 'email-or-login-id',
      domainPrefix: 'user-management-dev-product',
      callbackUrls: ['usermanagement://callback'],
      logoutUrls: ['usermanagement://signed-out'],
    },
    consolePool: {
      signIn: 'email',
      domainPrefix: 'user-management-dev-console',
      callbackUrls: [
        'https://admin.dev.user-management.example.com/callback',
        'http://localhost:3000/callback',
      ],
      logoutUrls: ['https://admin.dev.user-management.example.com/', 'http://localhost:3000/'],
    },
    threatProtection: 'audit-only',
    tokenValidity: DEFAULT_TOKEN_VALIDITY,
    apiIdentifier: 'https://api.dev.user-management.example.com',
    triggerLogRetentionDays: 14,
  },
  database: {
    mode: 'managed',
    minCapacity: 0,
    maxCapacity: 2,
    readers: 0,
    backupRetentionDays: 1,
    secretRotationDays: 30,
  },
} satisfies EnvironmentConfig;
