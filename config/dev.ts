import { EnvironmentSettings } from './schema';
import {
  DEFAULT_TOKEN_VALIDITY,
  EDGE_DEFAULTS,
  platformServices,
  PROJECT_TAGS,
  SMALLEST_TASK_SIZES,
  USER_POOL_RATE_LIMIT,
  RUNBOOK_BASE_URL,
} from './shared';

/**
 * Development: the CLI's account (no account pinned), two AZs and one NAT
 * gateway to keep cost down, and stateful resources destroyed with the stack.
 */
export const dev = {
  name: 'dev',
  tier: 'development',
  region: 'ap-northeast-1',
  ownsSecurityBaseline: true,
  securityBaseline: {
    mode: 'create',
    findingPublishingFrequency: 'SIX_HOURS',
    minimumFindingSeverity: 'high',
    budget: { monthlyLimit: 300, currency: 'USD', alertThresholdPercent: 80 },
    cloudTrail: { logRetentionDays: 30, archiveRetentionDays: 90 },
    awsConfig: { recordGlobalResourceTypes: true, archiveRetentionDays: 90 },
  },
  operations: {
    runbookBaseUrl: RUNBOOK_BASE_URL,
    notifications: { emails: ['platform-team@example.com'] },
  },
  removalPolicy: 'destroy',
  tags: PROJECT_TAGS,
  network: {
    vpcCidr: '10.10.0.0/16',
    azCount: 2,
    natGateways: 1,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    // No interface endpoints: the NAT gateway (there anyway, for the sidecars'
    // intakes) carries ECR, logs and Secrets Manager calls more cheaply here.
    // Four endpoints in two AZs cost 8 x $0.014/h x 730 h = $81.76 a month; the
    // traffic they would carry costs $0.062/GB through NAT instead of $0.01/GB,
    // so they pay off above $81.76 / $0.052 = 1,572 GB a month, and five
    // one-task services move a few GB (ECR serves image layers from S3, through
    // the free S3 gateway endpoint every environment has). Prices of
    // ap-northeast-1 checked 2026-12-02: tools/cost/price-table.ts.
    // See https://aws.amazon.com/privatelink/pricing/ and
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
    interfaceEndpoints: [],
    flowLogRetentionDays: 14,
    dnsFirewall: { queryLogRetentionDays: 14 },
  },
  application: {
    mesh: 'service-connect',
    tracing: 'otel',
    fargateSpot: true,
    logRetentionDays: 14,
    accessLogExpirationDays: 30,
    deregistrationDelaySeconds: 5,
    services: platformServices({ desiredCount: 1, minCount: 1, maxCount: 2 }, SMALLEST_TASK_SIZES),
  },
  edge: {
    priceClass: 'PriceClass_100',
    rateLimit: EDGE_DEFAULTS.rateLimit,
    // Replace with the office / VPN ranges allowed to call the admin API.
    adminAllowList: { pathPrefixes: EDGE_DEFAULTS.adminPathPrefixes, cidrs: ['203.0.113.0/24'] },
    wafLogRetentionDays: 14,
    accessLogExpirationDays: 30,
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
    rateLimit: USER_POOL_RATE_LIMIT,
  },
  database: {
    mode: 'managed',
    minCapacity: 0,
    maxCapacity: 2,
    readers: 0,
    backupRetentionDays: 1,
    secretRotationDays: 30,
  },
} satisfies EnvironmentSettings;
