import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGIONAL_MANAGED_RULE_GROUPS } from '../../lib/stacks/application-stack';
import { EDGE_MANAGED_RULE_GROUPS } from '../../lib/stacks/edge-stack';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

/** Managed policy IDs. See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const USE_ORIGIN_CACHE_CONTROL_HEADERS_QUERY_STRINGS = '4cc15a8a-d715-48a4-82b8-cc0b614638fe';
const ALL_VIEWER = '216adef6-5c7f-47e4-b989-5492eafa07d3';

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
    const https = config.application.certificateArn !== undefined;
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

      test('deploys after the application stack and reads the load balancer with Fn::GetStackOutput (no export lock, no custom resource)', () => {
        expect(stage.edge.dependencies).toContain(stage.application);
        const [origin] = distributionConfig().Origins;
        expect(origin.DomainName).toEqual({
          'Fn::GetStackOutput': {
            StackName: stage.application.stackName,
            Region: config.region,
            OutputName: expect.stringMatching(/^PublishOutput.*LoadBalancer.*DNSName/),
          },
        });
        for (const template of [edge, application]) {
          // No export for a Fn::ImportValue to lock, no cross-region export custom resource.
          expect(template.findOutputs('*', { Export: Match.anyValue() })).toEqual({});
          template.resourceCountIs('Custom::CrossRegionExportWriter', 0);
          template.resourceCountIs('Custom::CrossRegionExportReader', 0);
          template.resourceCountIs('AWS::Lambda::Function', 0);
        }
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

      test('blocks admin paths unless the client IP is in the allow-list (path match AND NOT ip set), first', () => {
        const rule = ruleOf(edge, 'AdminAllowList');
        expect(rule.Priority).toBe(0);
        expect(rule.Action).toEqual({ Block: {} });
        const [path, notAllowed] = rule.Statement.AndStatement.Statements;
        const pathMatches = path.OrStatement?.Statements ?? [path];
        expect(pathMatches.map((m: any) => m.ByteMatchStatement)).toEqual(
          settings.adminAllowList.pathPrefixes.map((prefix) =>
            expect.objectContaining({
              FieldToMatch: { UriPath: {} },
              PositionalConstraint: 'STARTS_WITH',
              SearchString: prefix,
              TextTransformations: expect.arrayContaining([
                expect.objectContaining({ Type: 'URL_DECODE' }),
                expect.objectContaining({ Type: 'NORMALIZE_PATH' }),
                expect.objectContaining({ Type: 'LOWERCASE' }),
              ]),
            }),
          ),
        );
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
      test(
        settings.domain
          ? `serves ${settings.domain.names.join(', ')} with its us-east-1 certificate and TLS 1.2`
          : 'serves its cloudfront.net domain over HTTPS',
        () => {
          const config = distributionConfig();
          if (settings.domain) {
            expect(config.Aliases).toEqual(settings.domain.names);
            expect(config.ViewerCertificate).toEqual({
              AcmCertificateArn: settings.domain.certificateArn,
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

      test(`reaches the load balancer over ${https ? 'HTTPS (TLS 1.2)' : 'HTTP (no certificate)'} with the origin header from Secrets Manager`, () => {
        const [origin] = distributionConfig().Origins;
        expect(origin.CustomOriginConfig).toEqual({
          OriginProtocolPolicy: https ? 'https-only' : 'http-only',
          OriginSSLProtocols: ['TLSv1.2'],
        });
        expect(origin.OriginCustomHeaders).toEqual([
          {
            HeaderName: 'x-origin-verify',
            HeaderValue: `{{resolve:secretsmanager:${name}/edge/origin-verify:SecretString:::}}`,
          },
        ]);
      });

      test('never caches the API prefixes and forwards every viewer header, cookie and query string', () => {
        const config = distributionConfig();
        const apiPatterns = ['/v1/api', '/v1/api/*'];
        expect(config.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(apiPatterns);
        for (const behaviour of config.CacheBehaviors) {
          expect(behaviour).toEqual(
            expect.objectContaining({
              CachePolicyId: CACHING_DISABLED,
              OriginRequestPolicyId: ALL_VIEWER,
              ViewerProtocolPolicy: 'https-only',
            }),
          );
          expect(behaviour.AllowedMethods).toContain('POST');
        }
        expect(config.DefaultCacheBehavior).toEqual(
          expect.objectContaining({
            CachePolicyId: USE_ORIGIN_CACHE_CONTROL_HEADERS_QUERY_STRINGS,
            OriginRequestPolicyId: ALL_VIEWER,
          }),
        );
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

    describe('the origin-verify secret', () => {
      test('is generated by Secrets Manager and replicated to us-east-1', () => {
        application.hasResourceProperties('AWS::SecretsManager::Secret', {
          Name: `${name}/edge/origin-verify`,
          GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }),
          ReplicaRegions: [{ Region: 'us-east-1' }],
        });
        for (const secret of Object.values(
          application.findResources('AWS::SecretsManager::Secret'),
        )) {
          expect(secret.Properties.SecretString).toBeUndefined();
        }
      });

      test('is published to the pipeline as an SSM parameter holding its ARN', () => {
        const [secretId] = Object.keys(application.findResources('AWS::SecretsManager::Secret'));
        application.hasResourceProperties('AWS::SSM::Parameter', {
          Name: `/${name}/edge/origin-verify-secret-arn`,
          Type: 'String',
          Value: { Ref: secretId },
        });
      });
    });
  },
);
