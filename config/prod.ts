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
  securityBaseline: {
    mode: 'create',
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
    minimumFindingSeverity: 'medium',
    budget: { monthlyLimit: 5000, currency: 'USD', alertThresholdPercent: 80 },
    cloudTrail: {
      logRetentionDays: 365,
      archiveRetentionDays: 2557,
      // Compliance mode: not even the root user can delete a log file in its first year.
      objectLock: { mode: 'COMPLIANCE', retentionDays: 365 },
    },
    awsConfig: { recordGlobalResourceTypes: true, archiveRetentionDays: 2557 },
  },
  operations: {
    runbookBaseUrl: RUNBOOK_BASE_URL,
    notifications: {
      emails: ['platform-team@example.com'],
      // Replace with your workspace (authorised once in the AWS Chatbot console) and channel.
      slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
    },
  },
  removalPolicy: 'retain',
  tags: { ...PROJECT_TAGS, extra: { CostCenter: 'user-management-prod' } },
  network: {
    vpcCidr: '10.30.0.0/16',
    azCount: 3,
    natGateways: 3,
    subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
    interfaceEndpoints: WORKLOAD_INTERFACE_ENDPOINTS,
    flowLogRetentionDays: 365,
    dnsFirewall: { queryLogRetentionDays: 365 },
  },
  application: {
    mesh: 'service-connect',
    tracing: 'otel',
    fargateSpot: false,
    // Replace with the ARN of your production certificate (same region as the ALB).
    certificateArn:
      'arn:aws:acm:ap-northeast-1:333333333333:certificate/00000000-0000-4000-8000-000000000000',
    logRetentionDays: 365,
    accessLogExpirationDays: 365,
    deregistrationDelaySeconds: 30,
    services: platformServices({ desiredCount: 3, minCount: 3, maxCount: 12 }),
  },
  edge: {
    // Replace with your production domain and its ACM certificate in us-east-1; the
    // load balancer certificate above must cover the same names (CloudFront forwards Host).
    domain: {
      names: ['app.example.com'],
      certificateArn:
        'arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000001',
    },
    priceClass: 'PriceClass_All',
    rateLimit: EDGE_DEFAULTS.rateLimit,
    // Replace with the office / VPN ranges allowed to call the admin API.
    adminAllowList: {
      pathPrefixes: EDGE_DEFAULTS.adminPathPrefixes,
      cidrs: ['198.51.100.0/24', '2001:db8:1::/48'],
    },
    wafLogRetentionDays: 365,
    accessLogExpirationDays: 365,
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
    rateLimit: USER_POOL_RATE_LIMIT,
    // Replace with your mail subdomain and addresses. The first deployment creates the SES
    // identity and prints its DKIM, MAIL FROM and DMARC records (stack outputs of Prod/Identity);
    // publish them, wait until SES shows the domain verified, then set poolsSendThroughSes.
    mail: {
      domain: 'mail.user-management.example.com',
      fromAddress: 'no-reply@mail.user-management.example.com',
      fromName: 'User Management',
      replyTo: 'support@example.com',
      mailFromLabel: 'bounce',
      dmarcReportAddress: 'dmarc-reports@example.com',
      poolsSendThroughSes: false,
    },
  },
  database: {
    mode: 'managed',
    minCapacity: 0.5,
    maxCapacity: 16,
    readers: 1,
    backupRetentionDays: 35,
    secretRotationDays: 30,
  },
} satisfies EnvironmentSettings;
