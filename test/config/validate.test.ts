import {
  ConfigValidationError,
  ENVIRONMENT_FILES,
  loadEnvironments,
  validateEnvironments,
} from '../../config';
import {
  addNetworkFirewall,
  baselineOwner,
  changed,
  ConfigCase,
  developmentConfig,
  problemsOf,
  productionConfig,
  securityBaselineConfig,
  withNetworkFirewall,
} from '../helpers/config-builder';

const dev = developmentConfig;
const prod = productionConfig;
const devOwner = () => baselineOwner(developmentConfig());
const prodOwner = () => baselineOwner(productionConfig());

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

    test('Network Firewall with pinned AZs, in development and production', () => {
      expect(() =>
        validateEnvironments([
          withNetworkFirewall(developmentConfig()),
          withNetworkFirewall(productionConfig()),
        ]),
      ).not.toThrow();
    });

    test('one baseline owner per account and region', () => {
      const dev = baselineOwner(developmentConfig());
      const prod = baselineOwner(productionConfig());
      expect(() => validateEnvironments([dev, prod])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test.each<ConfigCase>([
      [
        'the VPC CIDR is malformed',
        prod,
        (d) => (d.network.vpcCidr = '10.0.0.0/33'),
        ['prod.network.vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR; expected a.b.c.d/n'],
      ],
      [
        'the VPC CIDR has only three parts',
        dev,
        (d) => (d.network.vpcCidr = '10.0/16'),
        ['dev.network.vpcCidr: "10.0/16" is not an IPv4 CIDR; expected a.b.c.d/n'],
      ],
      [
        'the VPC CIDR prefix is outside /16 to /28',
        dev,
        (d) => (d.network.vpcCidr = '10.0.0.0/8'),
        ['dev.network.vpcCidr: "10.0.0.0/8" has prefix length /8; a VPC allows /16 to /28'],
      ],
      [
        'the VPC CIDR is not a network address',
        dev,
        (d) => (d.network.vpcCidr = '10.10.1.0/16'),
        [
          'dev.network.vpcCidr: "10.10.1.0/16" is not a network address; did you mean "10.10.0.0/16"?',
        ],
      ],
      [
        'the VPC CIDR is too small for the subnets asked',
        dev,
        (d) =>
          Object.assign(d.network, {
            vpcCidr: '10.10.0.0/21',
            subnetMasks: { public: 24, privateWithEgress: 22, isolated: 24 },
          }),
        [
          'dev.network.vpcCidr: "10.10.0.0/21" is too small: 3 subnet tiers (/24, /22, /24) in 2 AZs need 3584 ' +
            'addresses and /21 has 2048; use a shorter prefix or longer subnetMasks',
        ],
      ],
      [
        'a subnet mask is outside 16 to 28',
        dev,
        (d) => (d.network.subnetMasks.isolated = 29),
        ['dev.network.subnetMasks.isolated: 29 is not a subnet prefix length; allowed: 16-28'],
      ],
      [
        'the AZ count is below 3 in production',
        prod,
        (d) => Object.assign(d.network, { azCount: 2, natGateways: 2 }),
        ['prod.network.azCount: 2 is below 3, the minimum in production'],
      ],
      [
        'the AZ count is above 6',
        dev,
        (d) => (d.network.azCount = 7),
        ['dev.network.azCount: 7 is above 6; allowed: 2-6 AZs'],
      ],
      [
        'the NAT gateway count is above the AZ count',
        dev,
        (d) => (d.network.natGateways = 3),
        ['dev.network.natGateways: 3 is more than azCount (2); allowed: 1-2'],
      ],
      [
        'there is no NAT gateway',
        dev,
        (d) => (d.network.natGateways = 0),
        ['dev.network.natGateways: 0 is below 1; private subnets need a NAT gateway for egress'],
      ],
      [
        'production has fewer NAT gateways than AZs',
        prod,
        (d) => (d.network.natGateways = 1),
        [
          'prod.network.natGateways: 1 must equal azCount (3) in production: one NAT gateway per AZ',
        ],
      ],
      [
        'pinned AZs are not in the region',
        dev,
        (d) => (d.network.availabilityZones = ['ap-northeast-1a', 'us-east-1a']),
        [
          'dev.network.availabilityZones.1: "us-east-1a" is not in region ap-northeast-1; allowed: ap-northeast-1a, ap-northeast-1b, ...',
        ],
      ],
      [
        'pinned AZs do not match the AZ count',
        dev,
        (d) =>
          (d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']),
        [
          'dev.network.availabilityZones: ["ap-northeast-1a","ap-northeast-1c","ap-northeast-1d"] names 3 AZs; it must name exactly azCount (2)',
        ],
      ],
      [
        'a pinned AZ is listed twice',
        dev,
        (d) => (d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1a']),
        ['dev.network.availabilityZones.1: "ap-northeast-1a" is listed twice'],
      ],
      [
        'AZs are pinned without a region',
        dev,
        (d) => {
          delete d.region;
          d.network.availabilityZones = ['ap-northeast-1a', 'ap-northeast-1c'];
        },
        [
          'dev.network.availabilityZones: ["ap-northeast-1a","ap-northeast-1c"] pins AZ names but region is not set; set region or remove availabilityZones',
          "dev.region: is required: the us-east-1 edge stack reads the load balancer's VPC origin from the region stack, and cross-region references need an explicit region",
        ],
      ],
      [
        'the account is not 12 digits',
        prod,
        (d) => (d.account = '1234-5678'),
        ['prod.account: "1234-5678" is not an AWS account ID; expected 12 digits'],
      ],
      [
        'the region is unknown',
        dev,
        (d) => (d.region = 'ap-northeast1'),
        [
          expect.stringMatching(
            /^dev\.region: "ap-northeast1" is not a known AWS region; allowed: .*ap-northeast-1, /,
          ),
        ],
      ],
      [
        'production has no account or region',
        prod,
        (d) => {
          delete d.account;
          delete d.region;
        },
        [
          'prod.account: is required in production, so a deployment can never land in the wrong account',
          'prod.region: is required in production, so a deployment can never land in the wrong region',
        ],
      ],
      [
        'production has a destroy removal policy',
        prod,
        (d) => (d.removalPolicy = 'destroy'),
        ['prod.removalPolicy: "destroy" is not allowed in production; allowed: retain, snapshot'],
      ],
      [
        'the removal policy is unknown',
        dev,
        (d) => (d.removalPolicy = 'keep'),
        ['dev.removalPolicy: "keep" is not allowed; allowed: "destroy", "retain", "snapshot"'],
      ],
      [
        'the tier is unknown',
        dev,
        (d) => (d.tier = 'qa'),
        ['dev.tier: "qa" is not allowed; allowed: "development", "staging", "production"'],
      ],
      [
        'the baseline owner has no securityBaseline settings',
        dev,
        (d) => (d.ownsSecurityBaseline = true),
        [
          'dev.securityBaseline: is required when ownsSecurityBaseline is true; set mode, findingPublishingFrequency, minimumFindingSeverity, budget, cloudTrail and awsConfig',
        ],
      ],
      [
        'an environment that does not own the baseline has securityBaseline settings',
        dev,
        (d) => (d.securityBaseline = securityBaselineConfig()),
        [
          expect.stringMatching(
            /^dev\.securityBaseline: \{.*\} is set but ownsSecurityBaseline is false, so it would be ignored; remove it or set ownsSecurityBaseline to true$/,
          ),
        ],
      ],
      [
        'the baseline mode is unknown',
        devOwner,
        (d) => (d.securityBaseline.mode = 'import'),
        ['dev.securityBaseline.mode: "import" is not allowed; allowed: "create", "adopt"'],
      ],
      [
        'the GuardDuty publishing frequency is unknown',
        devOwner,
        (d) => (d.securityBaseline.findingPublishingFrequency = 'DAILY'),
        [
          'dev.securityBaseline.findingPublishingFrequency: "DAILY" is not allowed; allowed: "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"',
        ],
      ],
      [
        'the minimum finding severity is unknown',
        devOwner,
        (d) => (d.securityBaseline.minimumFindingSeverity = 'HIGH'),
        [
          'dev.securityBaseline.minimumFindingSeverity: "HIGH" is not allowed; allowed: "low", "medium", "high", "critical"',
        ],
      ],
      [
        'the budget limit is not above 0',
        devOwner,
        (d) => (d.securityBaseline.budget.monthlyLimit = 0),
        [
          'dev.securityBaseline.budget.monthlyLimit: 0 is not above 0; allowed: an amount greater than 0',
        ],
      ],
      [
        'the budget currency is not an ISO 4217 code',
        devOwner,
        (d) => (d.securityBaseline.budget.currency = 'usd'),
        [
          'dev.securityBaseline.budget.currency: "usd" is not an ISO 4217 currency code such as "USD"',
        ],
      ],
      [
        'the budget alert threshold is below 1 percent',
        devOwner,
        (d) => (d.securityBaseline.budget.alertThresholdPercent = 0),
        [
          'dev.securityBaseline.budget.alertThresholdPercent: 0 is below 1; allowed: 1-1000 (percent of monthlyLimit)',
        ],
      ],
      [
        'the budget alert threshold is above 1000 percent',
        prodOwner,
        (d) => (d.securityBaseline.budget.alertThresholdPercent = 1001),
        [
          'prod.securityBaseline.budget.alertThresholdPercent: 1001 is above 1000; allowed: 1-1000 (percent of monthlyLimit)',
        ],
      ],
      [
        'the CloudTrail log retention is not a CloudWatch Logs value',
        devOwner,
        (d) => (d.securityBaseline.cloudTrail.logRetentionDays = 45),
        [
          expect.stringMatching(
            /^dev\.securityBaseline\.cloudTrail\.logRetentionDays: 45 is not a CloudWatch Logs retention; allowed: 1, 3, /,
          ),
        ],
      ],
      [
        'the CloudTrail archive retention is below 90 days',
        devOwner,
        (d) => (d.securityBaseline.cloudTrail.archiveRetentionDays = 30),
        [
          'dev.securityBaseline.cloudTrail.archiveRetentionDays: 30 is below 90; allowed: 90-3653 days',
        ],
      ],
      [
        'the CloudTrail archive retention is above 3653 days',
        prodOwner,
        (d) => (d.securityBaseline.cloudTrail.archiveRetentionDays = 4000),
        [
          'prod.securityBaseline.cloudTrail.archiveRetentionDays: 4000 is above 3653; allowed: 90-3653 days',
        ],
      ],
      [
        'a production trail archive has no Object Lock',
        prodOwner,
        (d) => delete d.securityBaseline.cloudTrail.objectLock,
        [
          'prod.securityBaseline.cloudTrail.objectLock: is required in production, so audit logs cannot be deleted before their retention ends; set mode (COMPLIANCE or GOVERNANCE) and retentionDays',
        ],
      ],
      [
        'the trail archive locks files longer than it keeps them',
        prodOwner,
        (d) =>
          (d.securityBaseline.cloudTrail = {
            logRetentionDays: 365,
            archiveRetentionDays: 400,
            objectLock: { mode: 'GOVERNANCE', retentionDays: 500 },
          }),
        [
          'prod.securityBaseline.cloudTrail.objectLock.retentionDays: 500 is above archiveRetentionDays (400); allowed: 1-400 days, so the lifecycle rule never meets a locked file',
        ],
      ],
      [
        'the trail archive Object Lock mode is not an S3 retention mode',
        devOwner,
        (d) =>
          (d.securityBaseline.cloudTrail.objectLock = { mode: 'LEGAL_HOLD', retentionDays: 30 }),
        [expect.stringContaining('dev.securityBaseline.cloudTrail.objectLock.mode:')],
      ],
      [
        'the AWS Config archive retention is below 90 days',
        devOwner,
        (d) => (d.securityBaseline.awsConfig.archiveRetentionDays = 60),
        [
          'dev.securityBaseline.awsConfig.archiveRetentionDays: 60 is below 90; allowed: 90-3653 days',
        ],
      ],
      [
        'the AWS Config recorder has no say on global resource types',
        devOwner,
        (d) => delete d.securityBaseline.awsConfig.recordGlobalResourceTypes,
        [expect.stringContaining('dev.securityBaseline.awsConfig.recordGlobalResourceTypes:')],
      ],
      [
        'a DNS Firewall domain is not a domain name',
        dev,
        (d) => (d.network.dnsFirewall.blockedDomains = ['Bad_Domain']),
        [
          'dev.network.dnsFirewall.blockedDomains.0: "Bad_Domain" is not a lowercase domain name such as "example.com" or "*.example.com"',
        ],
      ],
      [
        'a DNS Firewall domain is both blocked and allowed, or listed twice',
        dev,
        (d) => {
          d.network.dnsFirewall.blockedDomains = ['a.example.com', 'b.example.com'];
          d.network.dnsFirewall.allowedDomains = ['b.example.com', 'b.example.com'];
        },
        [
          'dev.network.dnsFirewall.allowedDomains.1: "b.example.com" is listed twice',
          'dev.network.dnsFirewall.blockedDomains.1: "b.example.com" is also in allowedDomains, which wins; allowed: a domain in one of the two lists',
        ],
      ],
      [
        'Network Firewall is on without pinned AZs',
        dev,
        (d) =>
          (d.network.networkFirewall = { allowedDomains: ['.example.com'], logRetentionDays: 14 }),
        [
          'dev.network.networkFirewall: {"allowedDomains":[".example.com"],"logRetentionDays":14} needs network.availabilityZones: each private subnet routes to the firewall endpoint of its AZ, ' +
            'which the template finds by AZ name; pin availabilityZones (e.g. ["ap-northeast-1a", "ap-northeast-1c"]) or remove networkFirewall',
        ],
      ],
      [
        'the Network Firewall allow-list is empty',
        dev,
        (d) => {
          addNetworkFirewall(d);
          d.network.networkFirewall.allowedDomains = [];
        },
        [
          'dev.network.networkFirewall.allowedDomains: [] is empty; list the domains the services call (e.g. ".stripe.com"), or remove networkFirewall',
        ],
      ],
      [
        'a Network Firewall domain is in DNS Firewall wildcard form or not lowercase',
        dev,
        (d) => {
          addNetworkFirewall(d);
          d.network.networkFirewall.allowedDomains = ['*.example.com', 'API.example.com'];
        },
        [
          'dev.network.networkFirewall.allowedDomains.0: "*.example.com" is not a lowercase domain such as "api.example.com" or ".example.com" (a leading dot: the domain and its subdomains)',
          'dev.network.networkFirewall.allowedDomains.1: "API.example.com" is not a lowercase domain such as "api.example.com" or ".example.com" (a leading dot: the domain and its subdomains)',
        ],
      ],
      [
        "the Network Firewall allow-list outgrows the firewall's rule group",
        dev,
        (d) => {
          addNetworkFirewall(d);
          d.network.networkFirewall.allowedDomains = Array.from(
            { length: 491 },
            (_, i) => `api${i}.example.com`,
          );
        },
        [
          expect.stringMatching(
            /^dev\.network\.networkFirewall\.allowedDomains: \["api0\.example\.com",.* has more than 490 domains, more than the firewall's rule group holds; allowed: up to 490 \(use "\.example\.com" for a domain's subdomains\)$/,
          ),
        ],
      ],
      [
        'a Network Firewall domain is listed twice',
        dev,
        (d) => {
          addNetworkFirewall(d);
          d.network.networkFirewall.allowedDomains = [
            '.example.com',
            'api.example.org',
            '.example.com',
          ];
        },
        ['dev.network.networkFirewall.allowedDomains.2: ".example.com" is listed twice'],
      ],
      [
        'the Network Firewall log retention is not a CloudWatch Logs value',
        dev,
        (d) => {
          addNetworkFirewall(d);
          d.network.networkFirewall.logRetentionDays = 10;
        },
        [
          'dev.network.networkFirewall.logRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
        ],
      ],
      [
        'the VPC CIDR has no room left for the firewall subnets',
        dev,
        (d) => {
          addNetworkFirewall(d);
          Object.assign(d.network, {
            vpcCidr: '10.10.0.0/22',
            subnetMasks: { public: 25, privateWithEgress: 24, isolated: 25 },
          });
        },
        [
          'dev.network.vpcCidr: "10.10.0.0/22" is too small: 4 subnet tiers (/25, /24, /25, /28) in 2 AZs need 1056 ' +
            'addresses and /22 has 1024; use a shorter prefix or longer subnetMasks',
        ],
      ],
      [
        'the region has no DNS Firewall managed domain list IDs',
        dev,
        (d) => (d.region = 'eu-central-1'),
        [
          'dev.region: "eu-central-1" has no DNS Firewall managed domain list IDs in config/dns-firewall-lists.ts; allowed: ap-northeast-1, ap-south-1, eu-west-2, or add the region\'s IDs there',
        ],
      ],
      [
        'the DNS Firewall query log retention is not a CloudWatch Logs value',
        dev,
        (d) => (d.network.dnsFirewall.queryLogRetentionDays = 10),
        [
          expect.stringMatching(
            /^dev\.network\.dnsFirewall\.queryLogRetentionDays: 10 is not a CloudWatch Logs retention/,
          ),
        ],
      ],
      [
        'the environment name is not lowercase',
        dev,
        (d) => (d.name = 'Dev_1'),
        [
          'Dev_1.name: "Dev_1" is not an environment name; allowed: 2-16 characters, lowercase letters, digits and "-", starting with a letter',
        ],
      ],
      [
        'an interface endpoint is unknown',
        dev,
        (d) => (d.network.interfaceEndpoints = ['ecr.api', 'dynamodb']),
        [
          expect.stringMatching(
            /^dev\.network\.interfaceEndpoints\.1: "dynamodb" is not allowed; allowed: "ecr\.api", /,
          ),
        ],
      ],
      [
        'an interface endpoint is listed twice',
        dev,
        (d) => (d.network.interfaceEndpoints = ['logs', 'logs']),
        ['dev.network.interfaceEndpoints.1: "logs" is listed twice'],
      ],
      [
        'the flow-log retention is not a CloudWatch Logs value',
        dev,
        (d) => (d.network.flowLogRetentionDays = 10),
        [
          expect.stringMatching(
            /^dev\.network\.flowLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, /,
          ),
        ],
      ],
      [
        'a tag value is empty',
        dev,
        (d) => (d.tags.owner = ''),
        ['dev.tags.owner: "" is empty; a tag value needs 1-256 characters'],
      ],
      [
        'an extra tag key uses the reserved aws: prefix',
        dev,
        (d) => (d.tags.extra = { 'aws:cost': 'x' }),
        [
          'dev.tags.extra.aws:cost: "x" has a key starting with "aws:", which is reserved for AWS tags',
        ],
      ],
      [
        'a setting is misspelt',
        dev,
        (d) => (d.network.vpcCIDR = '10.0.0.0/16'),
        ['dev.network.vpcCIDR: is not a known setting (check the spelling in config/schema.ts)'],
      ],
      [
        'a required setting is missing',
        dev,
        (d) => delete d.removalPolicy,
        ['dev.removalPolicy: is required; allowed: "destroy", "retain", "snapshot"'],
      ],
      [
        'a setting has the wrong type',
        dev,
        (d) => (d.ownsSecurityBaseline = 'yes'),
        ['dev.ownsSecurityBaseline: "yes" is not a boolean'],
      ],
    ])('fails when %s', (_, base, change, expected) => {
      expect(problemsOf(changed(base(), change))).toEqual(expected);
    });

    // The VPC is also reported too small for these masks; this test pins the mask's message.
    test('fails when a subnet mask is larger than the VPC', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.10.0.0/24';
        d.network.subnetMasks = { public: 26, privateWithEgress: 20, isolated: 26 };
      });
      expect(problemsOf(env)).toContain(
        'dev.network.subnetMasks.privateWithEgress: 20 is larger than the VPC (/24); allowed: /24 to /28',
      );
    });

    test('fails when the AZ count is below 2, reported once', () => {
      const env = changed(developmentConfig(), (d) => {
        d.network.azCount = 1;
      });
      expect(problemsOf(env)).toEqual(['dev.network.azCount: 1 is below 2; allowed: 2-6 AZs']);
    });

    test('fails when two environments have overlapping VPC CIDRs', () => {
      const first = changed(developmentConfig(), (d) => {
        d.network.vpcCidr = '10.0.0.0/16';
      });
      const second = changed(productionConfig(), (d) => {
        d.network.vpcCidr = '10.0.128.0/17';
      });
      expect(problemsOf(first, second)).toEqual([
        'prod.network.vpcCidr: "10.0.128.0/17" overlaps dev.network.vpcCidr "10.0.0.0/16"; allowed: a range no other environment uses',
      ]);
    });

    test('fails when two environments in one account and region both own the security baseline', () => {
      const first = baselineOwner(productionConfig('prod'));
      const second = changed(baselineOwner(productionConfig('prod-eu')), (d) => {
        d.network.vpcCidr = '10.40.0.0/16';
      });
      expect(problemsOf(first, second)).toEqual([
        'prod-eu.ownsSecurityBaseline: true conflicts with prod, which already owns the baseline of ' +
          '333333333333/ap-northeast-1; allowed: one owner per account and region (GuardDuty allows one detector there)',
      ]);
    });

    test('fails when two environments without an account both own the baseline of the CLI account', () => {
      const first = baselineOwner(developmentConfig('dev'));
      const second = changed(baselineOwner(developmentConfig('sandbox')), (d) => {
        d.network.vpcCidr = '10.11.0.0/16';
      });
      expect(problemsOf(first, second)).toEqual([
        expect.stringContaining('sandbox.ownsSecurityBaseline: true conflicts with dev'),
      ]);
    });

    test('fails when two regions of one account both record the global resource types', () => {
      const first = baselineOwner(productionConfig('prod'));
      const second = changed(baselineOwner(productionConfig('prod-us')), (d) => {
        d.region = 'eu-west-2';
        d.network.vpcCidr = '10.40.0.0/16';
      });
      expect(problemsOf(first, second)).toEqual([
        'prod-us.securityBaseline.awsConfig.recordGlobalResourceTypes: true conflicts with prod, which already records ' +
          'the global resource types of account 333333333333; allowed: true in one region of an account, false elsewhere',
      ]);
    });

    test('passes when the second region of an account leaves the global resource types to the first', () => {
      const first = baselineOwner(productionConfig('prod'));
      const second = changed(baselineOwner(productionConfig('prod-us')), (d) => {
        d.region = 'eu-west-2';
        d.network.vpcCidr = '10.40.0.0/16';
        d.securityBaseline.awsConfig.recordGlobalResourceTypes = false;
      });
      expect(validateEnvironments([first, second]).map((env) => env.name)).toEqual([
        'prod',
        'prod-us',
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
