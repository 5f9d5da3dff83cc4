import { validateEnvironments } from '../../config';
import {
  changed,
  ConfigCase,
  developmentConfig,
  problemsOf,
  productionConfig,
} from '../helpers/config-builder';

const EDGE_CERTIFICATE =
  'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';
/** A certificate of the load balancer's region, which CloudFront cannot use. */
const REGIONAL_CERTIFICATE = EDGE_CERTIFICATE.replace('us-east-1', 'ap-northeast-1');
const dev = developmentConfig;
const prod = productionConfig;

describe('edge configuration', () => {
  describe('accepts', () => {
    test('a custom domain, IPv4 and IPv6 admin CIDRs and every rate-limit window', () => {
      for (const windowSeconds of [60, 120, 300, 600]) {
        const env = changed(developmentConfig(), (d) => {
          d.edge.domain = {
            names: ['app.example.com', '*.example.com'],
            certificateArn: EDGE_CERTIFICATE,
          };
          d.edge.adminAllowList.cidrs = ['198.51.100.7/32', '2001:db8::/32'];
          d.edge.rateLimit = { limit: 10, windowSeconds };
        });
        expect(() => validateEnvironments([env])).not.toThrow();
      }
    });

    test('no custom domain and an empty admin allow-list outside production', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.edge.domain;
        d.edge.adminAllowList.cidrs = [];
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test.each<ConfigCase>([
      [
        'the rate limit is below 10',
        dev,
        (d) => (d.edge.rateLimit.limit = 9),
        ['dev.edge.rateLimit.limit: 9 is out of range; allowed: 10-2000000000'],
      ],
      [
        'the rate limit is not a whole number',
        dev,
        (d) => (d.edge.rateLimit.limit = 100.5),
        ['dev.edge.rateLimit.limit: 100.5 is not a whole number; allowed: 10-2000000000'],
      ],
      [
        'the rate-limit window is not a WAF window',
        dev,
        (d) => (d.edge.rateLimit.windowSeconds = 30),
        [
          'dev.edge.rateLimit.windowSeconds: 30 is not a WAF rate-limit window; allowed: 60, 120, 300, 600',
        ],
      ],
      ...[
        ['10.0.0.300/24', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
        ['10.0/16', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
        ['198.51.100.7', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
        ['2001:db8::/129', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
        ['0.0.0.0/0', 'allows every address; WAF IP sets take /1 or longer'],
        ['::/0', 'allows every address; WAF IP sets take /1 or longer'],
        ['198.51.100.7/24', 'is not a network address; did you mean "198.51.100.0/24"?'],
        ['2001:db8::1/32', 'is not a network address; did you mean "2001:db8::/32"?'],
      ].map(([cidr, message]): ConfigCase => [
        `an admin CIDR is wrong: ${cidr}`,
        dev,
        (d) => (d.edge.adminAllowList.cidrs = [cidr]),
        [`dev.edge.adminAllowList.cidrs.0: ${JSON.stringify(cidr)} ${message}`],
      ]),
      [
        'an admin CIDR is listed twice',
        dev,
        (d) => (d.edge.adminAllowList.cidrs = ['203.0.113.0/24', '203.0.113.0/24']),
        ['dev.edge.adminAllowList.cidrs.1: "203.0.113.0/24" is listed twice'],
      ],
      [
        'production has no admin CIDR',
        prod,
        (d) => (d.edge.adminAllowList.cidrs = []),
        [
          'prod.edge.adminAllowList.cidrs: [] is empty; production needs at least one CIDR allowed to call the admin paths (empty blocks every admin)',
        ],
      ],
      ...['/', 'v1/api/admin', '/v1/api/admin/', '/V1/Admin'].map((prefix): ConfigCase => [
        `an admin path prefix is malformed: ${prefix}`,
        dev,
        (d) => (d.edge.adminAllowList.pathPrefixes = [prefix]),
        [
          `dev.edge.adminAllowList.pathPrefixes.0: ${JSON.stringify(prefix)} is not an admin path prefix; allowed: "/segment[/segment...]" (lowercase, no trailing "/", not "/")`,
        ],
      ]),
      [
        'there is no admin path prefix',
        dev,
        (d) => (d.edge.adminAllowList.pathPrefixes = []),
        [
          'dev.edge.adminAllowList.pathPrefixes: [] is empty; allowed: one or more admin path prefixes',
        ],
      ],
      [
        'an admin path prefix is listed twice',
        dev,
        (d) => (d.edge.adminAllowList.pathPrefixes = ['/admin', '/admin']),
        ['dev.edge.adminAllowList.pathPrefixes.1: "/admin" is listed twice'],
      ],
      [
        'the prefix list ID is malformed',
        dev,
        (d) => (d.edge.originFacingPrefixListId = 'cloudfront'),
        [
          'dev.edge.originFacingPrefixListId: "cloudfront" is not a prefix list ID; expected "pl-" and 8-17 hex digits',
        ],
      ],
      [
        "the prefix list is not the region's CloudFront origin-facing list",
        dev,
        (d) => (d.edge.originFacingPrefixListId = 'pl-22a6434b'),
        [
          'dev.edge.originFacingPrefixListId: "pl-22a6434b" is not the CloudFront origin-facing prefix list of ap-northeast-1; allowed: "pl-58a04531"',
        ],
      ],
      [
        'the region is not set (cross-region references need it)',
        dev,
        (d) => delete d.region,
        [
          'dev.region: is required: the us-east-1 edge stack reads the load balancer from the region stack, and cross-region references need an explicit region',
        ],
      ],
      [
        'the load balancer has a certificate but the edge has no domain',
        dev,
        (d) => {
          d.application.certificateArn = REGIONAL_CERTIFICATE;
          delete d.edge.domain;
        },
        [
          'dev.edge.domain: is required because application.certificateArn makes CloudFront connect over HTTPS, which needs a viewer domain the load balancer certificate covers',
        ],
      ],
      [
        'the CloudFront certificate is not in us-east-1',
        dev,
        (d) =>
          (d.edge.domain = { names: ['app.example.com'], certificateArn: REGIONAL_CERTIFICATE }),
        [
          `dev.edge.domain.certificateArn: "${REGIONAL_CERTIFICATE}" is not in us-east-1; CloudFront only uses ACM certificates of us-east-1`,
        ],
      ],
      [
        'the CloudFront certificate is not an ACM ARN',
        dev,
        (d) => (d.edge.domain = { names: ['app.example.com'], certificateArn: 'arn:aws:iam::1:x' }),
        [
          'dev.edge.domain.certificateArn: "arn:aws:iam::1:x" is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
          'dev.edge.domain.certificateArn: "arn:aws:iam::1:x" is not in us-east-1; CloudFront only uses ACM certificates of us-east-1',
        ],
      ],
      ...['App.Example.com', 'example', 'app..example.com', 'https://app.example.com'].map(
        (name): ConfigCase => [
          `a domain name is malformed: ${name}`,
          dev,
          (d) => (d.edge.domain = { names: [name], certificateArn: EDGE_CERTIFICATE }),
          [
            `dev.edge.domain.names.0: ${JSON.stringify(name)} is not a domain name such as "app.example.com" (lowercase)`,
          ],
        ],
      ),
      [
        'the domain has no name',
        dev,
        (d) => (d.edge.domain = { names: [], certificateArn: EDGE_CERTIFICATE }),
        ['dev.edge.domain.names: [] is empty; allowed: one or more domain names'],
      ],
      [
        'a domain name is listed twice',
        dev,
        (d) =>
          (d.edge.domain = {
            names: ['app.example.com', 'app.example.com'],
            certificateArn: EDGE_CERTIFICATE,
          }),
        ['dev.edge.domain.names.1: "app.example.com" is listed twice'],
      ],
      [
        'the price class is unknown',
        dev,
        (d) => (d.edge.priceClass = 'PriceClass_50'),
        [
          'dev.edge.priceClass: "PriceClass_50" is not allowed; allowed: "PriceClass_100", "PriceClass_200", "PriceClass_All"',
        ],
      ],
      [
        'the WAF log retention is not a CloudWatch Logs value',
        dev,
        (d) => (d.edge.wafLogRetentionDays = 10),
        [
          expect.stringMatching(
            /^dev\.edge\.wafLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, /,
          ),
        ],
      ],
      [
        'the access logs would expire at once',
        dev,
        (d) => (d.edge.accessLogExpirationDays = 0),
        ['dev.edge.accessLogExpirationDays: 0 is out of range; allowed: 1-3650'],
      ],
      [
        'the edge section is missing',
        dev,
        (d) => delete d.edge,
        ['dev.edge: is required (an object)'],
      ],
      [
        'the edge section has an unknown setting',
        dev,
        (d) => (d.edge.geoBlock = ['KP']),
        ['dev.edge.geoBlock: is not a known setting (check the spelling in config/schema.ts)'],
      ],
    ])('fails when %s', (_, base, change, expected) => {
      expect(problemsOf(changed(base(), change))).toEqual(expected);
    });
  });
});
