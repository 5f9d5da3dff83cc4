import { z } from 'zod';
import { applicationEnvironmentRules, applicationSchema } from './application-schema';
import { edgeEnvironmentRules, edgeSchema } from './edge-schema';
import { KNOWN_REGIONS, list, logRetentionDays, reportDuplicates } from './rules';
import {
  addressesForSubnets,
  addressesInPrefix,
  blocksOverlap,
  networkAddressOf,
  parseIpv4Cidr,
} from './cidr';
import {
  ENVIRONMENT_TIERS,
  EnvironmentConfig,
  FINDING_PUBLISHING_FREQUENCIES,
  FINDING_SEVERITIES,
  INTERFACE_ENDPOINT_NAMES,
  REMOVAL_POLICIES,
  SECURITY_BASELINE_MODES,
  SIGN_IN_METHODS,
  THREAT_PROTECTION_MODES,
} from './environment-config';

/** VPC CIDR block limits. See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html */
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;
const MIN_AZS = 2;
const MIN_PRODUCTION_AZS = 3;
const MAX_AZS = 6;

const tagValue = z
  .string()
  .min(1, 'is empty; a tag value needs 1-256 characters')
  .max(256, 'is longer than 256 characters, the tag value limit');

const tagsSchema = z.strictObject({
  project: tagValue,
  owner: tagValue,
  extra: z
    .record(z.string(), z.string().max(256, 'is longer than 256 characters, the tag value limit'))
    .superRefine((extra, ctx) => {
      // See https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
      for (const key of Object.keys(extra)) {
        if (key.length < 1 || key.length > 128) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'has a key outside 1-128 characters, the tag key limit',
          });
        } else if (key.toLowerCase().startsWith('aws:')) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'has a key starting with "aws:", which is reserved for AWS tags',
          });
        }
      }
    })
    .optional(),
});

const subnetMask = z
  .number()
  .int(`is not a whole number; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`)
  .min(MIN_PREFIX, `is not a subnet prefix length; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`)
  .max(MAX_PREFIX, `is not a subnet prefix length; allowed: ${MIN_PREFIX}-${MAX_PREFIX}`);

const vpcCidr = z.string().superRefine((cidr, ctx) => {
  const block = parseIpv4Cidr(cidr);
  if (!block) {
    ctx.addIssue({ code: 'custom', message: 'is not an IPv4 CIDR; expected a.b.c.d/n' });
  } else if (block.prefix < MIN_PREFIX || block.prefix > MAX_PREFIX) {
    ctx.addIssue({
      code: 'custom',
      message: `has prefix length /${block.prefix}; a VPC allows /${MIN_PREFIX} to /${MAX_PREFIX}`,
    });
  } else if (networkAddressOf(cidr) !== cidr) {
    ctx.addIssue({
      code: 'custom',
      message: `is not a network address; did you mean "${networkAddressOf(cidr)}"?`,
    });
  }
});

const networkSchema = z
  .strictObject({
    vpcCidr,
    azCount: z
      .number()
      .int(`is not a whole number; allowed: ${MIN_AZS}-${MAX_AZS}`)
      .min(MIN_AZS, `is below ${MIN_AZS}; allowed: ${MIN_AZS}-${MAX_AZS} AZs`)
      .max(MAX_AZS, `is above ${MAX_AZS}; allowed: ${MIN_AZS}-${MAX_AZS} AZs`),
    availabilityZones: z
      .array(
        z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'is not an AZ name such as "ap-northeast-1a"'),
      )
      .optional(),
    natGateways: z
      .number()
      .int('is not a whole number')
      .min(1, 'is below 1; private subnets need a NAT gateway for egress'),
    subnetMasks: z.strictObject({
      public: subnetMask,
      privateWithEgress: subnetMask,
      isolated: subnetMask,
    }),
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_NAMES)),
    flowLogRetentionDays: logRetentionDays,
  })
  .superRefine((network, ctx) => {
    if (network.natGateways > network.azCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['natGateways'],
        message: `is more than azCount (${network.azCount}); allowed: 1-${network.azCount}`,
      });
    }
    if (network.availabilityZones) {
      if (network.availabilityZones.length !== network.azCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones'],
          message: `names ${network.availabilityZones.length} AZs; it must name exactly azCount (${network.azCount})`,
        });
      }
      reportDuplicates(network.availabilityZones, ctx, ['availabilityZones']);
    }
    reportDuplicates(network.interfaceEndpoints, ctx, ['interfaceEndpoints']);
    const block = parseIpv4Cidr(network.vpcCidr);
    if (!block) {
      return; // reported by the vpcCidr rule
    }
    const masks = [
      network.subnetMasks.public,
      network.subnetMasks.privateWithEgress,
      network.subnetMasks.isolated,
    ];
    masks.forEach((mask, index) => {
      if (mask < block.prefix) {
        const tier = Object.keys(network.subnetMasks)[index];
        ctx.addIssue({
          code: 'custom',
          path: ['subnetMasks', tier],
          message: `is larger than the VPC (/${block.prefix}); allowed: /${block.prefix} to /${MAX_PREFIX}`,
        });
      }
    });
    const needed = addressesForSubnets(masks, network.azCount);
    const available = addressesInPrefix(block.prefix);
    if (needed > available) {
      ctx.addIssue({
        code: 'custom',
        path: ['vpcCidr'],
        message:
          `is too small: 3 subnet tiers (/${masks.join(', /')}) in ${network.azCount} AZs need ` +
          `${needed} addresses and /${block.prefix} has ${available}; use a shorter prefix or longer subnetMasks`,
      });
    }
  });

/** S3 lifecycle of the CloudTrail archive: files move to Glacier after 90 days. */
export const TRAIL_ARCHIVE_TRANSITION_DAYS = 90;
const MAX_TRAIL_ARCHIVE_DAYS = 3653;

const securityBaselineSchema = z.strictObject({
  mode: z.enum(SECURITY_BASELINE_MODES),
  findingPublishingFrequency: z.enum(FINDING_PUBLISHING_FREQUENCIES),
  minimumFindingSeverity: z.enum(FINDING_SEVERITIES),
  // The patterns of AWS::Chatbot::SlackChannelConfiguration SlackWorkspaceId and SlackChannelId.
  slack: z
    .strictObject({
      workspaceId: z
        .string()
        .regex(/^[0-9A-Z]{1,255}$/, 'is not a Slack workspace ID such as "T0123ABCD"'),
      channelId: z
        .string()
        .regex(/^[A-Za-z0-9]{1,256}$/, 'is not a Slack channel ID such as "C0123ABCD"'),
    })
    .optional(),
  budget: z.strictObject({
    monthlyLimit: z.number().positive('is not above 0; allowed: an amount greater than 0'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'is not an ISO 4217 currency code such as "USD"'),
    alertThresholdPercent: z
      .number()
      .min(1, 'is below 1; allowed: 1-1000 (percent of monthlyLimit)')
      .max(1000, 'is above 1000; allowed: 1-1000 (percent of monthlyLimit)'),
  }),
  cloudTrail: z.strictObject({
    logRetentionDays,
    archiveRetentionDays: z
      .number()
      .int('is not a whole number of days')
      .min(
        TRAIL_ARCHIVE_TRANSITION_DAYS,
        `is below ${TRAIL_ARCHIVE_TRANSITION_DAYS}; allowed: ${TRAIL_ARCHIVE_TRANSITION_DAYS}-${MAX_TRAIL_ARCHIVE_DAYS} days`,
      )
      .max(
        MAX_TRAIL_ARCHIVE_DAYS,
        `is above ${MAX_TRAIL_ARCHIVE_DAYS}; allowed: ${TRAIL_ARCHIVE_TRANSITION_DAYS}-${MAX_TRAIL_ARCHIVE_DAYS} days`,
      ),
  }),
});

const notificationsSchema = z.strictObject({
  emails: z
    .array(z.email('is not an e-mail address'))
    .superRefine((emails, ctx) => reportDuplicates(emails, ctx, []))
    .optional(),
});
const wholeNumberBetween = (min: number, max: number, unit = '') =>
  z
    .number()
    .int(`is not a whole number; allowed: ${min}-${max}${unit}`)
    .min(min, `is below ${min}; allowed: ${min}-${max}${unit}`)
    .max(max, `is above ${max}; allowed: ${min}-${max}${unit}`);

/**
 * Cognito domain prefixes. See
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 */
const domainPrefix = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'is not a domain prefix; allowed: 1-63 lowercase letters, digits and "-", not starting or ending with "-"',
  )
  .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
    message: 'contains "aws", "amazon" or "cognito", which Cognito reserves',
  });

/** A redirect URL: https, an app's own scheme, or http on localhost (checked against the tier later). */
const redirectUrl = z.string().refine(
  (url) => {
    const match = /^([a-z][a-z0-9+.-]*):\/\/[^\s#]+$/.exec(url);
    if (!match) {
      return false;
    }
    return match[1] !== 'http' || /^http:\/\/localhost(:\d+)?(\/|$)/.test(url);
  },
  {
    message:
      'is not an allowed redirect URL; allowed: https://..., an app scheme (myapp://...), or http://localhost',
  },
);

const redirectUrls = z
  .array(redirectUrl)
  .min(1, 'is empty; at least one URL is needed')
  .superRefine((urls, ctx) => {
    urls.forEach((url, index) => {
      if (urls.indexOf(url) !== index) {
        ctx.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
      }
    });
  });

const userPoolSchema = z.strictObject({
  signIn: z.enum(SIGN_IN_METHODS),
  domainPrefix,
  callbackUrls: redirectUrls,
  logoutUrls: redirectUrls,
});

/** Token validity limits. See https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html */
const identitySchema = z
  .strictObject({
    productPool: userPoolSchema,
    consolePool: userPoolSchema,
    threatProtection: z.enum(THREAT_PROTECTION_MODES),
    tokenValidity: z.strictObject({
      idTokenMinutes: wholeNumberBetween(5, 1440, ' minutes'),
      accessTokenMinutes: wholeNumberBetween(5, 1440, ' minutes'),
      refreshTokenDays: wholeNumberBetween(1, 3650, ' days'),
    }),
    apiIdentifier: z
      .string()
      .regex(
        /^https:\/\/[a-z0-9.-]+(\/[\w./-]*)?$/,
        'is not an https:// URL such as "https://api.example.com"',
      ),
    triggerLogRetentionDays: logRetentionDays,
  })
  .superRefine((identity, ctx) => {
    if (identity.productPool.domainPrefix === identity.consolePool.domainPrefix) {
      ctx.addIssue({
        code: 'custom',
        path: ['consolePool', 'domainPrefix'],
        message: "is the product pool's prefix too; each pool needs its own domain",
      });
    }
    const { idTokenMinutes, accessTokenMinutes, refreshTokenDays } = identity.tokenValidity;
    const longest = Math.max(idTokenMinutes, accessTokenMinutes);
    if (refreshTokenDays * 24 * 60 <= longest) {
      ctx.addIssue({
        code: 'custom',
        path: ['tokenValidity', 'refreshTokenDays'],
        message: `is not longer than the ID and access tokens (${longest} minutes); allowed: more than that`,
      });
    }
  });

/** Aurora Serverless v2 capacity. See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html */
const capacity = (min: number) =>
  z
    .number()
    .min(min, `is below ${min}; allowed: ${min}-256 ACUs in steps of 0.5`)
    .max(256, 'is above 256; allowed: up to 256 ACUs in steps of 0.5')
    .refine((acu) => Number.isInteger(acu * 2), {
      message: `is not a multiple of 0.5; allowed: ${min}-256 ACUs in steps of 0.5`,
    });

const managedDatabaseSchema = z
  .strictObject({
    mode: z.literal('managed'),
    minCapacity: capacity(0),
    maxCapacity: capacity(1),
    readers: wholeNumberBetween(0, 15),
    backupRetentionDays: wholeNumberBetween(1, 35, ' days'),
    secretRotationDays: wholeNumberBetween(1, 365, ' days'),
  })
  .superRefine((db, ctx) => {
    if (db.maxCapacity < db.minCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxCapacity'],
        message: `is below minCapacity (${db.minCapacity}); allowed: ${db.minCapacity}-256`,
      });
    }
  });

const peeredDatabaseSchema = z.strictObject({
  mode: z.literal('peered'),
  vpcId: z
    .string()
    .regex(
      /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
      'is not a VPC ID; expected "vpc-" and 8 or 17 hex digits',
    ),
  vpcCidr: z.string().refine((cidr) => parseIpv4Cidr(cidr) !== undefined, {
    message: 'is not an IPv4 CIDR; expected a.b.c.d/n',
  }),
  routeTableIds: z
    .array(
      z
        .string()
        .regex(
          /^rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
          'is not a route table ID; expected "rtb-" and 8 or 17 hex digits',
        ),
    )
    .min(1, 'is empty; the database VPC needs a route back in at least one route table'),
  securityGroupId: z
    .string()
    .regex(
      /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
      'is not a security group ID; expected "sg-" and 8 or 17 hex digits',
    ),
  endpoint: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
      'is not a host name such as "db.cluster-abc.ap-northeast-1.rds.amazonaws.com"',
    ),
  // RDS allows ports 1150-65535. See https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
  port: wholeNumberBetween(1150, 65535),
  databaseName: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
      'is not a database name; allowed: 1-63 letters, digits and "_", starting with a letter',
    ),
  secretArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
      'is not a full Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
    ),
});

const databaseSchema = z.discriminatedUnion('mode', [managedDatabaseSchema, peeredDatabaseSchema]);

/** Rules for one environment, including the ones that span its fields. */
export const environmentConfigSchema = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,15}$/,
        'is not an environment name; allowed: 2-16 characters, lowercase letters, digits and "-", starting with a letter',
      ),
    tier: z.enum(ENVIRONMENT_TIERS),
    account: z
      .string()
      .regex(/^\d{12}$/, 'is not an AWS account ID; expected 12 digits')
      .optional(),
    region: z
      .string()
      .refine((region) => KNOWN_REGIONS.includes(region), {
        message: `is not a known AWS region; allowed: ${list(KNOWN_REGIONS)}`,
      })
      .optional(),
    ownsSecurityBaseline: z.boolean(),
    securityBaseline: securityBaselineSchema.optional(),
    notifications: notificationsSchema.optional(),
    removalPolicy: z.enum(REMOVAL_POLICIES),
    tags: tagsSchema,
    network: networkSchema,
    application: applicationSchema,
    edge: edgeSchema,
    identity: identitySchema,
    database: databaseSchema,
  })
  .superRefine((env, ctx) => {
    identityAndDatabaseProblems(env, ctx);
    if (env.ownsSecurityBaseline && !env.securityBaseline) {
      ctx.addIssue({
        code: 'custom',
        path: ['securityBaseline'],
        message:
          'is required when ownsSecurityBaseline is true; set mode, findingPublishingFrequency, minimumFindingSeverity, budget and cloudTrail',
      });
    }
    if (!env.ownsSecurityBaseline && env.securityBaseline) {
      ctx.addIssue({
        code: 'custom',
        path: ['securityBaseline'],
        message:
          'is set but ownsSecurityBaseline is false, so it would be ignored; remove it or set ownsSecurityBaseline to true',
      });
    }
    const azs = env.network.availabilityZones;
    if (azs && !env.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'availabilityZones'],
        message: 'pins AZ names but region is not set; set region or remove availabilityZones',
      });
    }
    azs?.forEach((az, index) => {
      if (env.region && !az.startsWith(env.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['network', 'availabilityZones', index],
          message: `is not in region ${env.region}; allowed: ${env.region}a, ${env.region}b, ...`,
        });
      }
    });
    applicationEnvironmentRules(env, ctx);
    edgeEnvironmentRules(env, ctx);
    if (env.tier !== 'production') {
      return;
    }
    const production = 'in production';
    if (env.network.azCount < MIN_PRODUCTION_AZS) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'azCount'],
        message: `is below ${MIN_PRODUCTION_AZS}, the minimum ${production}`,
      });
    }
    if (env.network.natGateways !== env.network.azCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'natGateways'],
        message: `must equal azCount (${env.network.azCount}) ${production}: one NAT gateway per AZ`,
      });
    }
    if (env.removalPolicy === 'destroy') {
      ctx.addIssue({
        code: 'custom',
        path: ['removalPolicy'],
        message: `is not allowed ${production}; allowed: retain, snapshot`,
      });
    }
    for (const field of ['account', 'region'] as const) {
      if (!env[field]) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `is required ${production}, so a deployment can never land in the wrong ${field}`,
        });
      }
    }
  }) satisfies z.ZodType<EnvironmentConfig>;

/**
 * Rules between the identity and database settings and the rest of the
 * environment: the peered VPC must not overlap this one (peering refuses
 * overlapping CIDRs), and production gets full threat protection, https
 * redirects only, and a reader to fail over to.
 */
function identityAndDatabaseProblems(env: EnvironmentConfig, ctx: z.RefinementCtx): void {
  const { database, identity } = env;
  if (database.mode === 'peered') {
    const own = parseIpv4Cidr(env.network.vpcCidr);
    const peer = parseIpv4Cidr(database.vpcCidr);
    if (own && peer && blocksOverlap(own, peer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'vpcCidr'],
        message: `overlaps network.vpcCidr "${env.network.vpcCidr}"; allowed: a range outside this environment's VPC (peering needs distinct ranges)`,
      });
    }
  }
  if (env.tier !== 'production') {
    return;
  }
  if (identity.threatProtection !== 'full-function') {
    ctx.addIssue({
      code: 'custom',
      path: ['identity', 'threatProtection'],
      message: 'is not allowed in production; allowed: full-function',
    });
  }
  for (const pool of ['productPool', 'consolePool'] as const) {
    for (const field of ['callbackUrls', 'logoutUrls'] as const) {
      identity[pool][field].forEach((url, index) => {
        if (url.startsWith('http://')) {
          ctx.addIssue({
            code: 'custom',
            path: ['identity', pool, field, index],
            message: 'is not allowed in production; allowed: https:// or an app scheme',
          });
        }
      });
    }
  }
  if (database.mode === 'managed' && database.readers < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['database', 'readers'],
      message: 'is below 1, the minimum in production: a reader is the failover target',
    });
  }
}
