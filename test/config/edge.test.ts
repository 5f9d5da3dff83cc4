import { validateEnvironments } from '../../config';
import {
  changed,
  developmentConfig,
  problemsOf,
  productionConfig,
} from '../helpers/config-builder';

const EDGE_CERTIFICATE =
  'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';
const LOAD_BALANCER_CERTIFICATE = EDGE_CERTIFICATE.replace('us-east-1', 'ap-northeast-1');

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

    test.each([
      ['imports', 'Z0123456789ABCDEFGHIJ'],
      ['creates', undefined],
    ])(
      'a hosted zone the platform %s, issuing the certificates of names in it',
      (_, hostedZoneId) => {
        const env = changed(developmentConfig(), (d) => {
          d.edge.domain = { names: ['example.com', 'app.example.com', '*.dev.example.com'] };
          d.edge.hostedZone = { zoneName: 'example.com', hostedZoneId };
          d.application.services[0].protocol = 'http2';
        });
        expect(() => validateEnvironments([env])).not.toThrow();
      },
    );

    test('no custom domain and an empty admin allow-list outside production', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.edge.domain;
        d.edge.adminAllowList.cidrs = [];
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test('fails when the rate limit is below 10', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.rateLimit.limit = 9;
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.rateLimit.limit: 9 is out of range; allowed: 10-2000000000',
      ]);
    });

    test("fails when Shield Advanced's automatic mitigation is neither block nor count", () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.shieldAdvanced = { automaticMitigation: 'challenge' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.shieldAdvanced.automaticMitigation: "challenge" is not allowed; allowed: "block", "count"',
      ]);
    });

    test('fails when the rate limit is not a whole number', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.rateLimit.limit = 100.5;
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.rateLimit.limit: 100.5 is not a whole number; allowed: 10-2000000000',
      ]);
    });

    test('fails when the rate-limit window is not a WAF window', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.rateLimit.windowSeconds = 30;
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.rateLimit.windowSeconds: 30 is not a WAF rate-limit window; allowed: 60, 120, 300, 600',
      ]);
    });

    test.each([
      ['10.0.0.300/24', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
      ['10.0/16', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
      ['198.51.100.7', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
      ['2001:db8::/129', 'is not an IPv4 or IPv6 CIDR; expected a.b.c.d/n or x:x::/n'],
      ['0.0.0.0/0', 'allows every address; WAF IP sets take /1 or longer'],
      ['::/0', 'allows every address; WAF IP sets take /1 or longer'],
      ['198.51.100.7/24', 'is not a network address; did you mean "198.51.100.0/24"?'],
      ['2001:db8::1/32', 'is not a network address; did you mean "2001:db8::/32"?'],
    ])('fails when an admin CIDR is wrong: %s', (cidr, message) => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.adminAllowList.cidrs = [cidr];
      });
      expect(problemsOf(env)).toEqual([
        `dev.edge.adminAllowList.cidrs.0: ${JSON.stringify(cidr)} ${message}`,
      ]);
    });

    test('fails when an admin CIDR is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.adminAllowList.cidrs = ['203.0.113.0/24', '203.0.113.0/24'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.adminAllowList.cidrs.1: "203.0.113.0/24" is listed twice',
      ]);
    });

    test('fails when production has no admin CIDR', () => {
      const env = changed(productionConfig(), (d) => {
        d.edge.adminAllowList.cidrs = [];
      });
      expect(problemsOf(env)).toEqual([
        'prod.edge.adminAllowList.cidrs: [] is empty; production needs at least one CIDR allowed to call the admin paths (empty blocks every admin)',
      ]);
    });

    test.each(['/', 'v1/api/admin', '/v1/api/admin/', '/V1/Admin'])(
      'fails when an admin path prefix is malformed: %s',
      (prefix) => {
        const env = changed(developmentConfig(), (d) => {
          d.edge.adminAllowList.pathPrefixes = [prefix];
        });
        expect(problemsOf(env)).toEqual([
          `dev.edge.adminAllowList.pathPrefixes.0: ${JSON.stringify(prefix)} is not an admin path prefix; allowed: "/segment[/segment...]" (lowercase, no trailing "/", not "/")`,
        ]);
      },
    );

    test('fails when there is no admin path prefix', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.adminAllowList.pathPrefixes = [];
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.adminAllowList.pathPrefixes: [] is empty; allowed: one or more admin path prefixes',
      ]);
    });

    test('fails when an admin path prefix is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.adminAllowList.pathPrefixes = ['/admin', '/admin'];
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.adminAllowList.pathPrefixes.1: "/admin" is listed twice',
      ]);
    });

    test('fails when the region is not set (cross-region references need it)', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.region;
      });
      expect(problemsOf(env)).toEqual([
        "dev.region: is required: the us-east-1 edge stack reads the load balancer's VPC origin from the region stack, and cross-region references need an explicit region",
      ]);
    });

    test('fails when the load balancer has a certificate but the edge has no domain', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.certificateArn = LOAD_BALANCER_CERTIFICATE;
        delete d.edge.domain;
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain: is required because application.certificateArn makes CloudFront connect over HTTPS, which needs a viewer domain the load balancer certificate covers',
      ]);
    });

    test('fails when a hosted zone has no domain to issue certificates for', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.edge.domain;
        d.edge.hostedZone = { zoneName: 'example.com' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain: is required with hostedZone: name the domain names the platform issues certificates for',
      ]);
    });

    test('fails when the CloudFront certificate is imported and issued in the hosted zone', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.hostedZone = { zoneName: 'example.com' };
      });
      expect(problemsOf(env)).toEqual([
        `dev.edge.domain.certificateArn: "${EDGE_CERTIFICATE}" is set, but hostedZone makes the platform issue the certificate; allowed: one of them`,
      ]);
    });

    test('fails when the load balancer certificate is imported and issued in the hosted zone', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com'] };
        d.edge.hostedZone = { zoneName: 'example.com' };
        d.application.certificateArn = LOAD_BALANCER_CERTIFICATE;
      });
      expect(problemsOf(env)).toEqual([
        `dev.application.certificateArn: "${LOAD_BALANCER_CERTIFICATE}" is set, but edge.hostedZone makes the platform issue the load balancer certificate; allowed: one of them`,
      ]);
    });

    test('fails when the domain has neither a certificate nor a hosted zone', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com'] };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.certificateArn: is required without hostedZone: the distribution needs a us-east-1 certificate for its names',
      ]);
    });

    test('fails when a domain name is outside the hosted zone', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com', 'app.example.org', 'badexample.com'] };
        d.edge.hostedZone = { zoneName: 'example.com' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.names.1: "app.example.org" is not in the hosted zone "example.com"; allowed: "example.com" or a name under it',
        'dev.edge.domain.names.2: "badexample.com" is not in the hosted zone "example.com"; allowed: "example.com" or a name under it',
      ]);
    });

    test.each([
      [
        'zoneName',
        { zoneName: '*.example.com' },
        '"*.example.com" is not a zone name such as "example.com" (lowercase)',
      ],
      [
        'hostedZoneId',
        { zoneName: 'example.com', hostedZoneId: 'z123' },
        '"z123" is not a hosted zone ID; expected "Z" and up to 31 uppercase letters or digits',
      ],
    ])('fails when the hosted zone %s is malformed', (field, hostedZone, message) => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com'] };
        d.edge.hostedZone = hostedZone;
      });
      expect(problemsOf(env)).toEqual(
        expect.arrayContaining([`dev.edge.hostedZone.${field}: ${message}`]),
      );
    });

    test('fails when the domain has more names than a load balancer rule can match', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = {
          names: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'],
          certificateArn: EDGE_CERTIFICATE,
        };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.names: ["a.example.com","b.example.com","c.example.com","d.example.com"] has more than 3 names; a load balancer rule takes 5 condition values, 2 of them its path patterns',
      ]);
    });

    test('fails when the CloudFront certificate is not in us-east-1', () => {
      const arn = EDGE_CERTIFICATE.replace('us-east-1', 'ap-northeast-1');
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com'], certificateArn: arn };
      });
      expect(problemsOf(env)).toEqual([
        `dev.edge.domain.certificateArn: "${arn}" is not in us-east-1; CloudFront only uses ACM certificates of us-east-1`,
      ]);
    });

    test('fails when the CloudFront certificate is not an ACM ARN', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: ['app.example.com'], certificateArn: 'arn:aws:iam::1:x' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.certificateArn: "arn:aws:iam::1:x" is not an ACM certificate ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>)',
        'dev.edge.domain.certificateArn: "arn:aws:iam::1:x" is not in us-east-1; CloudFront only uses ACM certificates of us-east-1',
      ]);
    });

    test.each(['App.Example.com', 'example', 'app..example.com', 'https://app.example.com'])(
      'fails when a domain name is malformed: %s',
      (name) => {
        const env = changed(developmentConfig(), (d) => {
          d.edge.domain = { names: [name], certificateArn: EDGE_CERTIFICATE };
        });
        expect(problemsOf(env)).toEqual([
          `dev.edge.domain.names.0: ${JSON.stringify(name)} is not a domain name such as "app.example.com" (lowercase)`,
        ]);
      },
    );

    test('fails when the domain has no name', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = { names: [], certificateArn: EDGE_CERTIFICATE };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.names: [] is empty; allowed: one or more domain names',
      ]);
    });

    test('fails when a domain name is listed twice', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.domain = {
          names: ['app.example.com', 'app.example.com'],
          certificateArn: EDGE_CERTIFICATE,
        };
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.domain.names.1: "app.example.com" is listed twice',
      ]);
    });

    test('fails when the price class is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.priceClass = 'PriceClass_50';
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.priceClass: "PriceClass_50" is not allowed; allowed: "PriceClass_100", "PriceClass_200", "PriceClass_All"',
      ]);
    });

    test('fails when the WAF log retention is not a CloudWatch Logs value', () => {
      const [problem] = problemsOf(
        changed(developmentConfig(), (d) => {
          d.edge.wafLogRetentionDays = 10;
        }),
      );
      expect(problem).toMatch(
        /^dev\.edge\.wafLogRetentionDays: 10 is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, /,
      );
    });

    test('fails when the access logs would expire at once', () => {
      const env = changed(developmentConfig(), (d) => {
        d.edge.accessLogExpirationDays = 0;
      });
      expect(problemsOf(env)).toEqual([
        'dev.edge.accessLogExpirationDays: 0 is out of range; allowed: 1-3650',
      ]);
    });

    test('fails when the edge section is missing or has an unknown setting', () => {
      const missing = changed(developmentConfig(), (d) => {
        delete d.edge;
      });
      expect(problemsOf(missing)).toEqual(['dev.edge: is required (an object)']);
      const unknown = changed(developmentConfig(), (d) => {
        d.edge.geoBlock = ['KP'];
      });
      expect(problemsOf(unknown)).toEqual([
        'dev.edge.geoBlock: is not a known setting (check the spelling in config/schema.ts)',
      ]);
    });
  });
});
