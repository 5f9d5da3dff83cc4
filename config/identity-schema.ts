import { z } from 'zod';
import { parseIpv4Cidr } from './cidr';
import { hostedZoneIdSchema, rateLimitSchema, ZONE_NAME } from './edge-schema';
import { SIGN_IN_METHODS, THREAT_PROTECTION_MODES } from './environment-config';
import {
  boundedWholeNumber,
  logRetentionDays,
  problem,
  reportDuplicates,
  SECRET_COMPLETE_ARN,
} from './rules';

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
  .superRefine((urls, ctx) => reportDuplicates(urls, ctx, []));

/** One Cognito user pool and its app client. */
const userPoolSchema = z.strictObject({
  /** How users sign in: one of `SIGN_IN_METHODS`. */
  signIn: z.enum(SIGN_IN_METHODS),
  /**
   * Prefix of the pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`):
   * 1-63 lowercase letters, digits and hyphens, not starting or ending with a
   * hyphen, without `aws`, `amazon` or `cognito`. Unique per region, so it
   * names the environment.
   */
  domainPrefix,
  /**
   * Where the app client may send users after sign-in: `https://` URLs, an app's
   * own scheme (`myapp://callback`, mobile), or `http://localhost` outside
   * production. At least one, each once.
   */
  callbackUrls: redirectUrls,
  /** Where the app client may send users after sign-out. Same rules as `callbackUrls`. */
  logoutUrls: redirectUrls,
});

/**
 * Lifetime of the tokens Cognito issues to the app clients.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html
 */
const tokenValiditySchema = z.strictObject({
  /** ID token, in minutes: 5-1440. */
  idTokenMinutes: boundedWholeNumber(5, 1440, ' minutes'),
  /** Access token, in minutes: 5-1440. */
  accessTokenMinutes: boundedWholeNumber(5, 1440, ' minutes'),
  /** Refresh token, in days: 1-3650; longer than the ID and access tokens. */
  refreshTokenDays: boundedWholeNumber(1, 3650, ' days'),
});

/** Cognito user pools, split by product access, and their trigger Lambdas. */
/**
 * The mail domain both user pools send through Amazon SES (Cognito's
 * `DEVELOPER` sending account). Without it Cognito sends from its shared
 * `no-reply@verificationemail.com` with a cap of 50 messages a day per
 * account. A new account's SES is in the sandbox (it sends only to verified
 * addresses) until production access is granted on request.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
 * and https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
 */
const mailSchema = z
  .strictObject({
    /**
     * The domain SES verifies with Easy DKIM, a subdomain of its own for the
     * platform's mail (e.g. `mail.example.com`), so the DMARC policy of the
     * organisation's main domain is not changed. Lowercase.
     */
    domain: z.string().regex(ZONE_NAME, 'is not a domain such as "mail.example.com" (lowercase)'),
    /** The sender, an address of `domain` (e.g. `no-reply@mail.example.com`). */
    fromAddress: z.email('is not an e-mail address'),
    /** The sender name users see, 1-64 characters. */
    fromName: z
      .string()
      .min(1, 'is empty; allowed: 1-64 characters')
      .max(64, 'is longer than 64 characters'),
    /**
     * Where replies go (e.g. the support desk).
     * @default - the sender
     */
    replyTo: z.email('is not an e-mail address').optional(),
    /**
     * The label of the custom MAIL FROM domain (`bounce` -> `bounce.<domain>`):
     * its MX and SPF records make SPF align with the sender's domain for DMARC.
     * See https://docs.aws.amazon.com/ses/latest/dg/mail-from.html
     */
    mailFromLabel: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'is not a DNS label such as "bounce"'),
    /**
     * The address that receives DMARC aggregate reports in the recommended
     * DMARC record the identity stack prints.
     */
    dmarcReportAddress: z.email('is not an e-mail address'),
    /**
     * The Route 53 public hosted zone of `domain`, when the platform owns it:
     * the stack then writes the DKIM, MAIL FROM and SPF records itself.
     * @default - the records are printed as stack outputs for the DNS owner
     */
    hostedZone: z
      .strictObject({
        /** The zone's name: `domain` or a parent of it. */
        zoneName: z
          .string()
          .regex(ZONE_NAME, 'is not a zone name such as "example.com" (lowercase)'),
        /** The zone's ID: `Z` and up to 31 uppercase letters or digits. */
        hostedZoneId: hostedZoneIdSchema,
      })
      .optional(),
    /**
     * Whether the user pools send through this identity. Cognito accepts only
     * a verified identity: deploy with `false`, publish the printed records,
     * wait until SES shows the domain verified, then set `true`.
     */
    poolsSendThroughSes: z.boolean(),
  })
  .superRefine((mail, ctx) => {
    if (!mail.fromAddress.endsWith(`@${mail.domain}`)) {
      problem(
        ctx,
        ['fromAddress'],
        `is not an address of domain ${mail.domain}; allowed: <name>@${mail.domain}`,
      );
    }
    const zone = mail.hostedZone?.zoneName;
    if (zone && mail.domain !== zone && !mail.domain.endsWith(`.${zone}`)) {
      problem(ctx, ['hostedZone', 'zoneName'], `is not ${mail.domain} or a parent of it`);
    }
  });

export const identitySchema = z
  .strictObject({
    /** The pool of the product's end users (mobile app). MFA optional. */
    productPool: userPoolSchema,
    /** The pool of this admin service's operators (internal staff, resellers; admin web). MFA required. */
    consolePool: userPoolSchema,
    /** Threat protection of both pools: one of `THREAT_PROTECTION_MODES`; `full-function` in production. */
    threatProtection: z.enum(THREAT_PROTECTION_MODES),
    /** Token lifetimes of every app client. */
    tokenValidity: tokenValiditySchema,
    /**
     * Identifier of the resource server (the APIs) whose scopes the clients ask
     * for: an `https://` URL, e.g. `https://api.example.com`.
     */
    apiIdentifier: z
      .string()
      .regex(
        /^https:\/\/[a-z0-9.-]+(\/[\w./-]*)?$/,
        'is not an https:// URL such as "https://api.example.com"',
      ),
    /** Retention of the trigger Lambdas' logs in days: a CloudWatch Logs retention value. */
    triggerLogRetentionDays: logRetentionDays,
    /**
     * The per-IP rate-based rule of the web ACL in front of both pools (managed
     * login pages and the Cognito API endpoints).
     */
    rateLimit: rateLimitSchema,
    /**
     * The pools' mail through Amazon SES.
     * @default - Cognito's default sender (50 messages a day per account)
     */
    mail: mailSchema.optional(),
  })
  .superRefine((identity, ctx) => {
    if (identity.productPool.domainPrefix === identity.consolePool.domainPrefix) {
      problem(
        ctx,
        ['consolePool', 'domainPrefix'],
        "is the product pool's prefix too; each pool needs its own domain",
      );
    }
    const { idTokenMinutes, accessTokenMinutes, refreshTokenDays } = identity.tokenValidity;
    const longest = Math.max(idTokenMinutes, accessTokenMinutes);
    if (refreshTokenDays * 24 * 60 <= longest) {
      problem(
        ctx,
        ['tokenValidity', 'refreshTokenDays'],
        `is not longer than the ID and access tokens (${longest} minutes); allowed: more than that`,
      );
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

const operatorAccess = z.boolean().optional();

/**
 * A database this stack creates: Aurora PostgreSQL Serverless v2 in the
 * isolated subnets, encrypted, with a rotated secret, IAM auth and TLS required.
 */
const managedDatabaseSchema = z
  .strictObject({
    /** Discriminator: the stack creates the database. */
    mode: z.literal('managed'),
    /** Minimum capacity in Aurora capacity units: 0-256 in steps of 0.5 (0 pauses when idle). */
    minCapacity: capacity(0),
    /** Maximum capacity in ACUs: 1-256 in steps of 0.5, at least `minCapacity`. */
    maxCapacity: capacity(1),
    /** Reader instances beside the writer: 0-15; at least 1 in production, so a failover has a target. */
    readers: boundedWholeNumber(0, 15),
    /** Days of automated backups: 1-35. */
    backupRetentionDays: boundedWholeNumber(1, 35, ' days'),
    /** Days between automatic rotations of the master secret and of each database role's secret: 1-365. */
    secretRotationDays: boundedWholeNumber(1, 365, ' days'),
    /**
     * Creates the operators' path to the database: an on-demand Fargate task
     * for Session Manager port forwarding, a read-only `operator` role and the
     * policy that allows both (see the README). It costs nothing while no task
     * runs, except the KMS key of its sessions (about 1 USD a month), hence off
     * unless set.
     * @default false
     */
    operatorAccess,
  })
  .superRefine((db, ctx) => {
    if (db.maxCapacity < db.minCapacity) {
      problem(
        ctx,
        ['maxCapacity'],
        `is below minCapacity (${db.minCapacity}); allowed: ${db.minCapacity}-256`,
      );
    }
  });

const awsId = (prefix: string, what: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
      `is not a ${what}; expected "${prefix}-" and 8 or 17 hex digits`,
    );

/**
 * An existing database in another VPC (seed 000: the RDS lives in a separate
 * VPC), reached through a VPC peering connection this stack creates. The peer
 * VPC must be in the same account and region.
 */
const peeredDatabaseSchema = z.strictObject({
  /** Discriminator: the database exists; the stack peers with its VPC. */
  mode: z.literal('peered'),
  /** The database VPC's ID: `vpc-` and 8 or 17 hex digits. */
  vpcId: awsId('vpc', 'VPC ID'),
  /** The database VPC's IPv4 CIDR; must not overlap this environment's VPC. */
  vpcCidr: z.string().refine((cidr) => parseIpv4Cidr(cidr) !== undefined, {
    message: 'is not an IPv4 CIDR; expected a.b.c.d/n',
  }),
  /** The database VPC's route tables that get the route back to this VPC: `rtb-` IDs, at least one. */
  routeTableIds: z
    .array(awsId('rtb', 'route table ID'))
    .min(1, 'is empty; the database VPC needs a route back in at least one route table'),
  /**
   * The database's security group: an `sg-` ID. The stack adds ingress on the
   * database's port from the triggers, the schema migration, the role
   * rotations and the services that use the database, and nothing else.
   */
  securityGroupId: awsId('sg', 'security group ID'),
  /** The database's host name, e.g. `db.cluster-abc.ap-northeast-1.rds.amazonaws.com`. */
  endpoint: z
    .string()
    .regex(
      /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
      'is not a host name such as "db.cluster-abc.ap-northeast-1.rds.amazonaws.com"',
    ),
  /**
   * The database's port: 1150-65535, the range RDS allows.
   * See https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
   */
  port: boundedWholeNumber(1150, 65535),
  /** The name of the database (schema owner) the triggers use. 1-63 characters, a letter first. */
  databaseName: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
      'is not a database name; allowed: 1-63 letters, digits and "_", starting with a letter',
    ),
  /**
   * Full ARN (with the 6-character suffix) of the master user's Secrets
   * Manager secret (`username`, `password`, `host`, `port`, `engine`), in this
   * environment's account and region, encrypted with a key the migration and
   * rotation functions may use. Only they read it.
   */
  secretArn: z
    .string()
    .regex(
      SECRET_COMPLETE_ARN,
      'is not a full Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
    ),
  /**
   * Days between automatic rotations of each database role's secret (the
   * master secret is the database owner's to rotate): 1-365.
   */
  secretRotationDays: boundedWholeNumber(1, 365, ' days'),
  /**
   * The operators' path to the database, as for a managed database (port
   * forwarding through an on-demand task, the read-only `operator` role).
   * @default false
   */
  operatorAccess,
});

/** The identity database: created here (`managed`) or existing in a peered VPC (`peered`). */
export const databaseSchema = z.discriminatedUnion('mode', [
  managedDatabaseSchema,
  peeredDatabaseSchema,
]);
