import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  API_FORWARDED_HEADERS,
  WEB_FORWARDED_HEADERS,
} from '../../lib/constructs/edge/forwarding-policies';
import { bootstrapReleases } from '../../config';
import { REGIONAL_MANAGED_RULE_GROUPS } from '../../lib/stacks/application-stack';
import { EDGE_MANAGED_RULE_GROUPS } from '../../lib/stacks/edge-stack';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { changed, developmentConfig, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

interface WafRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Statement: Record<string, any>;
  readonly Action?: unknown;
  readonly OverrideAction?: unknown;
}

function webAclOf(template: Template): { Scope: string; Rules: WafRule[]; DefaultAction: unknown } {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  return acl.Properties;
}

function ruleOf(template: Template, name: string): WafRule {
  const rule = webAclOf(template).Rules.find((r) => r.Name === name);
  if (!rule) {
    throw new Error(`no web ACL rule ${name}`);
  }
  return rule;
}

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'edge of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const edge = templateOf(stage.edge);
    const application = templateOf(stage.application);
    const { edge: settings } = config;
    const https =
      config.application.certificateArn !== undefined || config.edge.hostedZone !== undefined;
    const distributionConfig = () =>
      Object.values(edge.findResources('AWS::CloudFront::Distribution'))[0].Properties
        .DistributionConfig;

    describe('the edge stack', () => {
      test('is pinned to us-east-1, with the account of the environment', () => {
        expect(stage.edge.region).toBe('us-east-1');
        if (config.account) {
          expect(stage.edge.account).toBe(config.account);
        } else {
          expect(Token.isUnresolved(stage.edge.account)).toBe(true);
        }
      });

      test("deploys after the application stack and reads the load balancer's VPC origin with Fn::GetStackOutput (no export lock)", () => {
        expect(stage.edge.dependencies).toContain(stage.application);
        const [origin] = distributionConfig().Origins;
        const outputOf = (pattern: RegExp) => ({
          'Fn::GetStackOutput': {
            StackName: stage.application.stackName,
            Region: config.region,
            OutputName: expect.stringMatching(pattern),
          },
        });
        expect(origin).toEqual({
          Id: expect.any(String),
          DomainName: outputOf(/^PublishOutput.*LoadBalancer.*DNSName/),
          VpcOriginConfig: { VpcOriginId: outputOf(/^PublishOutput.*VpcOrigin.*Id/) },
        });
        for (const template of [edge, application]) {
          // No export for a Fn::ImportValue to lock, no cross-region export custom resource.
          expect(template.findOutputs('*', { Export: Match.anyValue() })).toEqual({});
          template.resourceCountIs('Custom::CrossRegionExportWriter', 0);
          template.resourceCountIs('Custom::CrossRegionExportReader', 0);
        }
        edge.resourceCountIs('AWS::Lambda::Function', 0);
      });

      test('has no Shield Advanced protection: it is off by default (Shield Standard covers every distribution)', () => {
        expect(settings.shieldAdvanced).toBeUndefined();
        edge.resourceCountIs('AWS::Shield::Protection', 0);
      });
    });

    describe('the CloudFront web ACL', () => {
      test('has CLOUDFRONT scope and allows what no rule blocks', () => {
        expect(webAclOf(edge)).toEqual(
          expect.objectContaining({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } }),
        );
      });

      test.each([...EDGE_MANAGED_RULE_GROUPS])('runs the AWS managed rule group %s', (group) => {
        expect(ruleOf(edge, group)).toEqual(
          expect.objectContaining({
            Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
            OverrideAction: { None: {} },
          }),
        );
      });

      test(`blocks an IP above ${settings.rateLimit.limit} requests per ${settings.rateLimit.windowSeconds} s`, () => {
        expect(ruleOf(edge, 'RatePerIp')).toEqual(
          expect.objectContaining({
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: {
                AggregateKeyType: 'IP',
                Limit: settings.rateLimit.limit,
                EvaluationWindowSec: settings.rateLimit.windowSeconds,
              },
            },
          }),
        );
      });

      test('runs the path rules first, then the admin allow-list, then the rate limit, then the managed groups', () => {
        expect(webAclOf(edge).Rules.map((r) => [r.Priority, r.Name])).toEqual(
          [
            'PathDotSegment',
            'AdminPathMismatch',
            'AdminAllowList',
            'RatePerIp',
            ...EDGE_MANAGED_RULE_GROUPS,
          ].map((rule, priority) => [priority, rule]),
        );
        for (const rule of ['PathDotSegment', 'AdminPathMismatch', 'AdminAllowList']) {
          expect(ruleOf(edge, rule).Action).toEqual({ Block: {} });
        }
      });

      test('lets the admin allow-list through the IP sets (admin path AND NOT an allowed IP)', () => {
        const [, notAllowed] = ruleOf(edge, 'AdminAllowList').Statement.AndStatement.Statements;
        const ipSets = Object.entries(edge.findResources('AWS::WAFv2::IPSet'));
        expect(notAllowed.NotStatement.Statement.OrStatement.Statements).toEqual(
          ipSets.map(([id]) => ({
            IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [id, 'Arn'] } },
          })),
        );
      });

      test('holds the admin CIDRs from config in one IP set per IP version', () => {
        const sets = Object.values(edge.findResources('AWS::WAFv2::IPSet')).map(
          (s) => s.Properties,
        );
        const cidrs = settings.adminAllowList.cidrs;
        expect(sets).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Scope: 'CLOUDFRONT',
              IPAddressVersion: 'IPV4',
              Addresses: cidrs.filter((c) => !c.includes(':')),
            }),
            expect.objectContaining({
              Scope: 'CLOUDFRONT',
              IPAddressVersion: 'IPV6',
              Addresses: cidrs.filter((c) => c.includes(':')),
            }),
          ]),
        );
        expect(sets).toHaveLength(2);
      });

      test('is attached to the distribution', () => {
        const [aclId] = Object.keys(edge.findResources('AWS::WAFv2::WebACL'));
        expect(distributionConfig().WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      });
    });

    describe('the load balancer web ACL', () => {
      test('has REGIONAL scope, the common and known-bad-inputs rule groups, and is associated with the load balancer', () => {
        const acl = webAclOf(application);
        expect(acl.Scope).toBe('REGIONAL');
        expect(acl.Rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name)).toEqual([
          ...REGIONAL_MANAGED_RULE_GROUPS,
        ]);
        const [aclId] = Object.keys(application.findResources('AWS::WAFv2::WebACL'));
        const [balancerId] = Object.keys(
          application.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
        );
        application.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
          WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
          ResourceArn: { Ref: balancerId },
        });
      });
    });

    describe.each([
      ['CloudFront', stage.edge, `aws-waf-logs-${name}-edge`],
      ['load balancer', stage.application, `aws-waf-logs-${name}-regional`],
    ])('the %s web ACL logging', (_, stack, logGroupName) => {
      const template = () => templateOf(stack);
      test(`goes to ${logGroupName}, encrypted, kept ${settings.wafLogRetentionDays} days`, () => {
        template().hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: logGroupName,
          RetentionInDays: settings.wafLogRetentionDays,
          KmsKeyId: Match.anyValue(),
        });
      });

      test('redacts the authorization and cookie headers', () => {
        const [aclId] = Object.keys(template().findResources('AWS::WAFv2::WebACL'));
        const [logging] = Object.values(
          template().findResources('AWS::WAFv2::LoggingConfiguration'),
        ).map((r) => r.Properties);
        expect(logging.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
        expect(logging.RedactedFields).toEqual([
          { SingleHeader: { Name: 'authorization' } },
          { SingleHeader: { Name: 'cookie' } },
        ]);
        // The log group ARN without the ":*" suffix, as WAF requires.
        expect(logging.LogDestinationConfigs).toEqual([
          stack.resolve(`arn:aws:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`),
        ]);
      });
    });

    describe('the distribution', () => {
      /** The properties of the policy a behaviour refers to, checking its type. */
      const policy = (type: string, ref: { Ref: string }) => {
        const resource = edge.toJSON().Resources[ref.Ref];
        expect(resource?.Type).toBe(type);
        return resource.Properties;
      };

      test(
        settings.domain
          ? `serves ${settings.domain.names.join(', ')} with ${settings.hostedZone ? 'a certificate it issues in us-east-1' : 'its us-east-1 certificate'} and TLSv1.2_2025`
          : 'serves its cloudfront.net domain over HTTPS',
        () => {
          const config = distributionConfig();
          if (settings.domain) {
            const [certificateId] = Object.keys(
              edge.findResources('AWS::CertificateManager::Certificate'),
            );
            expect(config.Aliases).toEqual(settings.domain.names);
            expect(config.ViewerCertificate).toEqual({
              AcmCertificateArn: settings.domain.certificateArn ?? { Ref: certificateId },
              MinimumProtocolVersion: 'TLSv1.2_2025',
              SslSupportMethod: 'sni-only',
            });
          } else {
            expect(config.Aliases).toBeUndefined();
            expect(config.ViewerCertificate).toBeUndefined();
          }
          expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
          expect(config.PriceClass).toBe(settings.priceClass);
          expect(config.HttpVersion).toBe('http2and3');
        },
      );

      test(`reaches the load balancer only through its VPC origin, ${https ? 'HTTPS only (TLS 1.2)' : 'HTTP inside AWS (no certificate)'}, with no origin header`, () => {
        const [origin] = distributionConfig().Origins;
        expect(origin.CustomOriginConfig).toBeUndefined();
        expect(origin.OriginCustomHeaders).toBeUndefined();
        application.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
          VpcOriginEndpointConfig: Match.objectLike({
            OriginProtocolPolicy: https ? 'https-only' : 'http-only',
            OriginSSLProtocols: ['TLSv1.2'],
          }),
        });
      });

      test('forwards to the web front end only its Next.js headers, its cookies and the query string, cached as its Cache-Control says', () => {
        const web = distributionConfig().DefaultCacheBehavior;
        expect(policy('AWS::CloudFront::OriginRequestPolicy', web.OriginRequestPolicyId)).toEqual({
          OriginRequestPolicyConfig: expect.objectContaining({
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [...WEB_FORWARDED_HEADERS] },
            CookiesConfig: { CookieBehavior: 'all' },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
          }),
        });
        expect(policy('AWS::CloudFront::CachePolicy', web.CachePolicyId)).toEqual({
          CachePolicyConfig: expect.objectContaining({
            DefaultTTL: 0,
            MinTTL: 0,
            ParametersInCacheKeyAndForwardedToOrigin: expect.objectContaining({
              HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Host'] },
              CookiesConfig: { CookieBehavior: 'none' },
              QueryStringsConfig: { QueryStringBehavior: 'all' },
            }),
          }),
        });
        expect(WEB_FORWARDED_HEADERS.length).toBeLessThanOrEqual(10);
      });

      test('forwards to the APIs Host, content negotiation and CORS headers, the bearer token in the key of a one-second cache, no cookies', () => {
        const config = distributionConfig();
        const apiPatterns = ['/v1/api', '/v1/api/*'];
        expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(apiPatterns);
        for (const behaviour of config.CacheBehaviors) {
          expect(behaviour.ViewerProtocolPolicy).toBe('https-only');
          expect(behaviour.AllowedMethods).toContain('POST');
          expect(
            policy('AWS::CloudFront::OriginRequestPolicy', behaviour.OriginRequestPolicyId),
          ).toEqual({
            OriginRequestPolicyConfig: expect.objectContaining({
              HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [...API_FORWARDED_HEADERS] },
              CookiesConfig: { CookieBehavior: 'none' },
              QueryStringsConfig: { QueryStringBehavior: 'all' },
            }),
          });
          expect(policy('AWS::CloudFront::CachePolicy', behaviour.CachePolicyId)).toEqual({
            CachePolicyConfig: expect.objectContaining({
              DefaultTTL: 0,
              MinTTL: 0,
              MaxTTL: 1,
              ParametersInCacheKeyAndForwardedToOrigin: expect.objectContaining({
                HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
                CookiesConfig: { CookieBehavior: 'none' },
              }),
            }),
          });
        }
      });

      test('adds HSTS, nosniff, frame DENY and a referrer policy to every response', () => {
        const [policyId] = Object.keys(
          edge.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
        );
        edge.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
          ResponseHeadersPolicyConfig: Match.objectLike({
            SecurityHeadersConfig: {
              StrictTransportSecurity: {
                AccessControlMaxAgeSec: 31536000,
                IncludeSubdomains: true,
                Override: true,
              },
              ContentTypeOptions: { Override: true },
              FrameOptions: { FrameOption: 'DENY', Override: true },
              ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
            },
          }),
        });
        const config = distributionConfig();
        for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
          expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
        }
      });

      test(`logs access to an encrypted, private S3 bucket kept ${settings.accessLogExpirationDays} days`, () => {
        const [bucketId] = Object.keys(edge.findResources('AWS::S3::Bucket'));
        expect(distributionConfig().Logging).toEqual({
          Bucket: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
          Prefix: 'cloudfront/',
        });
        edge.hasResourceProperties('AWS::S3::Bucket', {
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({ ExpirationInDays: settings.accessLogExpirationDays }),
            ]),
          },
        });
      });
    });

    describe('the alias records', () => {
      test(
        settings.hostedZone
          ? `point A and AAAA records of ${settings.domain?.names.join(', ')} at the distribution`
          : 'are not written without a hosted zone',
        () => {
          const records = Object.values(edge.findResources('AWS::Route53::RecordSet')).map(
            (r) => r.Properties,
          );
          if (!settings.hostedZone) {
            expect(records).toEqual([]);
            return;
          }
          const [distributionId] = Object.keys(edge.findResources('AWS::CloudFront::Distribution'));
          expect(records).toEqual(
            (settings.domain?.names ?? []).flatMap((name) =>
              ['A', 'AAAA'].map((type) => ({
                Name: `${name}.`,
                Type: type,
                HostedZoneId: settings.hostedZone?.hostedZoneId ?? expect.anything(),
                AliasTarget: {
                  DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
                  HostedZoneId: expect.anything(),
                },
              })),
            ),
          );
        },
      );
    });

    describe('the origin-verify secret is gone', () => {
      test('no secret, parameter, listener condition or origin header carries a shared value', () => {
        for (const template of [edge, application]) {
          const text = JSON.stringify(template.toJSON());
          expect(text).not.toMatch(/origin-verify|x-origin-verify|http-header/i);
          template.resourceCountIs('AWS::SecretsManager::Secret', 0);
        }
      });
    });
  },
);

describe('an environment whose hosted zone the platform creates', () => {
  const config = validated(
    changed(developmentConfig('zoned'), (d) => {
      d.edge.domain = { names: ['app.zoned.example.com'] };
      d.edge.hostedZone = { zoneName: 'zoned.example.com' };
    }),
  );
  const stage = new PlatformStage(newTestApp(), 'Zoned', {
    config,
    releases: bootstrapReleases(config),
  });
  const application = Template.fromStack(stage.application);
  const edge = Template.fromStack(stage.edge);
  const zoneFromApplication = {
    'Fn::GetStackOutput': {
      StackName: stage.application.stackName,
      Region: config.region,
      OutputName: expect.stringMatching(/^PublishOutput.*HostedZone/),
    },
  };

  test('creates the zone in the application stack and issues the load balancer certificate there', () => {
    const [zoneId] = Object.keys(application.findResources('AWS::Route53::HostedZone'));
    application.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'app.zoned.example.com',
      DomainValidationOptions: [
        { DomainName: 'app.zoned.example.com', HostedZoneId: { Ref: zoneId } },
      ],
    });
    application.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
    });
  });

  test('issues the distribution certificate in us-east-1 and writes its aliases in the zone, read with Fn::GetStackOutput', () => {
    const [certificate] = Object.values(
      edge.findResources('AWS::CertificateManager::Certificate'),
    ).map((c) => c.Properties);
    expect(certificate.DomainValidationOptions).toEqual([
      { DomainName: 'app.zoned.example.com', HostedZoneId: zoneFromApplication },
    ]);
    const records = Object.values(edge.findResources('AWS::Route53::RecordSet'));
    expect(records.map((r) => r.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record.Properties.HostedZoneId).toEqual(zoneFromApplication);
    }
    edge.resourceCountIs('AWS::Route53::HostedZone', 0);
  });
});

describe.each(['block', 'count'] as const)(
  'an environment with Shield Advanced mitigating by %s',
  (automaticMitigation) => {
    const config = validated(
      changed(developmentConfig('shielded'), (d) => {
        d.edge.shieldAdvanced = { automaticMitigation };
      }),
    );
    const stage = new PlatformStage(newTestApp(), 'Shielded', {
      config,
      releases: bootstrapReleases(config),
    });
    const edge = Template.fromStack(stage.edge);

    test('protects the distribution with automatic application-layer mitigation', () => {
      const [distributionId] = Object.keys(edge.findResources('AWS::CloudFront::Distribution'));
      edge.resourceCountIs('AWS::Shield::Protection', 1);
      edge.hasResourceProperties('AWS::Shield::Protection', {
        Name: 'shielded-distribution',
        ResourceArn: {
          'Fn::Join': [
            '',
            [
              Match.stringLikeRegexp(':cloudfront::$'),
              { Ref: 'AWS::AccountId' },
              ':distribution/',
              { Ref: distributionId },
            ],
          ],
        },
        ApplicationLayerAutomaticResponseConfiguration: {
          Action: { [automaticMitigation === 'block' ? 'Block' : 'Count']: {} },
          Status: 'ENABLED',
        },
      });
    });
  },
);
