import { EnvironmentSettings } from './schema';
import {
  DEFAULT_TOKEN_VALIDITY,
  EDGE_DEFAULTS,
  platformServices,
  PROJECT_TAGS,
  USER_POOL_RATE_LIMIT,
  RUNBOOK_BASE_URL,
  WORKLOAD_INTERFACE_ENDPOINTS,
} from './shared';

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
  securityBaseline: {
    mode: 'create',
    findingPublishingFrequency: 'ONE_HOUR',
    minimumFindingSeverity: 'medium',
    budget: { monthlyLimit: 1000, currency: 'USD', alertThresholdPercent: 80 },
    cloudTrail: { logRetentionDays: 90, archiveRetentionDays: 365 },
    awsConfig: { recordGlobalResourceTypes: true, archiveRetentionDays: 365 },
  },
  operations: {
    runbookBaseUrl: RUNBOOK_BASE_URL,
    notifications: { emails: ['platform-team@example.com'] },
  },
  removalPolicy: 'snapshot',
  tags: PROJECT_TAGS,
  network: {
    vpcCidr: '10.20.0.0/16',
    azCount: 3,
    natGateways: 1,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: WORKLOAD_INTERFACE_ENDPOINTS,
    flowLogRetentionDays: 90,
    dnsFirewall: { queryLogRetentionDays: 90 },
  },
  application: {
    mesh: 'service-connect',
    tracing: 'otel',
    fargateSpot: false,
    logRetentionDays: 90,
    accessLogExpirationDays: 90,
    deregistrationDelaySeconds: 30,
    services: platformServices({ desiredCount: 2, minCount: 2, maxCount: 4 }),
  },
  edge: {
    // Replace with your staging zone (delegated from the parent domain): the platform
    // issues both certificates in it, so CloudFront reaches the load balancer over HTTPS.
    domain: { names: ['app.stg.user-management.example.com'] },
    hostedZone: {
      zoneName: 'stg.user-management.example.com',
      hostedZoneId: 'Z0000000000000000STG',
    },
    priceClass: 'PriceClass_200',
    rateLimit: EDGE_DEFAULTS.rateLimit,
    // Replace with the office / VPN ranges allowed to call the admin API.
    adminAllowList: {
      pathPrefixes: EDGE_DEFAULTS.adminPathPrefixes,
      cidrs: ['203.0.113.0/24', '2001:db8::/32'],
    },
    wafLogRetentionDays: 90,
    accessLogExpirationDays: 90,
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
    rateLimit: USER_POOL_RATE_LIMIT,
  },
  database: {
    mode: 'managed',
    minCapacity: 0.5,
    maxCapacity: 4,
    readers: 1,
    backupRetentionDays: 7,
    secretRotationDays: 30,
  },
} satisfies EnvironmentSettings;
