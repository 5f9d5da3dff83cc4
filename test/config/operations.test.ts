import { TIER_POLICIES } from '../../config';
import {
  baselineOwner,
  changed,
  ConfigCase,
  developmentConfig,
  problemsOf,
  productionConfig,
  validated,
} from '../helpers/config-builder';

const dev = developmentConfig;

describe('operations configuration', () => {
  describe('accepts', () => {
    test('a Slack channel without e-mail addresses', () => {
      const env = changed(developmentConfig(), (d) => {
        d.operations.notifications = {
          slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' },
        };
      });
      expect(validated(env).operations.notifications.slack?.channelId).toBe('C0123ABCD');
    });

    test("the tier's alarm thresholds, with the environment's overrides on top", () => {
      const env = changed(productionConfig(), (d) => {
        d.operations.alarmThresholds = { target5xxPercent: 5, databaseConnections: 900 };
      });
      expect(validated(env).derived.alarmThresholds).toEqual({
        ...TIER_POLICIES.production.alarmThresholds,
        target5xxPercent: 5,
        databaseConnections: 900,
      });
      expect(validated(developmentConfig()).derived.alarmThresholds).toEqual(
        TIER_POLICIES.development.alarmThresholds,
      );
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test.each<ConfigCase>([
      [
        'the environment notifies nobody',
        dev,
        (d) => (d.operations.notifications = { emails: [] }),
        [
          'dev.operations.notifications: {"emails":[]} names no recipient, so alarms, findings and budget alerts would reach no one; allowed: at least one address in emails, or a slack channel',
        ],
      ],
      [
        'a notification e-mail address is malformed or listed twice',
        dev,
        (d) => (d.operations.notifications.emails = ['ops@example.com', 'ops', 'ops@example.com']),
        [
          'dev.operations.notifications.emails.1: "ops" is not an e-mail address',
          'dev.operations.notifications.emails.2: "ops@example.com" is listed twice',
        ],
      ],
      [
        'the Slack workspace or channel ID is malformed',
        dev,
        (d) =>
          (d.operations.notifications.slack = { workspaceId: 't0123abcd', channelId: '#alerts' }),
        [
          'dev.operations.notifications.slack.workspaceId: "t0123abcd" is not a Slack workspace ID such as "T0123ABCD"',
          'dev.operations.notifications.slack.channelId: "#alerts" is not a Slack channel ID such as "C0123ABCD"',
        ],
      ],
      [
        'the Slack channel is still set on the security baseline, where it used to be',
        () => baselineOwner(developmentConfig()),
        (d) => (d.securityBaseline.slack = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' }),
        [
          'dev.securityBaseline.slack: is not a known setting (check the spelling in config/schema.ts)',
        ],
      ],
      ...[
        'http://github.com/o/r/blob/main/docs/runbooks',
        'https://github.com/o/r/docs/runbooks/',
      ].map((url): ConfigCase => [
        `the runbook URL is not https without a trailing "/": ${url}`,
        dev,
        (d) => (d.operations.runbookBaseUrl = url),
        [
          `dev.operations.runbookBaseUrl: ${JSON.stringify(url)} is not an https:// URL without a trailing "/", such as "https://github.com/<owner>/<repository>/blob/main/docs/runbooks"`,
        ],
      ]),
      [
        'a percentage threshold is 0 or above 100',
        dev,
        (d) => (d.operations.alarmThresholds = { target5xxPercent: 0, serviceCpuPercent: 120 }),
        [
          'dev.operations.alarmThresholds.target5xxPercent: 0 is not above 0; allowed: a percentage above 0, at most 100',
          'dev.operations.alarmThresholds.serviceCpuPercent: 120 is above 100; allowed: a percentage above 0, at most 100',
        ],
      ],
      [
        "the trigger duration threshold reaches Cognito's 5 s limit",
        dev,
        (d) => (d.operations.alarmThresholds = { triggerDurationP99Ms: 5000 }),
        [
          'dev.operations.alarmThresholds.triggerDurationP99Ms: 5000 is above 4999; allowed: 100-4999 ms',
        ],
      ],
      [
        'a minutes threshold is not a whole number or out of range',
        dev,
        (d) =>
          (d.operations.alarmThresholds = {
            tasksBelowDesiredMinutes: 2.5,
            queueOldestMessageMinutes: 30000,
          }),
        [
          'dev.operations.alarmThresholds.tasksBelowDesiredMinutes: 2.5 is not a whole number; allowed: 1-60 minutes',
          'dev.operations.alarmThresholds.queueOldestMessageMinutes: 30000 is above 20160; allowed: 1-20160 minutes',
        ],
      ],
      [
        'the WAF band is narrower than one standard deviation',
        dev,
        (d) => (d.operations.alarmThresholds = { wafBlockedStdDevs: 0.5 }),
        [
          'dev.operations.alarmThresholds.wafBlockedStdDevs: 0.5 is below 1; allowed: 1-10 standard deviations',
        ],
      ],
      [
        'an alarm threshold is misspelt',
        dev,
        (d) => (d.operations.alarmThresholds = { target5xxPercentage: 2 }),
        [
          'dev.operations.alarmThresholds.target5xxPercentage: is not a known setting (check the spelling in config/schema.ts)',
        ],
      ],
    ])('fails when %s', (_description, base, change, problems) => {
      expect(problemsOf(changed(base(), change))).toEqual(problems);
    });
  });
});
