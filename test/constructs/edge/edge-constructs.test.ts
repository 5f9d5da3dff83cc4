import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AdminAllowList } from '../../../lib/constructs/edge/admin-allow-list';
import { OriginVerifySecret } from '../../../lib/constructs/edge/origin-verify-secret';
import { PlatformWebAcl } from '../../../lib/constructs/edge/platform-web-acl';
import { rateLimitRule } from '../../../lib/constructs/edge/rate-limit-rule';
import { newTestApp } from '../../helpers/test-app';

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

  describe('OriginVerifySecret', () => {
    const props = {
      secretName: 'dev/edge/origin-verify',
      replicaRegion: 'us-east-1',
      removalPolicy: RemovalPolicy.DESTROY,
    };

    test('fails when its stack has no explicit region', () => {
      expect(() => new OriginVerifySecret(stackIn(), 'Secret', props)).toThrow(
        /^OriginVerifySecret: the stack region \(.+\) and replicaRegion \(us-east-1\) must be explicit regions$/,
      );
    });

    test('fails when the secret name has characters Secrets Manager rejects', () => {
      expect(
        () =>
          new OriginVerifySecret(stackIn('ap-northeast-1'), 'Secret', {
            ...props,
            secretName: 'dev edge',
          }),
      ).toThrow(
        'OriginVerifySecret: secretName "dev edge" is not a Secrets Manager name; allowed: letters, digits and /_+=.@-',
      );
    });

    test('fails when a stack of a third region asks for the value', () => {
      const secret = new OriginVerifySecret(stackIn('ap-northeast-1'), 'Secret', props);
      const elsewhere = new Stack(newTestApp(), 'Elsewhere', { env: { region: 'eu-west-1' } });
      expect(() => secret.valueFor(elsewhere)).toThrow(
        'OriginVerifySecret: no copy of the secret in region eu-west-1; allowed: ap-northeast-1, us-east-1',
      );
      expect(Stack.of(secret).resolve(secret.valueFor(secret).unsafeUnwrap())).toBe(
        '{{resolve:secretsmanager:dev/edge/origin-verify:SecretString:::}}',
      );
    });

    test('replicates nowhere when the distribution lives in the same region', () => {
      const stack = stackIn('us-east-1');
      new OriginVerifySecret(stack, 'Secret', props);
      Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'dev/edge/origin-verify',
        ReplicaRegions: Match.absent(),
      });
    });
  });
});
