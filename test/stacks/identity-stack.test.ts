import { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { bootstrapReleases } from '../../config';
import { IConstruct } from 'constructs';
import { AuroraDatabase } from '../../lib/constructs/identity/aurora-database';
import { DATABASE_SHELL_LIFETIME } from '../../lib/constructs/identity/database-shell';
import { MIGRATION_TIMEOUT } from '../../lib/constructs/identity/schema-migration';
import { ROTATION_TIMEOUT } from '../../lib/constructs/identity/secret-rotation-function';
import { EXCLUDED_PASSWORD_CHARACTERS } from '../../lambda/shared/rotation-contract';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { pinnedImage, PINS } from '../../lib/pins';
import { changed, developmentConfig, peeredDatabase, validated } from '../helpers/config-builder';
import { grantsOf, resourcesGranted, roleOfFunction } from '../helpers/iam-grants';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

/** Whether a template value equals `expected` (which may hold asymmetric matchers). */
function matches(value: unknown, expected: unknown): boolean {
  try {
    expect(value).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'identity stack of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const stack = stage.identity;
    const template = templateOf(stack);
    const triggerSecret = stack.identity.databaseRoles.role('identity-triggers').secret.node
      .defaultChild as CfnElement;
    const logicalIdOf = (construct: IConstruct) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    const production = config.tier === 'production';
    // Every secret rotation of the stack: each role's and, for a managed database, the master's.
    const rotations = [
      ...stack.identity.databaseRoles.all.map((role) => ({
        secret: role.secret,
        rotation: role.rotation,
        strategy: 'alternating-users',
      })),
      ...(stack.identity.database instanceof AuroraDatabase
        ? [
            {
              secret: stack.identity.database.secret,
              rotation: stack.identity.database.rotation,
              strategy: 'single-user',
            },
          ]
        : []),
    ];
    const pools = () => Object.values(template.findResources('AWS::Cognito::UserPool'));

    /** The HTTPS egress of the group described as `description`: CIDRs and groups it sends 443 to. */
    const httpsEgressOf = (description: string) => {
      const groups = template.findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: description },
      });
      const [[groupId, group]] = Object.entries(groups);
      const inline = (group.Properties.SecurityGroupEgress ?? [])
        .filter((rule: { FromPort: number }) => rule.FromPort === 443)
        .map((rule: { CidrIp: string }) => rule.CidrIp);
      const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
        .filter(
          (rule) =>
            rule.Properties.GroupId['Fn::GetAtt']?.[0] === groupId &&
            rule.Properties.FromPort === 443,
        )
        .map((rule) => rule.Properties.DestinationSecurityGroupId);
      return [...inline, ...separate];
    };
    /** The network stack's interface-endpoint group, as this stack imports it. */
    const endpointGroup = () => ({
      'Fn::GetStackOutput': expect.objectContaining({
        StackName: stage.network.stackName,
        OutputName: expect.stringContaining('EndpointsSecurityGroup'),
      }),
    });

    test.each([
      ['the Cognito triggers', 'Cognito trigger Lambdas', ['secretsmanager', 'sns']],
      ['the schema migration', 'Schema migration function', ['secretsmanager']],
    ] as const)(
      "sends %s's HTTPS to the interface endpoints when the VPC has every one it calls, through NAT otherwise",
      (_, description, apis) => {
        const private_ = apis.every((api) => config.network.interfaceEndpoints.includes(api));
        expect(httpsEgressOf(description)).toEqual(private_ ? [endpointGroup()] : ['0.0.0.0/0']);
      },
    );

    test('has a product and a console user pool, MFA optional and required, TOTP only', () => {
      expect(pools()).toHaveLength(2);
      const mfa = pools().map((pool) => pool.Properties.MfaConfiguration);
      expect(mfa.sort()).toEqual(['ON', 'OPTIONAL']);
      for (const pool of pools()) {
        expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
      }
    });

    test('enforces a 12-character password with every character class', () => {
      for (const pool of pools()) {
        expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        });
      }
    });

    test('signs in as configured, case-insensitively, with recovery by verified email only', () => {
      // email only: email is the user name; login ID (+ email): the user name, email as alias.
      const signInProperties = (signIn: string) =>
        signIn === 'email'
          ? { UsernameAttributes: ['email'], AliasAttributes: undefined }
          : {
              UsernameAttributes: undefined,
              AliasAttributes: signIn === 'login-id' ? undefined : ['email'],
            };
      for (const [mfa, pool] of [
        ['OPTIONAL', config.identity.productPool],
        ['ON', config.identity.consolePool],
      ] as const) {
        const found = Object.values(
          template.findResources('AWS::Cognito::UserPool', {
            Properties: { MfaConfiguration: mfa },
          }),
        )[0];
        const { UsernameAttributes, AliasAttributes } = found.Properties;
        expect({ UsernameAttributes, AliasAttributes }).toEqual(signInProperties(pool.signIn));
        expect(found.Properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
        expect(found.Properties.AccountRecoverySetting).toEqual({
          RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
        });
      }
    });

    test(`uses threat protection ${config.identity.threatProtection} on the Plus plan`, () => {
      for (const pool of pools()) {
        expect(pool.Properties.UserPoolTier).toBe('PLUS');
        expect(pool.Properties.UserPoolAddOns).toEqual({
          AdvancedSecurityMode:
            config.identity.threatProtection === 'full-function' ? 'ENFORCED' : 'AUDIT',
        });
      }
    });

    test(`is ${production ? '' : 'not '}protected from deletion and retained`, () => {
      for (const [, pool] of Object.entries(template.findResources('AWS::Cognito::UserPool'))) {
        expect(pool.Properties.DeletionProtection).toBe(production ? 'ACTIVE' : 'INACTIVE');
        expect(pool.DeletionPolicy).toBe(config.removalPolicy === 'destroy' ? 'Delete' : 'Retain');
      }
    });

    test('wires the three triggers, pre token generation as version 2', () => {
      for (const pool of pools()) {
        expect(pool.Properties.LambdaConfig).toEqual({
          PreSignUp: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
          PostConfirmation: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
          PreTokenGenerationConfig: {
            LambdaArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
            LambdaVersion: 'V2_0',
          },
        });
      }
      const functions = pools().flatMap((pool) => [
        pool.Properties.LambdaConfig.PreSignUp['Fn::GetAtt'][0],
        pool.Properties.LambdaConfig.PostConfirmation['Fn::GetAtt'][0],
        pool.Properties.LambdaConfig.PreTokenGenerationConfig.LambdaArn['Fn::GetAtt'][0],
      ]);
      expect(new Set(functions).size).toBe(6);
    });

    test('runs the triggers on Node.js 24, ARM64, within 5 s, in the VPC, minified with source maps', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { USER_POOL_KIND: Match.anyValue() } } },
      });
      expect(Object.keys(functions)).toHaveLength(6);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Timeout: 5,
          VpcConfig: { SubnetIds: expect.any(Array), SecurityGroupIds: [expect.anything()] },
        });
        expect(fn.Properties.Environment.Variables).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
          DB_CA_FILE: '/var/runtime/ca-cert.pem',
          DB_SECRET_ARN: { Ref: stack.getLogicalId(triggerSecret) },
        });
      }
    });

    test('gives the lifecycle topic and sns:Publish to post confirmation and pre token generation only', () => {
      for (const kind of ['product', 'console'] as const) {
        for (const [handler, trigger] of Object.entries(stage.identity.triggers[kind])) {
          const publishes = handler !== 'pre-sign-up';
          const fnId = stack.getLogicalId(trigger.function.node.defaultChild as CfnElement);
          const role = roleOfFunction(template, fnId);
          const topics = resourcesGranted(template, role, 'sns:Publish');
          expect(topics).toEqual(
            publishes ? [{ Ref: expect.stringMatching(/^LifecycleTopic/) }] : [],
          );
          const variables =
            template.findResources('AWS::Lambda::Function')[fnId].Properties.Environment.Variables;
          expect('LIFECYCLE_TOPIC_ARN' in variables).toBe(publishes);
        }
      }
    });

    test("lets every trigger read its database role's secret and no other secret", () => {
      const triggerRoles = Object.values(stage.identity.triggers).flatMap((byHandler) =>
        Object.values(byHandler).map((trigger) =>
          roleOfFunction(
            template,
            stack.getLogicalId(trigger.function.node.defaultChild as CfnElement),
          ),
        ),
      );
      expect(triggerRoles).toHaveLength(6);
      for (const role of triggerRoles) {
        expect(resourcesGranted(template, role, 'secretsmanager:GetSecretValue')).toEqual([
          { Ref: stack.getLogicalId(triggerSecret) },
        ]);
      }
    });

    test('gives each trigger and the migration a log group with retention and an error alarm', () => {
      const withRetention = template.findResources('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: config.identity.triggerLogRetentionDays },
      });
      // The user pools' web ACL logs have their own retention setting (edge.wafLogRetentionDays).
      const triggerLogs = Object.values(withRetention).filter(
        (group) => !String(group.Properties.LogGroupName).startsWith('aws-waf-logs-'),
      );
      // Six triggers, the migration, the secret rotations and, for a managed database, the
      // exported PostgreSQL log.
      expect(triggerLogs).toHaveLength(
        7 + rotations.length + (config.database.mode === 'managed' ? 1 : 0),
      );
      template.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 },
        7 + rotations.length,
      );
    });

    describe('schema migration', () => {
      const migration = stack.migration;
      const triggerId = logicalIdOf(migration.trigger);
      const functionId = logicalIdOf(migration.function);

      test('runs after the database and before both user pools', () => {
        const trigger = template.findResources('Custom::Trigger')[triggerId];
        const database =
          config.database.mode === 'managed'
            ? ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance']
            : ['AWS::EC2::VPCPeeringConnection', 'AWS::EC2::SecurityGroupIngress'];
        for (const type of database) {
          for (const id of Object.keys(template.findResources(type))) {
            expect(trigger.DependsOn).toContain(id);
          }
        }
        for (const pool of Object.values(template.findResources('AWS::Cognito::UserPool'))) {
          expect(pool.DependsOn).toContain(triggerId);
        }
      });

      test('re-runs whenever the function changes: its current version is the trigger handler', () => {
        template.hasResourceProperties('Custom::Trigger', {
          HandlerArn: { Ref: Match.stringLikeRegexp('^SchemaMigrationFunctionCurrentVersion') },
          ExecuteOnHandlerChange: true,
          InvocationType: 'RequestResponse',
          Timeout: String(MIGRATION_TIMEOUT.toMilliseconds()),
        });
      });

      test('runs Node.js 24 in the private subnets with its own security group, timeout and memory', () => {
        const fn = template.findResources('AWS::Lambda::Function')[functionId];
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Timeout: MIGRATION_TIMEOUT.toSeconds(),
          MemorySize: 256,
          VpcConfig: {
            SecurityGroupIds: [{ 'Fn::GetAtt': [logicalIdOf(migration.securityGroup), 'GroupId'] }],
          },
        });
        // DB_ROLES names every role with its access (the secret ARNs are references).
        const roles = JSON.stringify(fn.Properties.Environment.Variables.DB_ROLES);
        for (const role of stack.identity.databaseRoles.all) {
          expect(roles).toContain(
            `\\"role\\":\\"${role.roleName}\\",\\"access\\":\\"${role.access}\\"`,
          );
        }
      });

      test('logs to a KMS-encrypted log group with retention', () => {
        const fn = template.findResources('AWS::Lambda::Function')[functionId];
        const logGroup =
          template.findResources('AWS::Logs::LogGroup')[fn.Properties.LoggingConfig.LogGroup.Ref];
        expect(logGroup.Properties).toMatchObject({
          RetentionInDays: config.identity.triggerLogRetentionDays,
          KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
        });
      });

      test('is the only reader of the master secret besides the rotations', () => {
        const master =
          config.database.mode === 'managed'
            ? { Ref: expect.stringMatching(/^DatabaseClusterSecretAttachment/) }
            : config.database.secretArn;
        const readers = grantsOf(template)
          .filter((grant) => grant.actions.includes('secretsmanager:GetSecretValue'))
          .filter((grant) => grant.resources.some((resource) => matches(resource, master)))
          .flatMap((grant) => grant.holders);
        // The rotations of the roles' secrets log in as the master; the master's rotates it.
        const rotationRoles = rotations.map(({ rotation }) =>
          roleOfFunction(template, logicalIdOf(rotation.function)),
        );
        expect([...new Set(readers)].sort()).toEqual(
          [roleOfFunction(template, functionId), ...rotationRoles].sort(),
        );
      });
    });

    describe('database roles', () => {
      test.each(stack.identity.databaseRoles.all.map((role) => [role.roleName, role] as const))(
        '%s has a generated, KMS-encrypted secret, rotated by its own alternating-users function after the migration, registered as /<env>/database/<name>',
        (_name, role) => {
          const secretId = logicalIdOf(role.secret);
          const secret = template.findResources('AWS::SecretsManager::Secret')[secretId];
          expect(secret.Properties).toMatchObject({
            KmsKeyId: expect.anything(),
            GenerateSecretString: { GenerateStringKey: 'password', PasswordLength: 32 },
          });
          const [schedule] = Object.values(
            template.findResources('AWS::SecretsManager::RotationSchedule', {
              Properties: { SecretId: { Ref: secretId } },
            }),
          );
          expect(schedule.Properties.RotationRules).toEqual({
            ScheduleExpression: `rate(${config.database.secretRotationDays} days)`,
          });
          // The rotation function is the role's own, alternating users.
          expect(schedule.Properties.RotationLambdaARN).toEqual({
            'Fn::GetAtt': [logicalIdOf(role.rotation.function), 'Arn'],
          });
          const fn =
            template.findResources('AWS::Lambda::Function')[logicalIdOf(role.rotation.function)];
          expect(fn.Properties.Environment.Variables.ROTATION_STRATEGY).toBe('alternating-users');
          // Its first rotation waits for the migration that creates the role.
          expect(schedule.DependsOn).toContain(logicalIdOf(stack.migration.trigger));
          expect(schedule.Properties.RotateImmediatelyOnUpdate).toBe(false);
          template.hasResourceProperties('AWS::SSM::Parameter', {
            Name: `/${config.name}/database/${role.roleName.replace(/_/g, '-')}`,
            Value: { Ref: secretId },
          });
        },
      );
    });

    describe('secret rotations', () => {
      test('are functions of the stack, no serverless application', () => {
        template.resourceCountIs('AWS::Serverless::Application', 0);
        expect(template.toJSON().Transform).toBeUndefined();
        expect(rotations.length).toBe(stack.identity.databaseRoles.all.length + 1);
      });

      describe.each(rotations.map((r) => [r.rotation.node.path, r] as const))(
        '%s',
        (_path, { secret, rotation, strategy }) => {
          const functionId = logicalIdOf(rotation.function);
          const role = roleOfFunction(template, functionId);
          const secretRef = { Ref: stack.getLogicalId(secret.node.defaultChild as CfnElement) };
          const fn = () => template.findResources('AWS::Lambda::Function')[functionId];

          test(`runs Node.js 24 in the private subnets, ${strategy}, and logs to a KMS-encrypted group`, () => {
            expect(fn().Properties).toMatchObject({
              Runtime: 'nodejs24.x',
              Architectures: ['arm64'],
              Timeout: ROTATION_TIMEOUT.toSeconds(),
              VpcConfig: { SubnetIds: expect.any(Array), SecurityGroupIds: expect.any(Array) },
              Environment: {
                Variables: expect.objectContaining({
                  ROTATION_STRATEGY: strategy,
                  EXCLUDE_CHARACTERS: EXCLUDED_PASSWORD_CHARACTERS,
                  DB_CA_FILE: '/var/runtime/ca-cert.pem',
                }),
              },
            });
            const logGroup =
              template.findResources('AWS::Logs::LogGroup')[
                fn().Properties.LoggingConfig.LogGroup.Ref
              ];
            expect(logGroup.Properties.KmsKeyId).toEqual({
              'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'],
            });
          });

          test('its role carries the permissions boundary', () => {
            const iamRole = template.findResources('AWS::IAM::Role')[role];
            expect(JSON.stringify(iamRole.Properties.PermissionsBoundary)).toMatch(
              new RegExp(`:policy/${name}-permissions-boundary"`),
            );
          });

          test('may write its own secret only, and read only it and (for a role) the master secret', () => {
            for (const action of [
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ]) {
              expect(resourcesGranted(template, role, action)).toEqual([secretRef]);
            }
            const master =
              config.database.mode === 'managed'
                ? { Ref: expect.stringMatching(/^DatabaseClusterSecretAttachment/) }
                : config.database.secretArn;
            for (const action of [
              'secretsmanager:GetSecretValue',
              'secretsmanager:DescribeSecret',
            ]) {
              expect(resourcesGranted(template, role, action)).toEqual(
                strategy === 'single-user' ? [secretRef] : [secretRef, master],
              );
            }
            // No other secret of the stack, and nothing but GetRandomPassword on "*".
            for (const grant of grantsOf(template).filter((g) => g.holders.includes(role))) {
              if (grant.resources.includes('*')) {
                expect(grant.actions.filter((a) => !a.startsWith('ec2:'))).toEqual([
                  'secretsmanager:GetRandomPassword',
                ]);
              }
            }
          });

          test("uses the secret's key only through Secrets Manager, for that secret", () => {
            const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter(
              (policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role),
            );
            const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
            const own = statements.find(
              (st: any) => st.Condition?.StringEquals?.['kms:EncryptionContext:SecretARN'],
            );
            expect(own).toMatchObject({
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Condition: {
                StringEquals: {
                  'kms:EncryptionContext:SecretARN': secretRef,
                  'kms:ViaService': expect.anything(),
                },
              },
            });
          });

          test('Secrets Manager may invoke it for this secret of this account only', () => {
            const permissions = Object.values(
              template.findResources('AWS::Lambda::Permission', {
                Properties: { FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] } },
              }),
            );
            expect(permissions.map((p) => p.Properties)).toEqual([
              {
                Action: 'lambda:InvokeFunction',
                FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
                Principal: 'secretsmanager.amazonaws.com',
                SourceAccount: { Ref: 'AWS::AccountId' },
                SourceArn: secretRef,
              },
            ]);
          });

          test(`rotates every ${config.database.secretRotationDays} days, the first time on the schedule`, () => {
            const [[scheduleId, schedule]] = Object.entries(
              template.findResources('AWS::SecretsManager::RotationSchedule', {
                Properties: { RotationLambdaARN: { 'Fn::GetAtt': [functionId, 'Arn'] } },
              }),
            );
            // The path, so the logical ID, addRotationSchedule gave it (the secret's
            // `RotationSchedule`): moving to the function updates the schedule in place.
            expect(scheduleId).toBe(
              stack.getLogicalId(
                secret.node.findChild('RotationSchedule').node.defaultChild as CfnElement,
              ),
            );
            expect(scheduleId).toMatch(
              /^(DatabaseRoles\w+SecretRotationSchedule|DatabaseClusterSecretAttachmentRotationSchedule)/,
            );
            expect(schedule.Properties).toEqual({
              SecretId: secretRef,
              RotationLambdaARN: { 'Fn::GetAtt': [functionId, 'Arn'] },
              RotationRules: {
                ScheduleExpression: `rate(${config.database.secretRotationDays} days)`,
              },
              RotateImmediatelyOnUpdate: false,
            });
          });

          test('raises an alarm on any failed step, with the secret-rotation runbook', () => {
            const [alarm] = Object.values(
              template.findResources('AWS::CloudWatch::Alarm', {
                Properties: {
                  MetricName: 'Errors',
                  Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
                },
              }),
            );
            expect(alarm.Properties).toMatchObject({
              Threshold: 1,
              ComparisonOperator: 'GreaterThanOrEqualToThreshold',
              TreatMissingData: 'notBreaching',
            });
            expect(JSON.stringify(alarm.Properties.AlarmDescription)).toContain(
              'secret-rotation.md',
            );
          });
        },
      );
    });

    test('has an authorization-code client per pool, without secret or implicit flow', () => {
      const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
      expect(clients).toHaveLength(2);
      const urls = [config.identity.productPool, config.identity.consolePool].map(
        (pool) => pool.callbackUrls,
      );
      for (const client of clients) {
        expect(client.Properties).toMatchObject({
          GenerateSecret: false,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthFlowsUserPoolClient: true,
          PreventUserExistenceErrors: 'ENABLED',
          EnableTokenRevocation: true,
          IdTokenValidity: config.identity.tokenValidity.idTokenMinutes,
          AccessTokenValidity: config.identity.tokenValidity.accessTokenMinutes,
          RefreshTokenValidity: config.identity.tokenValidity.refreshTokenDays * 24 * 60,
        });
        expect(urls).toContainEqual(client.Properties.CallbackURLs);
      }
    });

    test('has a resource server with API scopes and a domain per pool', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 2);
      template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        Identifier: config.identity.apiIdentifier,
        Scopes: Match.arrayWith([Match.objectLike({ ScopeName: 'admin.write' })]),
      });
      for (const pool of [config.identity.productPool, config.identity.consolePool]) {
        template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
          Domain: pool.domainPrefix,
        });
      }
    });

    test('has the lifecycle topic, a subscribed queue with a DLQ, and an alarm on DLQ depth', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        RawMessageDelivery: true,
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
      });
    });

    if (config.database.mode === 'managed') {
      const db = config.database;
      test('has an encrypted Aurora PostgreSQL Serverless v2 cluster in the isolated subnets', () => {
        template.hasResourceProperties('AWS::RDS::DBCluster', {
          Engine: 'aurora-postgresql',
          StorageEncrypted: true,
          KmsKeyId: Match.anyValue(),
          EnableIAMDatabaseAuthentication: true,
          DeletionProtection: production,
          ServerlessV2ScalingConfiguration: {
            MinCapacity: db.minCapacity,
            MaxCapacity: db.maxCapacity,
          },
          BackupRetentionPeriod: db.backupRetentionDays,
        });
        template.resourceCountIs('AWS::RDS::DBInstance', 1 + db.readers);
        const subnetGroup = Object.values(template.findResources('AWS::RDS::DBSubnetGroup'))[0];
        const isolated = stage.network.network.vpc.isolatedSubnets.map((subnet) => subnet.subnetId);
        expect(subnetGroup.Properties.SubnetIds).toEqual(stage.identity.resolve(isolated));
      });

      const extendedSupport = config.tier !== 'development';
      test(`runs the pinned engine, never upgraded unasked, ${extendedSupport ? 'with' : 'without'} RDS Extended Support`, () => {
        template.hasResourceProperties('AWS::RDS::DBCluster', {
          EngineVersion: PINS.auroraPostgresEngine.value,
          AutoMinorVersionUpgrade: false,
          EngineLifecycleSupport: extendedSupport
            ? 'open-source-rds-extended-support'
            : 'open-source-rds-extended-support-disabled',
        });
        template.allResourcesProperties('AWS::RDS::DBInstance', { AutoMinorVersionUpgrade: false });
      });

      test('requires TLS and rotates the secret', () => {
        template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
          Parameters: { 'rds.force_ssl': '1' },
        });
        template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
          RotationRules: { ScheduleExpression: `rate(${db.secretRotationDays} days)` },
        });
      });

      test(`removes the cluster with policy ${production ? 'snapshot or retain' : config.removalPolicy}`, () => {
        const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
        const expected = { destroy: 'Delete', retain: 'Retain', snapshot: 'Snapshot' }[
          config.removalPolicy
        ];
        expect(cluster.DeletionPolicy).toBe(expected);
      });

      const monitoringSeconds = { development: undefined, staging: 60, production: 60 }[
        config.tier
      ];
      test(`${monitoringSeconds === undefined ? 'has no' : `samples every ${monitoringSeconds} s with`} enhanced monitoring`, () => {
        const roles = template.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [
                Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } }),
              ],
            },
          },
        });
        if (monitoringSeconds === undefined) {
          expect(roles).toEqual({});
          template.allResourcesProperties('AWS::RDS::DBInstance', {
            MonitoringInterval: Match.absent(),
            MonitoringRoleArn: Match.absent(),
          });
          return;
        }
        const [roleId, role] = Object.entries(roles)[0];
        expect(Object.keys(roles)).toHaveLength(1);
        expect(role.Properties.ManagedPolicyArns).toEqual([
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
              ],
            ],
          },
        ]);
        expect(role.Properties.PermissionsBoundary).toEqual(
          expect.stringMatching(new RegExp(`:policy/${name}-permissions-boundary$`)),
        );
        template.allResourcesProperties('AWS::RDS::DBInstance', {
          MonitoringInterval: monitoringSeconds,
          MonitoringRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        });
      });

      const backupPlanDays = { development: undefined, staging: 14, production: 35 }[config.tier];
      if (backupPlanDays === undefined) {
        test('has no AWS Backup plan, vault or selection', () => {
          template.resourceCountIs('AWS::Backup::BackupPlan', 0);
          template.resourceCountIs('AWS::Backup::BackupVault', 0);
          template.resourceCountIs('AWS::Backup::BackupSelection', 0);
        });
      } else {
        test(`backs the cluster up daily with AWS Backup, kept ${backupPlanDays} days in a vault under the database's key`, () => {
          const keyId = logicalIdOf(
            stack.node.findChild('Database').node.findChild('Key') as IConstruct,
          );
          const vaults = template.findResources('AWS::Backup::BackupVault');
          expect(Object.keys(vaults)).toHaveLength(1);
          const [vaultId, vault] = Object.entries(vaults)[0];
          expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
          expect(vault.DeletionPolicy).toBe(
            config.removalPolicy === 'destroy' ? 'Delete' : 'Retain',
          );
          template.resourceCountIs('AWS::Backup::BackupPlan', 1);
          template.hasResourceProperties('AWS::Backup::BackupPlan', {
            BackupPlan: {
              BackupPlanName: `${name}-identity`,
              BackupPlanRule: [
                {
                  RuleName: 'Daily',
                  ScheduleExpression: 'cron(0 3 * * ? *)',
                  Lifecycle: { DeleteAfterDays: backupPlanDays },
                  TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
                },
              ],
            },
          });
        });

        test('selects the cluster, with a backup role under the permissions boundary', () => {
          const clusterId = Object.keys(template.findResources('AWS::RDS::DBCluster'))[0];
          const selections = Object.values(template.findResources('AWS::Backup::BackupSelection'));
          expect(selections).toHaveLength(1);
          const selection = selections[0].Properties.BackupSelection;
          expect(selection.Resources).toEqual([
            { 'Fn::Join': ['', [expect.stringMatching(/:cluster:$/), { Ref: clusterId }]] },
          ]);
          const roleId = selection.IamRoleArn['Fn::GetAtt'][0];
          const role = template.toJSON().Resources[roleId];
          expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
            expect.objectContaining({ Principal: { Service: 'backup.amazonaws.com' } }),
          ]);
          expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(
            ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
          );
          expect(role.Properties.PermissionsBoundary).toEqual(
            expect.stringMatching(new RegExp(`:policy/${name}-permissions-boundary$`)),
          );
        });
      }

      test('opens the database port to the triggers, the migration and the rotations only', () => {
        const clusterGroup = /^DatabaseClusterSecurityGroup/;
        const sources = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
          .filter((rule) => clusterGroup.test(rule.Properties.GroupId['Fn::GetAtt'][0]))
          .map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]);
        expect(sources.sort()).toEqual([
          expect.stringMatching(/^DatabaseRolesRotationSecurityGroup/),
          expect.stringMatching(/^DatabaseRotationSecurityGroup/),
          expect.stringMatching(/^SchemaMigrationSecurityGroup/),
          expect.stringMatching(/^TriggerSecurityGroup/),
        ]);
        const groups = template.findResources('AWS::EC2::SecurityGroup');
        const cluster = Object.entries(groups).find(([id]) => clusterGroup.test(id))![1];
        expect(cluster.Properties.SecurityGroupIngress).toBeUndefined();
      });
    }
  },
);

describe('identity stack with an existing database in a peered VPC', () => {
  const config = validated(
    changed(developmentConfig('peered'), (d) => {
      d.database = peeredDatabase();
    }),
  );
  const stage = new PlatformStage(newTestApp(), 'Peered', {
    config,
    releases: bootstrapReleases(config),
  });
  const template = Template.fromStack(stage.identity);
  const peer = peeredDatabase();

  test('creates no database, only the peering connection to the database VPC', () => {
    template.resourceCountIs('AWS::RDS::DBCluster', 0);
    template.hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerVpcId: peer.vpcId });
  });

  test('routes the private subnets to the database VPC and the database VPC back', () => {
    template.resourcePropertiesCountIs(
      'AWS::EC2::Route',
      { DestinationCidrBlock: peer.vpcCidr, VpcPeeringConnectionId: Match.anyValue() },
      config.network.azCount,
    );
    template.hasResourceProperties('AWS::EC2::Route', {
      RouteTableId: peer.routeTableIds[0],
      VpcPeeringConnectionId: Match.anyValue(),
    });
  });

  test("opens the database's port in its security group to the triggers, the migration and the role rotations only, after peering", () => {
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: peer.securityGroupId },
    });
    const rules = Object.values(ingress);
    expect(
      rules.map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort(),
    ).toEqual([
      expect.stringMatching(/^DatabaseRolesRotationSecurityGroup/),
      expect.stringMatching(/^SchemaMigrationSecurityGroup/),
      expect.stringMatching(/^TriggerSecurityGroup/),
    ]);
    for (const rule of rules) {
      expect(rule.Properties).toMatchObject({ FromPort: peer.port, ToPort: peer.port });
      expect(rule.DependsOn).toEqual([expect.stringMatching(/Peering/)]);
    }
  });

  test('points the triggers at the configured endpoint with their role secret, the migration at the master secret', () => {
    const variables = Match.objectLike({
      DB_HOST: peer.endpoint,
      DB_PORT: String(peer.port),
      DB_NAME: peer.databaseName,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DB_SECRET_ARN: { Ref: Match.stringLikeRegexp('^DatabaseRolesIdentityTriggersSecret') },
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: variables },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DB_MASTER_SECRET_ARN: peer.secretArn }) },
    });
  });

  test('encrypts the role secrets with a key of its own and rotates them with the master secret', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: "Encrypts the secrets of the peered identity database's roles",
      EnableKeyRotation: true,
    });
    template.resourceCountIs('AWS::Serverless::Application', 0);
    // One alternating-users function per role, which reads the peered master secret; the
    // master secret itself is the database owner's to rotate.
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: {
        Environment: { Variables: Match.objectLike({ ROTATION_STRATEGY: Match.anyValue() }) },
      },
    });
    const roles = stage.identity.identity.databaseRoles.all;
    expect(Object.keys(functions)).toHaveLength(roles.length);
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties.Environment.Variables.ROTATION_STRATEGY).toBe('alternating-users');
      const role = roleOfFunction(template, id);
      expect(resourcesGranted(template, role, 'secretsmanager:GetSecretValue')).toContainEqual(
        peer.secretArn,
      );
      expect(
        JSON.stringify(
          template.findResources('AWS::IAM::Role')[role].Properties.PermissionsBoundary,
        ),
      ).toContain(':policy/peered-permissions-boundary');
    }
  });
});

describe('identity stack with operator access to the database', () => {
  const config = validated(
    changed(developmentConfig(), (d) => {
      d.database.operatorAccess = true;
    }),
  );
  const stage = new PlatformStage(newTestApp(), 'Operated', {
    config,
    releases: bootstrapReleases(config),
  });
  const stack = stage.identity;
  const template = Template.fromStack(stack);
  const shell = stack.databaseShell!;
  const idOf = (construct: IConstruct) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const operator = stack.identity.databaseRoles.role('operator');

  test('has a read-only operator role whose secret is /<env>/database/operator', () => {
    expect(operator).toMatchObject({ roleName: 'operator', access: 'read-only' });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/${config.name}/database/operator`,
      Value: { Ref: idOf(operator.secret) },
    });
  });

  test('runs nothing while idle: a task definition that stops by itself, no service', () => {
    template.resourceCountIs('AWS::ECS::Service', 0);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: `${config.name}-database-shell`,
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Image: pinnedImage(PINS.databaseShellImage),
          Command: ['sleep', String(DATABASE_SHELL_LIFETIME.toSeconds())],
          Environment: Match.absent(),
          Secrets: Match.absent(),
        }),
      ],
    });
  });

  test("reaches the database's port and HTTPS only, and admits nothing", () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('database shell') },
    });
    const [[groupId, group]] = Object.entries(groups);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
    ]);
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).filter(
      (rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === groupId,
    );
    expect(egress.map((rule) => rule.Properties.DestinationSecurityGroupId)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseClusterSecurityGroup/), 'GroupId'] },
    ]);
  });

  test('gives operators a policy to start a shell, forward a port and read the operator secret, nothing more', () => {
    const policyId = idOf(shell.accessPolicy);
    const policy = template.findResources('AWS::IAM::ManagedPolicy')[policyId];
    expect(policy.Properties.ManagedPolicyName).toBe(`${config.name}-database-shell-access`);
    expect(policy.Properties.Roles).toBeUndefined();
    const actions = grantsOf(template)
      .filter((grant) => grant.holders.includes(policyId))
      .flatMap((grant) => grant.actions)
      .sort();
    expect(actions).toEqual([
      'ecs:DescribeTasks',
      'ecs:RunTask',
      'ecs:StopTask',
      'iam:PassRole',
      'kms:Decrypt',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'ssm:GetParameter',
      'ssm:StartSession',
      'ssm:TerminateSession',
    ]);
    expect(resourcesGranted(template, policyId, 'secretsmanager:GetSecretValue')).toEqual([
      { Ref: idOf(operator.secret) },
    ]);
    expect(JSON.stringify(resourcesGranted(template, policyId, 'ssm:StartSession'))).toContain(
      ':document/AWS-StartPortForwardingSessionToRemoteHost',
    );
  });

  test('publishes the run-task input as /<env>/database/shell-run-task', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/${config.name}/database/shell-run-task`,
      Value: Match.anyValue(),
    });
  });
});

describe('identity stack without operator access (the default)', () => {
  const { stage } = synthesized(shippedEnvironments[0].name);
  test('has no database shell, task or operator role', () => {
    expect(stage.identity.databaseShell).toBeUndefined();
    expect(stage.identity.identity.databaseRoles.all.map((role) => role.roleName)).not.toContain(
      'operator',
    );
    Template.fromStack(stage.identity).resourceCountIs('AWS::ECS::TaskDefinition', 0);
  });
});
