import { validateEnvironments } from '../../config';
import {
  changed,
  ConfigCase,
  developmentConfig,
  peeredDatabase,
  productionConfig,
  problemsOf,
} from '../helpers/config-builder';

const withPeered = (change: (db: any) => void = () => undefined) =>
  changed(developmentConfig(), (d) => {
    d.database = peeredDatabase();
    change(d.database);
  });

describe('identity and database configuration', () => {
  describe('accepts', () => {
    test('a peered database in a VPC that does not overlap the environment', () => {
      expect(() => validateEnvironments([withPeered()])).not.toThrow();
    });

    test('app schemes and localhost redirects outside production', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.callbackUrls = ['myapp://callback', 'http://localhost/cb'];
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test('fails when the sign-in method is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.signIn = 'phone';
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.productPool.signIn: "phone" is not allowed; allowed: "email", "login-id", "email-or-login-id"',
      ]);
    });

    test('fails when a domain prefix has characters Cognito refuses', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.domainPrefix = 'Dev_Product';
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.productPool.domainPrefix: "Dev_Product" is not a domain prefix; allowed: 1-63 lowercase letters, digits and "-", not starting or ending with "-"',
      ]);
    });

    test('fails when a domain prefix contains a reserved word', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.consolePool.domainPrefix = 'my-cognito-login';
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.consolePool.domainPrefix: "my-cognito-login" contains "aws", "amazon" or "cognito", which Cognito reserves',
      ]);
    });

    test('fails when both pools use the same domain prefix', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.consolePool.domainPrefix = d.identity.productPool.domainPrefix;
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.consolePool.domainPrefix: "dev-product" is the product pool\'s prefix too; each pool needs its own domain',
      ]);
    });

    test('fails when a redirect URL is plain http to another host', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.consolePool.callbackUrls = ['http://admin.example.com/callback'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.consolePool.callbackUrls.0: "http://admin.example.com/callback" is not an allowed redirect URL; allowed: https://..., an app scheme (myapp://...), or http://localhost',
      ]);
    });

    test('fails when a client has no redirect URL', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.logoutUrls = [];
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.productPool.logoutUrls: [] is empty; at least one URL is needed',
      ]);
    });

    test('fails when a redirect URL is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.productPool.callbackUrls = ['myapp://cb', 'myapp://cb'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.productPool.callbackUrls.1: "myapp://cb" is listed twice',
      ]);
    });

    test('fails when production redirects to http://localhost', () => {
      const env = changed(productionConfig(), (d) => {
        d.identity.consolePool.logoutUrls = ['http://localhost:3000/'];
      });
      expect(problemsOf(env)).toEqual([
        'prod.identity.consolePool.logoutUrls.0: "http://localhost:3000/" is not allowed in production; allowed: https:// or an app scheme',
      ]);
    });

    test('fails when production threat protection is audit-only', () => {
      const env = changed(productionConfig(), (d) => {
        d.identity.threatProtection = 'audit-only';
      });
      expect(problemsOf(env)).toEqual([
        'prod.identity.threatProtection: "audit-only" is not allowed in production; allowed: full-function',
      ]);
    });

    test('fails when the threat protection mode is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.threatProtection = 'off';
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.threatProtection: "off" is not allowed; allowed: "full-function", "audit-only"',
      ]);
    });

    test('fails when a token validity is outside what Cognito allows', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.tokenValidity.accessTokenMinutes = 2;
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.tokenValidity.accessTokenMinutes: 2 is below 5; allowed: 5-1440 minutes',
      ]);
    });

    test('fails when a token validity is not a whole number', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.tokenValidity.refreshTokenDays = 1.5;
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.tokenValidity.refreshTokenDays: 1.5 is not a whole number; allowed: 1-3650 days',
      ]);
    });

    test('fails when the refresh token does not outlive the ID and access tokens', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.tokenValidity = {
          idTokenMinutes: 1440,
          accessTokenMinutes: 60,
          refreshTokenDays: 1,
        };
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.tokenValidity.refreshTokenDays: 1 is not longer than the ID and access tokens (1440 minutes); allowed: more than that',
      ]);
    });

    test('fails when the API identifier is not an https URL', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.apiIdentifier = 'api.example.com';
      });
      expect(problemsOf(env)).toEqual([
        'dev.identity.apiIdentifier: "api.example.com" is not an https:// URL such as "https://api.example.com"',
      ]);
    });

    test('fails when the trigger log retention is not a CloudWatch Logs value', () => {
      const env = changed(developmentConfig(), (d) => {
        d.identity.triggerLogRetentionDays = 10;
      });
      expect(problemsOf(env)[0]).toMatch(
        /^dev\.identity\.triggerLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14/,
      );
    });

    test('fails when the database mode is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.mode = 'external';
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.mode: "external" is not allowed; allowed: "managed", "peered"',
      ]);
    });

    test('fails when the database capacity is not a multiple of 0.5 ACU', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.minCapacity = 0.3;
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.minCapacity: 0.3 is not a multiple of 0.5; allowed: 0-256 ACUs in steps of 0.5',
      ]);
    });

    test('fails when the database capacity is above 256 ACUs', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.maxCapacity = 300;
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.maxCapacity: 300 is above 256; allowed: up to 256 ACUs in steps of 0.5',
      ]);
    });

    test('fails when the maximum capacity is below the minimum', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.minCapacity = 4;
        d.database.maxCapacity = 2;
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.maxCapacity: 2 is below minCapacity (4); allowed: 4-256',
      ]);
    });

    test('fails when production has no database reader', () => {
      const env = changed(productionConfig(), (d) => {
        d.database.readers = 0;
      });
      expect(problemsOf(env)).toEqual([
        'prod.database.readers: 0 is below 1, the minimum in production: a reader is the failover target',
      ]);
    });

    test('fails when there are more than 15 readers', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.readers = 16;
      });
      expect(problemsOf(env)).toEqual(['dev.database.readers: 16 is above 15; allowed: 0-15']);
    });

    test('fails when the backup retention is outside 1-35 days', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.backupRetentionDays = 0;
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.backupRetentionDays: 0 is below 1; allowed: 1-35 days',
      ]);
    });

    test('fails when the secret rotation is outside 1-365 days', () => {
      const env = changed(developmentConfig(), (d) => {
        d.database.secretRotationDays = 400;
      });
      expect(problemsOf(env)).toEqual([
        'dev.database.secretRotationDays: 400 is above 365; allowed: 1-365 days',
      ]);
    });

    test('fails when the peered VPC ID is malformed', () => {
      expect(problemsOf(withPeered((db) => (db.vpcId = 'vpc-xyz')))).toEqual([
        'dev.database.vpcId: "vpc-xyz" is not a VPC ID; expected "vpc-" and 8 or 17 hex digits',
      ]);
    });

    test('fails when the peered VPC CIDR is malformed', () => {
      expect(problemsOf(withPeered((db) => (db.vpcCidr = '172.16.0.0')))).toEqual([
        'dev.database.vpcCidr: "172.16.0.0" is not an IPv4 CIDR; expected a.b.c.d/n',
      ]);
    });

    test("fails when the peered VPC CIDR overlaps the environment's VPC", () => {
      expect(problemsOf(withPeered((db) => (db.vpcCidr = '10.10.128.0/20')))).toEqual([
        'dev.database.vpcCidr: "10.10.128.0/20" overlaps network.vpcCidr "10.10.0.0/16"; allowed: a range outside this environment\'s VPC (peering needs distinct ranges)',
      ]);
    });

    test('fails when the peered route tables are missing or malformed', () => {
      expect(problemsOf(withPeered((db) => (db.routeTableIds = [])))).toEqual([
        'dev.database.routeTableIds: [] is empty; the database VPC needs a route back in at least one route table',
      ]);
      expect(problemsOf(withPeered((db) => (db.routeTableIds = ['rtb-1'])))).toEqual([
        'dev.database.routeTableIds.0: "rtb-1" is not a route table ID; expected "rtb-" and 8 or 17 hex digits',
      ]);
    });

    test('fails when the peered security group ID is malformed', () => {
      expect(problemsOf(withPeered((db) => (db.securityGroupId = 'default')))).toEqual([
        'dev.database.securityGroupId: "default" is not a security group ID; expected "sg-" and 8 or 17 hex digits',
      ]);
    });

    test('fails when the peered endpoint is not a host name', () => {
      expect(problemsOf(withPeered((db) => (db.endpoint = 'postgres://db:5432')))).toEqual([
        'dev.database.endpoint: "postgres://db:5432" is not a host name such as "db.cluster-abc.ap-northeast-1.rds.amazonaws.com"',
      ]);
    });

    test('fails when the peered port is outside the range RDS allows', () => {
      expect(problemsOf(withPeered((db) => (db.port = 80)))).toEqual([
        'dev.database.port: 80 is below 1150; allowed: 1150-65535',
      ]);
    });

    test('fails when the peered database name is not a PostgreSQL identifier', () => {
      expect(problemsOf(withPeered((db) => (db.databaseName = '1-identity')))).toEqual([
        'dev.database.databaseName: "1-identity" is not a database name; allowed: 1-63 letters, digits and "_", starting with a letter',
      ]);
    });

    test('fails when the peered secret ARN is partial or not a Secrets Manager ARN', () => {
      const partial = 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:identity/db';
      expect(problemsOf(withPeered((db) => (db.secretArn = partial)))).toEqual([
        `dev.database.secretArn: "${partial}" is not a full Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`,
      ]);
    });

    test('fails when a managed-only setting is given to a peered database', () => {
      expect(problemsOf(withPeered((db) => (db.readers = 1)))).toEqual([
        'dev.database.readers: is not a known setting (check the spelling in config/schema.ts)',
      ]);
    });
  });

  describe('the database roles and operator access: names the setting, the bad value and what is allowed', () => {
    const dev = developmentConfig;
    const peered = () => withPeered() as ReturnType<typeof developmentConfig>;
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
