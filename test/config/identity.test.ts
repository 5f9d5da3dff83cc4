import { validateEnvironments } from '../../config';
import {
  changed,
  ConfigCase,
  developmentConfig,
  peeredDatabase,
  productionConfig,
  problemsOf,
} from '../helpers/config-builder';

const dev = developmentConfig;
const prod = productionConfig;
const peered = () => ({ ...developmentConfig(), database: peeredDatabase() });
const MAIL = {
  domain: 'mail.example.com',
  fromAddress: 'no-reply@mail.example.com',
  fromName: 'Example',
  mailFromLabel: 'bounce',
  dmarcReportAddress: 'dmarc@example.com',
  poolsSendThroughSes: false,
};
const PARTIAL_SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:identity/db';

describe('identity and database configuration', () => {
  describe('accepts', () => {
    test('a peered database in a VPC that does not overlap the environment', () => {
      expect(() => validateEnvironments([peered()])).not.toThrow();
    });

    test('app schemes and localhost redirects outside production', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.callbackUrls = ['myapp://callback', 'http://localhost/cb'];
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test.each<ConfigCase>([
      [
        "the user pools' rate limit is not a WAF rate limit",
        dev,
        (d) => (d.identity.rateLimit = { limit: 5, windowSeconds: 30 }),
        [
          'dev.identity.rateLimit.limit: 5 is out of range; allowed: 10-2000000000',
          'dev.identity.rateLimit.windowSeconds: 30 is not a WAF rate-limit window; allowed: 60, 120, 300, 600',
        ],
      ],
      [
        'the mail sender is not an address of the mail domain',
        dev,
        (d) => (d.identity.mail = { ...MAIL, fromAddress: 'no-reply@example.com' }),
        [
          'dev.identity.mail.fromAddress: "no-reply@example.com" is not an address of domain mail.example.com; allowed: <name>@mail.example.com',
        ],
      ],
      [
        "the mail zone is not the mail domain's zone",
        dev,
        (d) =>
          (d.identity.mail = {
            ...MAIL,
            hostedZone: { zoneName: 'example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
          }),
        [
          'dev.identity.mail.hostedZone.zoneName: "example.org" is not mail.example.com or a parent of it',
        ],
      ],
      [
        'the MAIL FROM label, the sender name or the report address is malformed',
        dev,
        (d) =>
          (d.identity.mail = {
            ...MAIL,
            mailFromLabel: 'bounce.mail',
            fromName: '',
            dmarcReportAddress: 'reports',
          }),
        [
          'dev.identity.mail.fromName: "" is empty; allowed: 1-64 characters',
          'dev.identity.mail.mailFromLabel: "bounce.mail" is not a DNS label such as "bounce"',
          'dev.identity.mail.dmarcReportAddress: "reports" is not an e-mail address',
        ],
      ],
      [
        'the mail settings do not say whether the pools send through SES',
        dev,
        (d) => {
          d.identity.mail = { ...MAIL };
          delete d.identity.mail.poolsSendThroughSes;
        },
        [expect.stringContaining('dev.identity.mail.poolsSendThroughSes:')],
      ],
      [
        'the sign-in method is unknown',
        dev,
        (d) => (d.identity.productPool.signIn = 'phone'),
        [
          'dev.identity.productPool.signIn: "phone" is not allowed; allowed: "email", "login-id", "email-or-login-id"',
        ],
      ],
      [
        'a domain prefix has characters Cognito refuses',
        dev,
        (d) => (d.identity.productPool.domainPrefix = 'Dev_Product'),
        [
          'dev.identity.productPool.domainPrefix: "Dev_Product" is not a domain prefix; allowed: 1-63 lowercase letters, digits and "-", not starting or ending with "-"',
        ],
      ],
      [
        'a domain prefix contains a reserved word',
        dev,
        (d) => (d.identity.consolePool.domainPrefix = 'my-cognito-login'),
        [
          'dev.identity.consolePool.domainPrefix: "my-cognito-login" contains "aws", "amazon" or "cognito", which Cognito reserves',
        ],
      ],
      [
        'both pools use the same domain prefix',
        dev,
        (d) => (d.identity.consolePool.domainPrefix = d.identity.productPool.domainPrefix),
        [
          'dev.identity.consolePool.domainPrefix: "dev-product" is the product pool\'s prefix too; each pool needs its own domain',
        ],
      ],
      [
        'a redirect URL is plain http to another host',
        dev,
        (d) => (d.identity.consolePool.callbackUrls = ['http://admin.example.com/callback']),
        [
          'dev.identity.consolePool.callbackUrls.0: "http://admin.example.com/callback" is not an allowed redirect URL; allowed: https://..., an app scheme (myapp://...), or http://localhost',
        ],
      ],
      [
        'a client has no redirect URL',
        dev,
        (d) => (d.identity.productPool.logoutUrls = []),
        ['dev.identity.productPool.logoutUrls: [] is empty; at least one URL is needed'],
      ],
      [
        'a redirect URL is listed twice',
        dev,
        (d) => (d.identity.productPool.callbackUrls = ['myapp://cb', 'myapp://cb']),
        ['dev.identity.productPool.callbackUrls.1: "myapp://cb" is listed twice'],
      ],
      [
        'production redirects to http://localhost',
        prod,
        (d) => (d.identity.consolePool.logoutUrls = ['http://localhost:3000/']),
        [
          'prod.identity.consolePool.logoutUrls.0: "http://localhost:3000/" is not allowed in production; allowed: https:// or an app scheme',
        ],
      ],
      [
        'production threat protection is audit-only',
        prod,
        (d) => (d.identity.threatProtection = 'audit-only'),
        [
          'prod.identity.threatProtection: "audit-only" is not allowed in production; allowed: full-function',
        ],
      ],
      [
        'the threat protection mode is unknown',
        dev,
        (d) => (d.identity.threatProtection = 'off'),
        [
          'dev.identity.threatProtection: "off" is not allowed; allowed: "full-function", "audit-only"',
        ],
      ],
      [
        'a token validity is outside what Cognito allows',
        dev,
        (d) => (d.identity.tokenValidity.accessTokenMinutes = 2),
        ['dev.identity.tokenValidity.accessTokenMinutes: 2 is below 5; allowed: 5-1440 minutes'],
      ],
      [
        'a token validity is not a whole number',
        dev,
        (d) => (d.identity.tokenValidity.refreshTokenDays = 1.5),
        [
          'dev.identity.tokenValidity.refreshTokenDays: 1.5 is not a whole number; allowed: 1-3650 days',
        ],
      ],
      [
        'the refresh token does not outlive the ID and access tokens',
        dev,
        (d) =>
          (d.identity.tokenValidity = {
            idTokenMinutes: 1440,
            accessTokenMinutes: 60,
            refreshTokenDays: 1,
          }),
        [
          'dev.identity.tokenValidity.refreshTokenDays: 1 is not longer than the ID and access tokens (1440 minutes); allowed: more than that',
        ],
      ],
      [
        'the API identifier is not an https URL',
        dev,
        (d) => (d.identity.apiIdentifier = 'api.example.com'),
        [
          'dev.identity.apiIdentifier: "api.example.com" is not an https:// URL such as "https://api.example.com"',
        ],
      ],
      [
        'the trigger log retention is not a CloudWatch Logs value',
        dev,
        (d) => (d.identity.triggerLogRetentionDays = 10),
        [
          expect.stringMatching(
            /^dev\.identity\.triggerLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14/,
          ),
        ],
      ],
      [
        'the database mode is unknown',
        dev,
        (d) => (d.database.mode = 'external'),
        ['dev.database.mode: "external" is not allowed; allowed: "managed", "peered"'],
      ],
      [
        'the database capacity is not a multiple of 0.5 ACU',
        dev,
        (d) => (d.database.minCapacity = 0.3),
        [
          'dev.database.minCapacity: 0.3 is not a multiple of 0.5; allowed: 0-256 ACUs in steps of 0.5',
        ],
      ],
      [
        'the database capacity is above 256 ACUs',
        dev,
        (d) => (d.database.maxCapacity = 300),
        ['dev.database.maxCapacity: 300 is above 256; allowed: up to 256 ACUs in steps of 0.5'],
      ],
      [
        'the maximum capacity is below the minimum',
        dev,
        (d) => Object.assign(d.database, { minCapacity: 4, maxCapacity: 2 }),
        ['dev.database.maxCapacity: 2 is below minCapacity (4); allowed: 4-256'],
      ],
      [
        'production has no database reader',
        prod,
        (d) => (d.database.readers = 0),
        [
          'prod.database.readers: 0 is below 1, the minimum in production: a reader is the failover target',
        ],
      ],
      [
        'there are more than 15 readers',
        dev,
        (d) => (d.database.readers = 16),
        ['dev.database.readers: 16 is above 15; allowed: 0-15'],
      ],
      [
        'the backup retention is outside 1-35 days',
        dev,
        (d) => (d.database.backupRetentionDays = 0),
        ['dev.database.backupRetentionDays: 0 is below 1; allowed: 1-35 days'],
      ],
      [
        'the secret rotation is outside 1-365 days',
        dev,
        (d) => (d.database.secretRotationDays = 400),
        ['dev.database.secretRotationDays: 400 is above 365; allowed: 1-365 days'],
      ],
      [
        'the peered VPC ID is malformed',
        peered,
        (d) => (d.database.vpcId = 'vpc-xyz'),
        ['dev.database.vpcId: "vpc-xyz" is not a VPC ID; expected "vpc-" and 8 or 17 hex digits'],
      ],
      [
        'the peered VPC CIDR is malformed',
        peered,
        (d) => (d.database.vpcCidr = '172.16.0.0'),
        ['dev.database.vpcCidr: "172.16.0.0" is not an IPv4 CIDR; expected a.b.c.d/n'],
      ],
      [
        "the peered VPC CIDR overlaps the environment's VPC",
        peered,
        (d) => (d.database.vpcCidr = '10.10.128.0/20'),
        [
          'dev.database.vpcCidr: "10.10.128.0/20" overlaps network.vpcCidr "10.10.0.0/16"; allowed: a range outside this environment\'s VPC (peering needs distinct ranges)',
        ],
      ],
      [
        'the peered route tables are missing',
        peered,
        (d) => (d.database.routeTableIds = []),
        [
          'dev.database.routeTableIds: [] is empty; the database VPC needs a route back in at least one route table',
        ],
      ],
      [
        'a peered route table ID is malformed',
        peered,
        (d) => (d.database.routeTableIds = ['rtb-1']),
        [
          'dev.database.routeTableIds.0: "rtb-1" is not a route table ID; expected "rtb-" and 8 or 17 hex digits',
        ],
      ],
      [
        'the peered security group ID is malformed',
        peered,
        (d) => (d.database.securityGroupId = 'default'),
        [
          'dev.database.securityGroupId: "default" is not a security group ID; expected "sg-" and 8 or 17 hex digits',
        ],
      ],
      [
        'the peered endpoint is not a host name',
        peered,
        (d) => (d.database.endpoint = 'postgres://db:5432'),
        [
          'dev.database.endpoint: "postgres://db:5432" is not a host name such as "db.cluster-abc.ap-northeast-1.rds.amazonaws.com"',
        ],
      ],
      [
        'the peered port is outside the range RDS allows',
        peered,
        (d) => (d.database.port = 80),
        ['dev.database.port: 80 is below 1150; allowed: 1150-65535'],
      ],
      [
        'the peered database name is not a PostgreSQL identifier',
        peered,
        (d) => (d.database.databaseName = '1-identity'),
        [
          'dev.database.databaseName: "1-identity" is not a database name; allowed: 1-63 letters, digits and "_", starting with a letter',
        ],
      ],
      [
        'the peered secret ARN is partial or not a Secrets Manager ARN',
        peered,
        (d) => (d.database.secretArn = PARTIAL_SECRET_ARN),
        [
          `dev.database.secretArn: "${PARTIAL_SECRET_ARN}" is not a full Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`,
        ],
      ],
      [
        'a managed-only setting is given to a peered database',
        peered,
        (d) => (d.database.readers = 1),
        ['dev.database.readers: is not a known setting (check the spelling in config/schema.ts)'],
      ],
    ])('fails when %s', (_, base, change, expected) => {
      expect(problemsOf(changed(base(), change))).toEqual(expected);
    });
  });

  describe('the database roles and operator access: names the setting, the bad value and what is allowed', () => {
    const dev = developmentConfig;
    test.each<ConfigCase>([
      [
        "a peered database's role secrets have no rotation period",
        peered,
        (d) => delete d.database.secretRotationDays,
        ['dev.database.secretRotationDays: is required (a number)'],
      ],
      [
        "a peered database's role secrets rotate more often than daily",
        peered,
        (d) => (d.database.secretRotationDays = 0),
        ['dev.database.secretRotationDays: 0 is below 1; allowed: 1-365 days'],
      ],
      [
        'operator access is not true or false',
        dev,
        (d) => (d.database.operatorAccess = 'yes'),
        ['dev.database.operatorAccess: "yes" is not a boolean'],
      ],
      [
        'operator access of a peered database is not true or false',
        peered,
        (d) => (d.database.operatorAccess = 1),
        ['dev.database.operatorAccess: 1 is not a boolean'],
      ],
    ])('fails when %s', (_case, base, change, problems) => {
      expect(problemsOf(changed(base(), change))).toEqual(problems);
    });
  });
});
