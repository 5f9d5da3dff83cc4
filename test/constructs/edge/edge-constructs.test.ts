import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AdminAllowList } from '../../../lib/constructs/edge/admin-allow-list';
import { DomainCertificate } from '../../../lib/constructs/edge/domain-certificate';
import { PlatformHostedZone } from '../../../lib/constructs/edge/platform-hosted-zone';
import { PlatformWebAcl } from '../../../lib/constructs/edge/platform-web-acl';
import { rateLimitRule } from '../../../lib/constructs/edge/rate-limit-rule';
import { newTestApp } from '../../helpers/test-app';

const CERTIFICATE =
  'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

function stackIn(region?: string): Stack {
  return new Stack(newTestApp(), 'Fixture', { env: region ? { region } : undefined });
}

describe('edge constructs', () => {
  describe('PlatformWebAcl', () => {
    const props = (stack: Stack) => ({
      scope: 'CLOUDFRONT' as const,
      name: 'dev-edge',
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet'],
      logRetention: logs.RetentionDays.ONE_MONTH,
      logsKey: new kms.Key(stack, 'Key'),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    test('fails when a CLOUDFRONT web ACL is outside us-east-1', () => {
      const stack = stackIn('ap-northeast-1');
      expect(() => new PlatformWebAcl(stack, 'Acl', props(stack))).toThrow(
        /^PlatformWebAcl: scope CLOUDFRONT needs a stack in us-east-1, not ap-northeast-1/,
      );
    });

    test('fails when the name is not a WAF name', () => {
      const stack = stackIn('us-east-1');
      expect(() => new PlatformWebAcl(stack, 'Acl', { ...props(stack), name: 'dev edge' })).toThrow(
        'PlatformWebAcl: name "dev edge" is not a WAF name; allowed: 1-100 letters, digits and "-"',
      );
    });
  });

  describe('rateLimitRule', () => {
    test('fails when the limit is below 10', () => {
      expect(() => rateLimitRule(9, 300)).toThrow(
        'rateLimitRule: limit 9 is not allowed; WAF needs a whole number of 10 or more',
      );
    });

    test('fails when the window is not a WAF window', () => {
      expect(() => rateLimitRule(100, 30)).toThrow(
        'rateLimitRule: windowSeconds 30 is not allowed; allowed: 60, 120, 300, 600',
      );
    });
  });

  describe('AdminAllowList', () => {
    test('fails when no admin path prefix is given', () => {
      expect(
        () => new AdminAllowList(stackIn('us-east-1'), 'Admin', { pathPrefixes: [], cidrs: [] }),
      ).toThrow(
        'AdminAllowList: pathPrefixes [] must name at least one prefix, each "/segment..."',
      );
    });
  });

  describe('DomainCertificate', () => {
    test('fails when it names no domain', () => {
      expect(
        () =>
          new DomainCertificate(stackIn('us-east-1'), 'Certificate', {
            names: [],
            source: { certificateArn: CERTIFICATE },
          }),
      ).toThrow('DomainCertificate: names is empty; allowed: one or more domain names');
    });

    test('imports a certificate by ARN, or issues one with DNS validation in the zone', () => {
      const stack = stackIn('us-east-1');
      const imported = new DomainCertificate(stack, 'Imported', {
        names: ['app.example.com'],
        source: { certificateArn: CERTIFICATE },
      });
      expect(imported.certificate.certificateArn).toBe(CERTIFICATE);
      const zone = new PlatformHostedZone(stack, 'Zone', {
        zoneName: 'example.com',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new DomainCertificate(stack, 'Issued', {
        names: ['app.example.com', 'www.example.com'],
        source: { hostedZone: zone.zone },
      });
      const template = Template.fromStack(stack);
      const [zoneId] = Object.keys(template.findResources('AWS::Route53::HostedZone'));
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'app.example.com',
        SubjectAlternativeNames: ['www.example.com'],
        ValidationMethod: 'DNS',
        DomainValidationOptions: [
          { DomainName: 'app.example.com', HostedZoneId: { Ref: zoneId } },
          { DomainName: 'www.example.com', HostedZoneId: { Ref: zoneId } },
        ],
      });
      template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    });
  });

  describe('PlatformHostedZone', () => {
    test('imports the zone of an ID and creates none', () => {
      const stack = stackIn('ap-northeast-1');
      const { zone } = new PlatformHostedZone(stack, 'Zone', {
        zoneName: 'example.com',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      expect(zone.hostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
      Template.fromStack(stack).resourceCountIs('AWS::Route53::HostedZone', 0);
    });

    test('creates a public zone without an ID, kept as the removal policy says', () => {
      const stack = stackIn('ap-northeast-1');
      new PlatformHostedZone(stack, 'Zone', {
        zoneName: 'example.com',
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Template.fromStack(stack).hasResource('AWS::Route53::HostedZone', {
        Properties: Match.objectLike({ Name: 'example.com.' }),
        DeletionPolicy: 'Retain',
      });
    });
  });
});
