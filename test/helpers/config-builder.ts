import {
  ConfigValidationError,
  EnvironmentConfig,
  EnvironmentSettings,
  validateEnvironments,
} from '../../config';

/** What an environment file writes (before validation); the builders return these. */
type Settings = EnvironmentSettings;
type EdgeSettings = Settings['edge'];
type ServiceSettings = Settings['application']['services'][number];
type DatabaseSettings = Settings['database'];
type BaselineSettings = NonNullable<Settings['securityBaseline']>;

/** A valid development environment to start a test from. */
export function developmentConfig(name = 'dev'): Settings {
  return {
    name,
    tier: 'development',
    region: 'ap-northeast-1',
    ownsSecurityBaseline: false,
    operations: {
      runbookBaseUrl: 'https://github.com/example-org/platform/blob/main/docs/runbooks',
      notifications: { emails: ['ops@example.com'] },
    },
    removalPolicy: 'destroy',
    tags: { project: 'user-management', owner: 'platform-team' },
    network: {
      vpcCidr: '10.10.0.0/16',
      azCount: 2,
      natGateways: 1,
      subnetMasks: { public: 24, privateWithEgress: 20, isolated: 24 },
      interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'],
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
      services: [webService(), workerService()],
    },
    edge: edgeConfig(),
    identity: {
      productPool: {
        signIn: 'email-or-login-id',
        domainPrefix: `${name}-product`,
        callbackUrls: ['usermanagement://callback'],
        logoutUrls: ['usermanagement://signed-out'],
      },
      consolePool: {
        signIn: 'email',
        domainPrefix: `${name}-console`,
        callbackUrls: ['https://admin.example.com/callback', 'http://localhost:3000/callback'],
        logoutUrls: ['https://admin.example.com/'],
      },
      threatProtection: 'audit-only',
      tokenValidity: { idTokenMinutes: 60, accessTokenMinutes: 60, refreshTokenDays: 30 },
      apiIdentifier: 'https://api.example.com',
      triggerLogRetentionDays: 14,
      rateLimit: { limit: 1000, windowSeconds: 300 },
    },
    database: {
      mode: 'managed',
      minCapacity: 0,
      maxCapacity: 2,
      readers: 0,
      backupRetentionDays: 1,
      secretRotationDays: 30,
    },
    secrets: {
      'web/session-signing-key': { description: 'Signs the web session cookies' },
    },
  };
}

/** A valid edge section: a custom domain, the ap-northeast-1 prefix list, one admin CIDR. */
export function edgeConfig(): EdgeSettings {
  return {
    domain: {
      names: ['app.example.com'],
      certificateArn:
        'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000',
    },
    priceClass: 'PriceClass_100',
    rateLimit: { limit: 1000, windowSeconds: 300 },
    adminAllowList: { pathPrefixes: ['/v1/api/admin'], cidrs: ['203.0.113.0/24'] },
    wafLogRetentionDays: 30,
    accessLogExpirationDays: 30,
  };
}

/** A service behind the load balancer at `/`. */
export function webService(name = 'web'): ServiceSettings {
  return {
    name,
    github: { owner: 'example-org', repository: `${name}-service` },
    route: { pathPrefix: '/', healthCheckPath: '/health' },
    protocol: 'http',
    port: 3000,
    cpu: 256,
    memoryMiB: 512,
    desiredCount: 1,
    minCount: 1,
    maxCount: 2,
    environment: { NODE_ENV: 'production' },
    secrets: { SESSION_SIGNING_KEY: 'web/session-signing-key' },
    readonlyRootFilesystem: true,
  };
}

/** A queue worker without ingress. */
export function workerService(name = 'worker'): ServiceSettings {
  return {
    name,
    github: { owner: 'example-org', repository: `${name}-service` },
    protocol: 'http',
    cpu: 256,
    memoryMiB: 512,
    desiredCount: 1,
    minCount: 1,
    maxCount: 2,
    environment: {},
    secrets: {},
    readonlyRootFilesystem: true,
    queue: { source: 'own', visibilityTimeoutSeconds: 60, maxReceiveCount: 3, messagesPerTask: 10 },
  };
}

/** A valid production environment to start a test from. */
export function productionConfig(name = 'prod'): Settings {
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
    application: {
      ...developmentConfig(name).application,
      fargateSpot: false,
      services: [webService(), workerService()].map((service) => ({
        ...service,
        desiredCount: 2,
        minCount: 2,
        maxCount: 4,
      })),
    },
    identity: {
      ...developmentConfig(name).identity,
      consolePool: {
        ...developmentConfig(name).identity.consolePool,
        callbackUrls: ['https://admin.example.com/callback'],
      },
      threatProtection: 'full-function',
    },
    database: {
      ...(developmentConfig(name).database as Extract<DatabaseSettings, { mode: 'managed' }>),
      readers: 1,
    },
  };
}

/**
 * A valid peered database: an existing database in another VPC of the same
 * account and region, whose CIDR does not overlap the builders' VPCs.
 */
export function peeredDatabase(): Extract<DatabaseSettings, { mode: 'peered' }> {
  return {
    mode: 'peered',
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '172.16.0.0/16',
    routeTableIds: ['rtb-0123456789abcdef0'],
    securityGroupId: 'sg-0123456789abcdef0',
    endpoint: 'db.cluster-abc.ap-northeast-1.rds.amazonaws.com',
    port: 5432,
    databaseName: 'identity',
    secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:identity/db-AbCdEf',
    secretRotationDays: 30,
  };
}

/** The ap-northeast-1 AZs the builders pin (1b exists only for older accounts). */
const TOKYO_AZS = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];

/**
 * Turns on Network Firewall in front of a draft's NAT egress (off in every
 * shipped environment): its AZs pinned, as the firewall needs, and one
 * allowed domain of its own.
 */
export function addNetworkFirewall(draft: any): void {
  draft.network.availabilityZones = TOKYO_AZS.slice(0, draft.network.azCount);
  draft.network.networkFirewall = { allowedDomains: ['.example.com'], logRetentionDays: 30 };
}

/** `config` with Network Firewall on (see {@link addNetworkFirewall}). */
export function withNetworkFirewall(config: Settings): unknown {
  return changed(config, addNetworkFirewall);
}

/** Valid security-baseline settings, for an environment that owns the baseline. */
export function securityBaselineConfig(): BaselineSettings {
  return {
    mode: 'create',
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
    minimumFindingSeverity: 'high',
    budget: { monthlyLimit: 100, currency: 'USD', alertThresholdPercent: 80 },
    cloudTrail: { logRetentionDays: 30, archiveRetentionDays: 365 },
    awsConfig: { recordGlobalResourceTypes: true, archiveRetentionDays: 365 },
  };
}

/**
 * `config` as the owner of its account+region's security baseline (with the
 * trail archive's Object Lock that production requires).
 */
export function baselineOwner(config: Settings): Settings {
  const baseline = securityBaselineConfig();
  const securityBaseline: BaselineSettings =
    config.tier === 'production'
      ? {
          ...baseline,
          cloudTrail: {
            ...baseline.cloudTrail,
            objectLock: { mode: 'GOVERNANCE', retentionDays: 30 },
          },
        }
      : baseline;
  return { ...config, ownsSecurityBaseline: true, securityBaseline };
}

/**
 * A copy of `config` changed by `change`. The draft is untyped on purpose:
 * tests write wrong types and unknown keys that the validator must reject.
 */
export function changed(config: Settings, change: (draft: any) => void): unknown {
  const draft = structuredClone(config);
  change(draft);
  return draft;
}

/** The problems of the {@link ConfigValidationError} that `validate` throws (fails the test if it throws none). */
export function problemsOfCall(validate: () => unknown): readonly string[] {
  try {
    validate();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

/** The problems reported for these environments (fails the test if none). */
export function problemsOf(...environments: unknown[]): readonly string[] {
  return problemsOfCall(() => validateEnvironments(environments));
}

/** The validated form of environment settings, as lib receives them (fails the test if invalid). */
export function validated(settings: unknown): EnvironmentConfig;
export function validated(...settings: unknown[]): EnvironmentConfig[];
export function validated(...settings: unknown[]): EnvironmentConfig | EnvironmentConfig[] {
  const environments = validateEnvironments(settings);
  return settings.length === 1 ? environments[0] : environments;
}

/**
 * One row of a `fails when` table: what is wrong, the environment it starts
 * from, the change that makes it wrong, and the exact problems reported.
 */
export type ConfigCase = [
  description: string,
  base: () => Settings,
  change: (draft: any) => unknown,
  problems: readonly string[],
];
