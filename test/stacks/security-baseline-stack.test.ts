import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GUARDDUTY_FEATURES } from '../../lib/constructs/security/guardduty-detector';
import { addPlatform } from '../../lib/platform-app';
import { SecurityBaselineStack } from '../../lib/stacks/security-baseline-stack';
import { baselineOwner, changed, developmentConfig, validated } from '../helpers/config-builder';
import { stacksOf } from '../helpers/stage-checks';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

const SEVERITY = { low: 1, medium: 4, high: 7, critical: 9 } as const;

describe('security baseline in the shipped environments', () => {
  test('exactly one GuardDuty detector per account and region, across all stacks', () => {
    const detectors = new Map<string, number>();
    for (const config of shippedEnvironments) {
      const key = `${config.account ?? '(CLI account)'}/${config.region ?? '(CLI region)'}`;
      const { stage, template } = synthesized(config.name);
      const count = stacksOf(stage)
        .map(
          (stack) => Object.keys(template(stack).findResources('AWS::GuardDuty::Detector')).length,
        )
        .reduce((a, b) => a + b, 0);
      detectors.set(key, (detectors.get(key) ?? 0) + count);
    }
    expect([...detectors.values()]).toEqual(shippedEnvironments.map(() => 1));
  });

  test('is deployed only by environments that own the baseline', () => {
    for (const config of shippedEnvironments) {
      expect(synthesized(config.name).stage.securityBaseline !== undefined).toBe(
        config.ownsSecurityBaseline,
      );
    }
  });
});

const owners = shippedEnvironments.filter((config) => config.ownsSecurityBaseline);

describe.each(owners.map((config) => [config.name, config] as const))(
  'security baseline stack of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const template = templateOf(stage.securityBaseline!);
    const baseline = config.securityBaseline!;
    /** The notifications topic's ARN as this stack reads it from the operations stack. */
    const notificationsTopicArn = () =>
      stage.securityBaseline!.resolve(stage.operations.operations.notificationsTopic.topicArn);

    test('has a GuardDuty detector with the platform features and the configured frequency', () => {
      template.hasResourceProperties('AWS::GuardDuty::Detector', {
        Enable: true,
        FindingPublishingFrequency: baseline.findingPublishingFrequency,
        Features: [
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [
              { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
              { Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' },
              { Name: 'EC2_AGENT_MANAGEMENT', Status: 'DISABLED' },
            ],
          },
          { Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' },
          { Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' },
          { Name: 'EKS_AUDIT_LOGS', Status: 'DISABLED' },
        ],
      });
      // The legacy DataSources block must not be mixed with Features.
      const [detector] = Object.values(template.findResources('AWS::GuardDuty::Detector'));
      expect(detector.Properties.DataSources).toBeUndefined();
      expect(GUARDDUTY_FEATURES.filter((f) => f.status === 'ENABLED')).toHaveLength(5);
    });

    test('sends findings at or above the configured severity to the notifications topic', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Finding'],
          detail: { severity: [{ numeric: ['>=', SEVERITY[baseline.minimumFindingSeverity]] }] },
        },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: notificationsTopicArn() })],
      });
    });

    test('enables Security Hub with the Foundational Security Best Practices standard only', () => {
      template.hasResourceProperties('AWS::SecurityHub::Hub', {
        EnableDefaultStandards: false,
        ControlFindingGenerator: 'SECURITY_CONTROL',
      });
      template.resourceCountIs('AWS::SecurityHub::Standard', 1);
      template.hasResourceProperties('AWS::SecurityHub::Standard', {
        StandardsArn: Match.stringLikeRegexp(
          ':standards/aws-foundational-security-best-practices/v/1\\.0\\.0$',
        ),
      });
    });

    test('has a multi-region CloudTrail trail with file validation, KMS and CloudWatch Logs', () => {
      template.hasResourceProperties('AWS::CloudTrail::Trail', {
        TrailName: `${name}-audit`,
        IsLogging: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CloudTrailKey'), 'Arn'] },
        CloudWatchLogsLogGroupArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('CloudTrailLogGroup'), 'Arn'],
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: baseline.cloudTrail.logRetentionDays,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CloudTrailKey'), 'Arn'] },
      });
    });

    test('archives to a KMS-encrypted, private, access-logged bucket with a lifecycle', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('CloudTrailKey'), 'Arn'] },
              },
            }),
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('CloudTrailAccessLogs') },
        },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              ExpirationInDays: baseline.cloudTrail.archiveRetentionDays,
              Status: 'Enabled',
            }),
          ],
        },
      });
      const [archive] = Object.entries(template.findResources('AWS::S3::Bucket'))
        .filter(
          ([id, bucket]) => id.startsWith('CloudTrail') && bucket.Properties.LoggingConfiguration,
        )
        .map(([, bucket]) => bucket);
      expect(archive.Properties.LifecycleConfiguration.Rules[0].Transitions).toEqual(
        baseline.cloudTrail.archiveRetentionDays > 90
          ? [{ StorageClass: 'GLACIER', TransitionInDays: 90 }]
          : undefined,
      );
      // The trail's and AWS Config's archives and access-log buckets.
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
      expect(policies).toHaveLength(4);
      for (const policy of policies) {
        expect(policy.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        );
      }
    });

    test('locks the archive where the environment configures Object Lock, and only there', () => {
      const archives = Object.entries(template.findResources('AWS::S3::Bucket'))
        .filter(([id]) => id.startsWith('CloudTrailArchive'))
        .map(([, bucket]) => bucket.Properties);
      expect(archives).toHaveLength(1);
      const [archive] = archives;
      const lock = baseline.cloudTrail.objectLock;
      expect(archive.ObjectLockEnabled).toBe(lock ? true : undefined);
      expect(archive.ObjectLockConfiguration).toEqual(
        lock && {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: lock.mode, Days: lock.retentionDays } },
        },
      );
      // Object Lock needs versioning, and the access-log target must not be locked.
      expect(archive.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const accessLogs = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) =>
        id.startsWith('CloudTrailAccessLogs'),
      );
      expect(accessLogs.map(([, bucket]) => bucket.Properties.ObjectLockEnabled)).toEqual([
        undefined,
      ]);
    });

    test('locks the production archive in compliance mode for a year', () => {
      if (config.tier === 'production') {
        expect(baseline.cloudTrail.objectLock).toEqual({ mode: 'COMPLIANCE', retentionDays: 365 });
      } else {
        expect(baseline.cloudTrail.objectLock).toBeUndefined();
      }
    });

    test('retains the audit evidence whatever the removal policy', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
        for (const resource of Object.values(template.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Retain');
        }
      }
    });

    test('lets CloudTrail use the key only for this trail', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'CloudTrailEncryptsThisTrailsLogs',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'kms:GenerateDataKey*',
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceArn': Match.anyValue() },
              }),
            }),
          ]),
        },
      });
    });

    test('records every supported resource type continuously, global types as configured', () => {
      template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
      template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
        RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AwsConfigRole'), 'Arn'] },
        RecordingGroup: {
          AllSupported: true,
          IncludeGlobalResourceTypes: baseline.awsConfig.recordGlobalResourceTypes,
        },
        RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'config.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole'],
            ],
          },
        ],
      });
    });

    test('creates the delivery channel after the recorder, its role and policy, and the archive', () => {
      const [channel] = Object.values(template.findResources('AWS::Config::DeliveryChannel'));
      expect(channel.DependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^AwsConfigRecorder/),
          expect.stringMatching(/^AwsConfigRoleDefaultPolicy/),
          expect.stringMatching(/^AwsConfigArchiveBucketPolicy/),
        ]),
      );
    });

    test('delivers AWS Config history daily to its own KMS-encrypted, versioned, access-logged archive', () => {
      template.hasResourceProperties('AWS::Config::DeliveryChannel', {
        S3BucketName: { Ref: Match.stringLikeRegexp('^AwsConfigArchiveBucket') },
        S3KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AwsConfigKey'), 'Arn'] },
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
      });
      const days = baseline.awsConfig.archiveRetentionDays;
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AwsConfigKey'), 'Arn'] },
              },
            }),
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^AwsConfigArchiveAccessLogs') },
        },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              ExpirationInDays: days,
              NoncurrentVersionExpiration: { NoncurrentDays: days },
            }),
          ],
        },
      });
    });

    test('lets the AWS Config role write only under its own prefix of the archive', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^AwsConfigRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'DeliverToTheArchive',
              Action: 's3:PutObject',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^AwsConfigArchiveBucket'), 'Arn'] },
                    '/AWSLogs/',
                    { Ref: 'AWS::AccountId' },
                    '/Config/*',
                  ],
                ],
              },
            }),
          ]),
        },
      });
    });

    test('enables Macie with the configured frequency and turns on automated sensitive data discovery', () => {
      template.hasResourceProperties('AWS::Macie::Session', {
        Status: 'ENABLED',
        FindingPublishingFrequency: baseline.findingPublishingFrequency,
      });
      const [discovery] = Object.values(template.findResources('Custom::MacieAutomatedDiscovery'));
      const create = JSON.parse(discovery.Properties.Create);
      expect(create).toMatchObject({
        service: 'Macie2',
        action: 'updateAutomatedDiscoveryConfiguration',
        parameters: { status: 'ENABLED' },
      });
      expect(discovery.DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^MacieSession/)]),
      );
    });

    test('sends Macie findings at or above the configured severity to the notifications topic', () => {
      const score = { low: 1, medium: 2, high: 3, critical: 3 }[baseline.minimumFindingSeverity];
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.macie'],
          'detail-type': ['Macie Finding'],
          detail: { severity: { score: [{ numeric: ['>=', score] }] } },
        },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: notificationsTopicArn() })],
      });
    });

    test('has a monthly cost budget alerting the notifications topic', () => {
      template.hasResourceProperties('AWS::Budgets::Budget', {
        Budget: {
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: baseline.budget.monthlyLimit, Unit: baseline.budget.currency },
        },
        NotificationsWithSubscribers: [
          {
            Notification: {
              NotificationType: 'ACTUAL',
              ComparisonOperator: 'GREATER_THAN',
              Threshold: baseline.budget.alertThresholdPercent,
              ThresholdType: 'PERCENTAGE',
            },
            Subscribers: [{ SubscriptionType: 'SNS', Address: Match.anyValue() }],
          },
        ],
      });
    });

    test('has no Slack channel of its own: the notifications topic carries findings and budget alerts to it', () => {
      template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    });

    test('is deployed after the operations stack', () => {
      expect(stage.securityBaseline!.dependencies).toContain(stage.operations);
    });
  },
);

describe('security baseline modes', () => {
  function baselineTemplate(settings: unknown): Template {
    const [stage] = addPlatform(newTestApp(), [validated(settings)]);
    return Template.fromStack(stage.securityBaseline as Stack);
  }

  test('adopt creates no detector, Security Hub, trail, AWS Config recorder or Macie, but still wires findings and budget', () => {
    const template = baselineTemplate(
      changed(baselineOwner(developmentConfig()), (d) => {
        d.securityBaseline.mode = 'adopt';
      }),
    );
    for (const type of [
      'AWS::GuardDuty::Detector',
      'AWS::SecurityHub::Hub',
      'AWS::SecurityHub::Standard',
      'AWS::CloudTrail::Trail',
      'AWS::Config::ConfigurationRecorder',
      'AWS::Config::DeliveryChannel',
      'AWS::Macie::Session',
      'Custom::MacieAutomatedDiscovery',
      'AWS::S3::Bucket',
    ]) {
      template.resourceCountIs(type, 0);
    }
    // GuardDuty's and Macie's findings.
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.resourceCountIs('AWS::Budgets::Budget', 1);
  });

  test('fails when built for an environment that does not own the baseline', () => {
    const app = newTestApp();
    const [stage] = addPlatform(app, [validated(developmentConfig())]);
    expect(
      () =>
        new SecurityBaselineStack(stage, 'Stray', {
          config: validated(developmentConfig()),
          notificationsTopic: stage.operations.operations.notificationsTopic,
        }),
    ).toThrow(
      'SecurityBaselineStack Stray: config dev does not own the security baseline (ownsSecurityBaseline with securityBaseline settings)',
    );
  });

  test('an environment that does not own the baseline has no baseline stack', () => {
    const [stage] = addPlatform(newTestApp(), [validated(developmentConfig())]);
    expect(stage.securityBaseline).toBeUndefined();
    expect(stacksOf(stage).map((stack) => stack.node.id)).not.toContain('SecurityBaseline');
  });
});
