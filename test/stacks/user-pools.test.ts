import { Match } from 'aws-cdk-lib/assertions';
import { USER_POOL_MANAGED_RULE_GROUPS } from '../../lib/constructs/identity/user-pool-web-acl';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  "the user pools' front door in %s",
  (name, config) => {
    const { stage, template } = synthesized(name);
    const identity = template(stage.identity);
    const pools = Object.keys(identity.findResources('AWS::Cognito::UserPool'));
    const clients = Object.values(identity.findResources('AWS::Cognito::UserPoolClient')).map(
      (c) => c.Properties,
    );
    const [aclId, acl] = Object.entries(identity.findResources('AWS::WAFv2::WebACL'))[0];

    test('keeps self sign-up off in both pools: only the platform creates users', () => {
      expect(pools).toHaveLength(2);
      for (const pool of Object.values(identity.findResources('AWS::Cognito::UserPool'))) {
        expect(pool.Properties.AdminCreateUserConfig).toEqual(
          expect.objectContaining({ AllowAdminCreateUserOnly: true }),
        );
      }
    });

    test('rotates refresh tokens on every refresh, with a 10 s retry grace, and drops REFRESH_TOKEN_AUTH', () => {
      expect(clients).toHaveLength(2);
      for (const client of clients) {
        expect(client.RefreshTokenRotation).toEqual({
          Feature: 'ENABLED',
          RetryGracePeriodSeconds: 10,
        });
        expect(client.ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
      }
    });

    test('lists what each client may read and write: never writes custom:company_id or email_verified', () => {
      for (const client of clients) {
        expect(client.ReadAttributes).toEqual(['custom:company_id', 'email', 'email_verified']);
        expect(client.WriteAttributes).toEqual(['email']);
      }
    });

    test('puts one REGIONAL web ACL in front of both pools', () => {
      expect(acl.Properties.Scope).toBe('REGIONAL');
      const associations = Object.values(
        identity.findResources('AWS::WAFv2::WebACLAssociation'),
      ).map((a) => a.Properties);
      expect(associations).toEqual(
        expect.arrayContaining(
          pools.map((pool) => ({
            ResourceArn: { 'Fn::GetAtt': [pool, 'Arn'] },
            WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
          })),
        ),
      );
      expect(associations).toHaveLength(2);
    });

    test(`blocks an IP above ${config.identity.rateLimit.limit} requests per ${config.identity.rateLimit.windowSeconds} s, then runs IP reputation and the common rule set (no ATP)`, () => {
      const rules = acl.Properties.Rules as any[];
      expect(rules.map((r) => r.Name)).toEqual(['RatePerIp', ...USER_POOL_MANAGED_RULE_GROUPS]);
      expect(rules[0]).toEqual(
        expect.objectContaining({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: config.identity.rateLimit.limit,
              EvaluationWindowSec: config.identity.rateLimit.windowSeconds,
            },
          },
        }),
      );
      expect(JSON.stringify(rules)).not.toContain('AWSManagedRulesATPRuleSet');
    });

    test(`logs to an encrypted aws-waf-logs-${name}-user-pools, credentials redacted`, () => {
      identity.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `aws-waf-logs-${name}-user-pools`,
        RetentionInDays: config.edge.wafLogRetentionDays,
        KmsKeyId: Match.anyValue(),
      });
      identity.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
        RedactedFields: [
          { SingleHeader: { Name: 'authorization' } },
          { SingleHeader: { Name: 'cookie' } },
        ],
      });
    });
  },
);
