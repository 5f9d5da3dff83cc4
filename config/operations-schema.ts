import { z } from 'zod';
import { boundedWholeNumber, problem, reportDuplicates } from './rules';

/**
 * An AWS Chatbot (Amazon Q Developer in chat applications) Slack channel that
 * receives the notifications topics. The patterns are those of
 * AWS::Chatbot::SlackChannelConfiguration.
 */
const slackChannelSchema = z.strictObject({
  /**
   * The Slack workspace (team) ID authorised once in the AWS Chatbot console,
   * e.g. `T0123ABCD`: uppercase letters and digits.
   * See https://docs.aws.amazon.com/chatbot/latest/adminguide/slack-setup.html
   */
  workspaceId: z
    .string()
    .regex(/^[0-9A-Z]{1,255}$/, 'is not a Slack workspace ID such as "T0123ABCD"'),
  /** The channel ID (Slack: channel details, bottom), e.g. `C0123ABCD`: letters and digits. */
  channelId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,256}$/, 'is not a Slack channel ID such as "C0123ABCD"'),
});

/**
 * Who receives the environment's operational notifications: every alarm
 * (ALARM and OK), GuardDuty findings, budget alerts and failed deployments.
 * At least one e-mail address or a Slack channel: an alarm nobody receives is
 * a defect.
 */
const notificationsSchema = z
  .strictObject({
    /**
     * E-mail addresses subscribed to the notifications topics (the region's
     * and the us-east-1 edge topic); each recipient confirms each subscription
     * once. Each address at most once.
     * @default - no e-mail subscription (then `slack` is required)
     */
    emails: z
      .array(z.email('is not an e-mail address'))
      .superRefine((emails, ctx) => reportDuplicates(emails, ctx, []))
      .optional(),
    /**
     * Slack channel (AWS Chatbot) subscribed to the notifications topics.
     * @default - no Slack channel (then `emails` is required)
     */
    slack: slackChannelSchema.optional(),
  })
  .superRefine((notifications, ctx) => {
    if ((notifications.emails ?? []).length === 0 && !notifications.slack) {
      problem(
        ctx,
        [],
        'names no recipient, so alarms, findings and budget alerts would reach no one; allowed: at least one address in emails, or a slack channel',
      );
    }
  });

/** A percentage threshold: above 0, at most 100. */
const percent = z
  .number()
  .gt(0, 'is not above 0; allowed: a percentage above 0, at most 100')
  .max(100, 'is above 100; allowed: a percentage above 0, at most 100');

/**
 * Cognito waits 5 s for a trigger, then fails the request.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
const COGNITO_TRIGGER_LIMIT_MS = 5000;

/**
 * The PostgreSQL `max_connections` ceiling Aurora accepts.
 * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Managing.html
 */
const MAX_CONNECTIONS = 262_143;

/**
 * SQS keeps a message at most 14 days, so an older message cannot exist.
 * See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
const MAX_MESSAGE_AGE_MINUTES = 14 * 24 * 60;

/**
 * The thresholds of the watched signals (the alarms of `lib/constructs/operations/alarms/`).
 * Every key is required here; an environment's `operations.alarmThresholds`
 * overrides some of them and the tier (`TIER_POLICIES`) supplies the rest.
 */
export const alarmThresholdsSchema = z.strictObject({
  /**
   * 5xx responses the load balancer generated itself (no healthy target,
   * target unreachable or timed out), as a percentage of its requests,
   * evaluated each minute: above 0, at most 100.
   */
  loadBalancer5xxPercent: percent,
  /** 5xx responses of a routed service's targets, as a percentage of its requests: above 0, at most 100. */
  target5xxPercent: percent,
  /**
   * Requests per minute below which the 5xx rates are not evaluated (one
   * error in two requests is not an outage): 1-100000.
   */
  minimumRequestsPerMinute: boundedWholeNumber(1, 100_000),
  /** The p99 of a routed service's target response time, in milliseconds: 10-60000. */
  targetResponseTimeP99Ms: boundedWholeNumber(10, 60_000, ' ms'),
  /** Minutes a target group may keep an unhealthy target before it alarms: 1-60. */
  unhealthyTargetMinutes: boundedWholeNumber(1, 60, ' minutes'),
  /**
   * Connections the load balancer rejected in five minutes (it had reached
   * its maximum number of connections) at which it alarms: 1-100000.
   */
  rejectedConnections: boundedWholeNumber(1, 100_000),
  /** A service's average CPU utilisation over ten minutes: above 0, at most 100. */
  serviceCpuPercent: percent,
  /** A service's average memory utilisation over ten minutes: above 0, at most 100. */
  serviceMemoryPercent: percent,
  /** Minutes a service may run fewer tasks than desired before it alarms: 1-60. */
  tasksBelowDesiredMinutes: boundedWholeNumber(1, 60, ' minutes'),
  /** The database's highest instance CPU utilisation over ten minutes: above 0, at most 100. */
  databaseCpuPercent: percent,
  /**
   * Connections to the busiest database instance at which it alarms: about
   * 80% of its `max_connections` (`SHOW max_connections;`), which Aurora
   * Serverless v2 derives from the capacity range: 1-262143.
   * See https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
   */
  databaseConnections: boundedWholeNumber(1, MAX_CONNECTIONS),
  /**
   * Freeable memory of a database instance below which it alarms, in MiB
   * (for Serverless v2, the memory left at the maximum capacity): 1-262144.
   */
  databaseFreeableMemoryMiB: boundedWholeNumber(1, 262_144, ' MiB'),
  /**
   * Capacity used, as a percentage of the configured maximum ACUs, at which
   * the database alarms for ten minutes (it cannot scale further): above 0, at most 100.
   */
  databaseAcuPercent: percent,
  /** Replica lag of the slowest reader, in milliseconds (only with readers): 1-3600000. */
  databaseReplicaLagMs: boundedWholeNumber(1, 3_600_000, ' ms'),
  /** Age of the oldest message of a work queue, in minutes: 1-20160 (SQS keeps messages 14 days). */
  queueOldestMessageMinutes: boundedWholeNumber(1, MAX_MESSAGE_AGE_MINUTES, ' minutes'),
  /**
   * The p99 duration of a Cognito trigger, in milliseconds, below Cognito's
   * 5 s limit (above it, sign-ups and sign-ins fail): 100-4999.
   */
  triggerDurationP99Ms: boundedWholeNumber(100, COGNITO_TRIGGER_LIMIT_MS - 1, ' ms'),
  /** CloudFront responses with a 5xx status, as a percentage of its requests: above 0, at most 100. */
  cloudFront5xxPercent: percent,
  /**
   * Width of the band of normal WAF blocked requests, in standard deviations
   * of the learned pattern; more blocks than the band's top alarm (for
   * information: an attack, or a rule blocking real users): 1-10.
   * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html
   */
  wafBlockedStdDevs: z
    .number()
    .min(1, 'is below 1; allowed: 1-10 standard deviations')
    .max(10, 'is above 10; allowed: 1-10 standard deviations'),
  /**
   * DNS queries DNS Firewall blocked in five minutes at which it alarms: a
   * task resolving a malware or command-and-control domain may be
   * compromised, so production alarms on the first: 1-100000.
   */
  dnsFirewallBlockedQueries: boundedWholeNumber(1, 100_000),
  /**
   * Packets Network Firewall dropped in five minutes (when
   * `network.networkFirewall` is on): the default action drops what no allowed
   * domain matches, so a drop is a call to an unlisted domain, and production
   * alarms on the first: 1-100000.
   */
  networkFirewallDroppedPackets: boundedWholeNumber(1, 100_000),
});

/** The environment's operations: where the runbooks are, who is told, and the alarm thresholds. */
export const operationsSchema = z.strictObject({
  /**
   * The URL of `docs/runbooks/` as people open it (e.g. the repository's
   * page on GitHub): every alarm description ends with
   * `Runbook: <runbookBaseUrl>/<family>.md`. An https:// URL without a
   * trailing "/".
   */
  runbookBaseUrl: z
    .string()
    .regex(
      /^https:\/\/[^\s/]+(\/[^\s/]+)*$/,
      'is not an https:// URL without a trailing "/", such as "https://github.com/<owner>/<repository>/blob/main/docs/runbooks"',
    ),
  /** Who is told: e-mail addresses and an optional Slack channel. */
  notifications: notificationsSchema,
  /**
   * Thresholds that differ from the tier's (`TIER_POLICIES[tier].alarmThresholds`);
   * any subset of the keys of `alarmThresholdsSchema`.
   * @default - the tier's thresholds
   */
  alarmThresholds: alarmThresholdsSchema.partial().optional(),
});

/** The alarm thresholds, every key set. */
export type AlarmThresholds = z.output<typeof alarmThresholdsSchema>;
