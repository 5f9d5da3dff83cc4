import {
  ConfigValidationError,
  ENVIRONMENT_FILES,
  loadEnvironments,
  validateEnvironments,
} from '../../config';
import {
  baselineOwner,
  changed,
  developmentConfig,
  problemsOf,
  productionConfig,
  securityBaselineConfig,
} from '../helpers/config-builder';

describe('environment configuration', () => {
  describe('accepts', () => {
    test('the shipped dev, stg and prod environments', () => {
      expect(validateEnvironments(ENVIRONMENT_FILES).map((env) => env.name)).toEqual([
        'dev',
        'stg',
        'prod',
      ]);
    });

    test('a minimal development and production environment', () => {
      expect(() => validateEnvironments([developmentConfig(), productionConfig()])).not.toThrow();
    });

    test('pinned AZs of the configured region', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c'];
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });

    test('one baseline owner per account and region', () => {
      const dev = changed(developmentConfig(), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
      });
      const prod = changed(productionConfig(), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
      });
      expect(() => validateEnvironments([dev, prod])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test('fails when the VPC CIDR is malformed', () => {
      const env = changed(productionConfig(), (d) => {
        d.network.vpcCidr = '10.0.0.0/33';
      });
      expect(problemsOf(env)).toContain(
        'prod.network.vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR; expected a.b.c.d/n',
      );
    });

    test('fails when the VPC CIDR has only three parts', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.0/16';
      });
      expect(problemsOf(env)).toContain(
        'dev.network.vpcCidr: "10.0/16" is not an IPv4 CIDR; expected a.b.c.d/n',
      );
    });

    test('fails when the VPC CIDR prefix is outside /16 to /28', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.0.0.0/8';
      });
      expect(problemsOf(env)).toContain(
        'dev.network.vpcCidr: "10.0.0.0/8" has prefix length /8; a VPC allows /16 to /28',
      );
    });

    test('fails when the VPC CIDR is not a network address', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.10.1.0/16';
      });
      expect(problemsOf(env)).toContain(
        'dev.network.vpcCidr: "10.10.1.0/16" is not a network address; did you mean "10.10.0.0/16"?',
      );
    });

    test('fails when two environments have overlapping VPC CIDRs', () => {
      const dev = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.0.0.0/16';
      });
      const prod = changed(productionConfig(), (d) => {
        d.network.vpcCidr = '10.0.128.0/17';
      });
      expect(problemsOf(dev, prod)).toEqual([
        'prod.network.vpcCidr: "10.0.128.0/17" overlaps dev.network.vpcCidr "10.0.0.0/16"; allowed: a range no other environment uses',
      ]);
    });

    test('fails when the VPC CIDR is too small for the subnets asked', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.10.0.0/21';
        d.network.subnetMasks = { public: 24, privateWithEgress: 22, isolated: 24 };
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.vpcCidr: "10.10.0.0/21" is too small: 3 subnet tiers (/24, /22, /24) in 2 AZs need 3584 ' +
          'addresses and /21 has 2048; use a shorter prefix or longer subnetMasks',
      ]);
    });

    test('fails when a subnet mask is larger than the VPC', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.10.0.0/24';
        d.network.subnetMasks = { public: 26, privateWithEgress: 20, isolated: 26 };
      });
      expect(problemsOf(env)).toContain(
        'dev.network.subnetMasks.privateWithEgress: 20 is larger than the VPC (/24); allowed: /24 to /28',
      );
    });

    test('fails when a subnet mask is outside 16 to 28', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.subnetMasks.isolated = 29;
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.subnetMasks.isolated: 29 is not a subnet prefix length; allowed: 16-28',
      ]);
    });

    test('fails when the AZ count is below 2', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.azCount = 1;
      });
      expect(problemsOf(env)).toContain('dev.network.azCount: 1 is below 2; allowed: 2-6 AZs');
    });

    test('fails when the AZ count is below 3 in production', () => {
      const env = changed(productionConfig(), (d) => {
        d.network.azCount = 2;
        d.network.natGateways = 2;
      });
      expect(problemsOf(env)).toEqual([
        'prod.network.azCount: 2 is below 3, the minimum in production',
      ]);
    });

    test('fails when the AZ count is above 6', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.azCount = 7;
      });
      expect(problemsOf(env)).toContain('dev.network.azCount: 7 is above 6; allowed: 2-6 AZs');
    });

    test('fails when the NAT gateway count is above the AZ count', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.natGateways = 3;
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.natGateways: 3 is more than azCount (2); allowed: 1-2',
      ]);
    });

    test('fails when there is no NAT gateway', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.natGateways = 0;
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.natGateways: 0 is below 1; private subnets need a NAT gateway for egress',
      ]);
    });

    test('fails when production has fewer NAT gateways than AZs', () => {
      const env = changed(productionConfig(), (d) => {
        d.network.natGateways = 1;
      });
      expect(problemsOf(env)).toEqual([
        'prod.network.natGateways: 1 must equal azCount (3) in production: one NAT gateway per AZ',
      ]);
    });

    test('fails when pinned AZs are not in the region', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.availabilityZones = ['ap-northeast-1a', 'us-east-1a'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.availabilityZones.1: "us-east-1a" is not in region ap-northeast-1; allowed: ap-northeast-1a, ap-northeast-1b, ...',
      ]);
    });

    test('fails when pinned AZs do not match the AZ count', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.availabilityZones: ["ap-northeast-1a","ap-northeast-1c","ap-northeast-1d"] names 3 AZs; it must name exactly azCount (2)',
      ]);
    });

    test('fails when a pinned AZ is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1a'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.availabilityZones.1: "ap-northeast-1a" is listed twice',
      ]);
    });

    test('fails when AZs are pinned without a region', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.region;
        d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.availabilityZones: ["ap-northeast-1a","ap-northeast-1c"] pins AZ names but region is not set; set region or remove availabilityZones',
        'dev.region: is required: the us-east-1 edge stack reads the load balancer from the region stack, and cross-region references need an explicit region',
      ]);
    });

    test('fails when the account is not 12 digits', () => {
      const env = changed(productionConfig(), (d) => {
        d.account = '1234-5678';
      });
      expect(problemsOf(env)).toEqual([
        'prod.account: "1234-5678" is not an AWS account ID; expected 12 digits',
      ]);
    });

    test('fails when the region is unknown', () => {
      const [problem] = problemsOf(
        changed(developmentConfig(), (d) => {
          d.region = 'ap-northeast1';
        }),
      );
      expect(problem).toMatch(
        /^dev\.region: "ap-northeast1" is not a known AWS region; allowed: .*ap-northeast-1, /,
      );
    });

    test('fails when production has no account or region', () => {
      const env = changed(productionConfig(), (d) => {
        delete d.account;
        delete d.region;
      });
      expect(problemsOf(env)).toEqual([
        'prod.account: is required in production, so a deployment can never land in the wrong account',
        'prod.region: is required in production, so a deployment can never land in the wrong region',
      ]);
    });

    test('fails when production has a destroy removal policy', () => {
      const env = changed(productionConfig(), (d) => {
        d.removalPolicy = 'destroy';
      });
      expect(problemsOf(env)).toEqual([
        'prod.removalPolicy: "destroy" is not allowed in production; allowed: retain, snapshot',
      ]);
    });

    test('fails when the removal policy is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.removalPolicy = 'keep';
      });
      expect(problemsOf(env)).toEqual([
        'dev.removalPolicy: "keep" is not allowed; allowed: "destroy", "retain", "snapshot"',
      ]);
    });

    test('fails when the tier is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.tier = 'qa';
      });
      expect(problemsOf(env)).toEqual([
        'dev.tier: "qa" is not allowed; allowed: "development", "staging", "production"',
      ]);
    });

    test('fails when two environments in one account and region both own the security baseline', () => {
      const first = changed(productionConfig('prod'), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
      });
      const second = changed(productionConfig('prod-eu'), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
        d.network.vpcCidr = '10.40.0.0/16';
      });
      expect(problemsOf(first, second)).toEqual([
        'prod-eu.ownsSecurityBaseline: true conflicts with prod, which already owns the baseline of ' +
          '333333333333/ap-northeast-1; allowed: one owner per account and region (GuardDuty allows one detector there)',
      ]);
    });

    test('fails when two environments without an account both own the baseline of the CLI account', () => {
      const first = changed(developmentConfig('dev'), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
      });
      const second = changed(developmentConfig('sandbox'), (d) => {
        d.ownsSecurityBaseline = true;
        d.securityBaseline = securityBaselineConfig();
        d.network.vpcCidr = '10.11.0.0/16';
      });
      expect(problemsOf(first, second)).toEqual([
        expect.stringContaining('sandbox.ownsSecurityBaseline: true conflicts with dev'),
      ]);
    });

    test('fails when the baseline owner has no securityBaseline settings', () => {
      const env = changed(developmentConfig(), (d) => {
        d.ownsSecurityBaseline = true;
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline: is required when ownsSecurityBaseline is true; set mode, findingPublishingFrequency, minimumFindingSeverity, budget and cloudTrail',
      ]);
    });

    test('fails when an environment that does not own the baseline has securityBaseline settings', () => {
      const env = changed(developmentConfig(), (d) => {
        d.securityBaseline = securityBaselineConfig();
      });
      expect(problemsOf(env)).toEqual([
        expect.stringMatching(
          /^dev\.securityBaseline: \{.*\} is set but ownsSecurityBaseline is false, so it would be ignored; remove it or set ownsSecurityBaseline to true$/,
        ),
      ]);
    });

    test('fails when the baseline mode is unknown', () => {
      const env = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.mode = 'import';
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline.mode: "import" is not allowed; allowed: "create", "adopt"',
      ]);
    });

    test('fails when the GuardDuty publishing frequency is unknown', () => {
      const env = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.findingPublishingFrequency = 'DAILY';
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline.findingPublishingFrequency: "DAILY" is not allowed; allowed: "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"',
      ]);
    });

    test('fails when the minimum finding severity is unknown', () => {
      const env = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.minimumFindingSeverity = 'HIGH';
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline.minimumFindingSeverity: "HIGH" is not allowed; allowed: "low", "medium", "high", "critical"',
      ]);
    });

    test('fails when the budget limit is not above 0', () => {
      const env = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.budget.monthlyLimit = 0;
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline.budget.monthlyLimit: 0 is not above 0; allowed: an amount greater than 0',
      ]);
    });

    test('fails when the budget currency is not an ISO 4217 code', () => {
      const env = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.budget.currency = 'usd';
      });
      expect(problemsOf(env)).toEqual([
        'dev.securityBaseline.budget.currency: "usd" is not an ISO 4217 currency code such as "USD"',
      ]);
    });

    test('fails when the budget alert threshold is outside 1-1000 percent', () => {
      const low = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.budget.alertThresholdPercent = 0;
      });
      const high = changed(baselineOwner(productionConfig()), (d) => {
        d.securityBaseline.budget.alertThresholdPercent = 1001;
      });
      expect(problemsOf(low, high)).toEqual([
        'dev.securityBaseline.budget.alertThresholdPercent: 0 is below 1; allowed: 1-1000 (percent of monthlyLimit)',
        'prod.securityBaseline.budget.alertThresholdPercent: 1001 is above 1000; allowed: 1-1000 (percent of monthlyLimit)',
      ]);
    });

    test('fails when the CloudTrail log retention is not a CloudWatch Logs value', () => {
      const [problem] = problemsOf(
        changed(baselineOwner(developmentConfig()), (d) => {
          d.securityBaseline.cloudTrail.logRetentionDays = 45;
        }),
      );
      expect(problem).toMatch(
        /^dev\.securityBaseline\.cloudTrail\.logRetentionDays: 45 is not a CloudWatch Logs retention; allowed: 1, 3, /,
      );
    });

    test('fails when the CloudTrail archive retention is outside 90-3653 days', () => {
      const short = changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.cloudTrail.archiveRetentionDays = 30;
      });
      const long = changed(baselineOwner(productionConfig()), (d) => {
        d.securityBaseline.cloudTrail.archiveRetentionDays = 4000;
      });
      expect(problemsOf(short, long)).toEqual([
        'dev.securityBaseline.cloudTrail.archiveRetentionDays: 30 is below 90; allowed: 90-3653 days',
        'prod.securityBaseline.cloudTrail.archiveRetentionDays: 4000 is above 3653; allowed: 90-3653 days',
      ]);
    });

    test('fails when two environments have the same name', () => {
      const second = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.11.0.0/16';
      });
      expect(problemsOf(developmentConfig(), second)).toEqual([
        'dev.name: "dev" is used by 2 environments; names must be unique',
      ]);
    });

    test('fails when the environment name is not lowercase', () => {
      const env = changed(developmentConfig(), (d) => {
        d.name = 'Dev_1';
      });
      expect(problemsOf(env)).toEqual([
        'Dev_1.name: "Dev_1" is not an environment name; allowed: 2-16 characters, lowercase letters, digits and "-", starting with a letter',
      ]);
    });

    test('fails when an interface endpoint is unknown', () => {
      const [problem] = problemsOf(
        changed(developmentConfig(), (d) => {
          d.network.interfaceEndpoints = ['ecr.api', 'dynamodb'];
        }),
      );
      expect(problem).toMatch(
        /^dev\.network\.interfaceEndpoints\.1: "dynamodb" is not allowed; allowed: "ecr\.api", /,
      );
    });

    test('fails when an interface endpoint is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.interfaceEndpoints = ['logs', 'logs'];
      });
      expect(problemsOf(env)).toEqual(['dev.network.interfaceEndpoints.1: "logs" is listed twice']);
    });

    test('fails when the flow-log retention is not a CloudWatch Logs value', () => {
      const [problem] = problemsOf(
        changed(developmentConfig(), (d) => {
          d.network.flowLogRetentionDays = 10;
        }),
      );
      expect(problem).toMatch(
        /^dev\.network\.flowLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, /,
      );
    });

    test('fails when a tag value is empty', () => {
      const env = changed(developmentConfig(), (d) => {
        d.tags.owner = '';
      });
      expect(problemsOf(env)).toEqual([
        'dev.tags.owner: "" is empty; a tag value needs 1-256 characters',
      ]);
    });

    test('fails when an extra tag key uses the reserved aws: prefix', () => {
      const env = changed(developmentConfig(), (d) => {
        d.tags.extra = { 'aws:cost': 'x' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.tags.extra.aws:cost: "x" has a key starting with "aws:", which is reserved for AWS tags',
      ]);
    });

    test('fails when a setting is misspelt', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCIDR = '10.0.0.0/16';
      });
      expect(problemsOf(env)).toEqual([
        'dev.network.vpcCIDR: is not a known setting (check the spelling in config/schema.ts)',
      ]);
    });

    test('fails when a required setting is missing', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.removalPolicy;
      });
      expect(problemsOf(env)).toEqual([
        'dev.removalPolicy: is not allowed; allowed: "destroy", "retain", "snapshot"',
      ]);
    });

    test('fails when a setting has the wrong type', () => {
      const env = changed(developmentConfig(), (d) => {
        d.ownsSecurityBaseline = 'yes';
      });
      expect(problemsOf(env)).toEqual(['dev.ownsSecurityBaseline: "yes" is not a boolean']);
    });
  });

  describe('reports every problem at once', () => {
    test('fails when several settings of several environments are wrong, listing them all in one error', () => {
      const dev = changed(developmentConfig(), (d) => {
        d.account = '42';
        d.network.flowLogRetentionDays = 2;
      });
      const prod = changed(productionConfig(), (d) => {
        d.removalPolicy = 'destroy';
      });
      expect(() => validateEnvironments([dev, prod])).toThrow(
        /3 problems\):\n {2}- dev\.account: .*\n {2}- dev\.network\.flowLogRetentionDays: .*\n {2}- prod\.removalPolicy: /,
      );
    });
  });

  describe('selecting an environment', () => {
    test('returns every environment when none is named', () => {
      expect(loadEnvironments().map((env) => env.name)).toEqual(['dev', 'stg', 'prod']);
    });

    test('returns the named environment', () => {
      expect(loadEnvironments('stg').map((env) => env.name)).toEqual(['stg']);
    });

    test('fails when the environment name is unknown, listing the valid names', () => {
      expect(() => loadEnvironments('qa')).toThrow(
        'env: "qa" is not a configured environment; allowed: dev, stg, prod',
      );
    });

    test('applies a mesh override from the command line to every environment', () => {
      expect(
        loadEnvironments(undefined, undefined, { mesh: 'app-mesh' }).map(
          (env) => env.application.mesh,
        ),
      ).toEqual(['app-mesh', 'app-mesh', 'app-mesh']);
    });

    test('fails when the mesh override is not a mesh', () => {
      expect(() => loadEnvironments('dev', undefined, { mesh: 'istio' })).toThrow(
        'dev.application.mesh: "istio" is not allowed; allowed: "service-connect", "app-mesh"',
      );
    });

    test('fails when any environment is invalid, even if another one is selected', () => {
      const broken = changed(productionConfig(), (d) => {
        d.removalPolicy = 'destroy';
      });
      expect(() => loadEnvironments('dev', [developmentConfig(), broken])).toThrow(
        ConfigValidationError,
      );
    });
  });
});
