import { Match } from 'aws-cdk-lib/assertions';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'operations stack of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const template = templateOf(stage.operations);

    test('has one notifications topic encrypted with a rotating customer-managed key', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: {
          'Fn::GetAtt': [Match.stringLikeRegexp('MonitoringNotificationsKey'), 'Arn'],
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('accepts publishing over TLS only, from EventBridge, CloudWatch and Budgets of its own account', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: {
                Service: [
                  'budgets.amazonaws.com',
                  'cloudwatch.amazonaws.com',
                  'events.amazonaws.com',
                ],
              },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Principal: {
                Service: [
                  'budgets.amazonaws.com',
                  'cloudwatch.amazonaws.com',
                  'events.amazonaws.com',
                ],
              },
            }),
          ]),
        },
      });
    });

    test('subscribes exactly the configured e-mail addresses', () => {
      const emails = Object.values(template.findResources('AWS::SNS::Subscription')).map(
        (subscription) => subscription.Properties.Endpoint,
      );
      expect(emails).toEqual(config.operations.notifications.emails ?? []);
    });

    const { slack } = config.operations.notifications;
    test(`${slack ? 'subscribes the configured' : 'has no'} Slack channel, which may only read CloudWatch`, () => {
      const channels = Object.values(
        template.findResources('AWS::Chatbot::SlackChannelConfiguration'),
      );
      expect(
        channels.map((c) => [
          c.Properties.ConfigurationName,
          c.Properties.SlackWorkspaceId,
          c.Properties.SlackChannelId,
        ]),
      ).toEqual(
        slack ? [[`${name}-platform-notifications`, slack.workspaceId, slack.channelId]] : [],
      );
      for (const channel of channels) {
        expect(JSON.stringify(channel.Properties.SnsTopicArns)).toMatch(
          /MonitoringNotificationsTopic/,
        );
        expect(JSON.stringify(channel.Properties.GuardrailPolicies)).toMatch(
          /:iam::aws:policy\/CloudWatchReadOnlyAccess/,
        );
      }
    });

    test('holds no dashboard: the dashboard stack, deployed last, graphs the other stacks', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      templateOf(stage.dashboard).hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: `${name}-platform`,
      });
    });

    test('publishes the topic and boundary ARNs as plain /<env>/ parameters, next to registered secrets', () => {
      const databaseRoles = stage.identity.identity.databaseRoles.all.map((role) =>
        role.roleName.replace(/_/g, '-'),
      );
      expect(
        stage.operations.operations.parameters.entries.map((e) => [e.parameterName, e.kind]),
      ).toEqual([
        ...databaseRoles.sort().map((role) => [`/${name}/database/${role}`, 'secret-arn']),
        [`/${name}/notifications-topic-arn`, 'plain'],
        [`/${name}/permissions-boundary-arn`, 'plain'],
      ]);
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/${name}/notifications-topic-arn`,
        Value: { Ref: Match.stringLikeRegexp('MonitoringNotificationsTopic') },
      });
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/${name}/permissions-boundary-arn`,
        Value: { Ref: Match.stringLikeRegexp('PermissionsBoundaryPolicy') },
      });
    });

    test('is deployed before the other stacks of the environment', () => {
      expect(stage.operations.dependencies).toEqual([]);
      expect(stage.network.dependencies).toContain(stage.operations);
    });
  },
);
