import { Match, Template } from 'aws-cdk-lib/assertions';
import { bootstrapReleases } from '../../config';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { PINS } from '../../lib/pins';
import { changed, developmentConfig, peeredDatabase, validated } from '../helpers/config-builder';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'identity stack of %s',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const template = templateOf(stage.identity);
    const production = config.tier === 'production';
    const pools = () => Object.values(template.findResources('AWS::Cognito::UserPool'));

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
          DB_SECRET_ARN: expect.anything(),
          LIFECYCLE_TOPIC_ARN: expect.anything(),
        });
      }
    });

    test('gives each trigger a log group with retention and an error alarm', () => {
      const withRetention = template.findResources('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: config.identity.triggerLogRetentionDays },
      });
      // The user pools' web ACL logs have their own retention setting (edge.wafLogRetentionDays).
      const triggerLogs = Object.values(withRetention).filter(
        (group) => !String(group.Properties.LogGroupName).startsWith('aws-waf-logs-'),
      );
      expect(triggerLogs).toHaveLength(6 + (config.database.mode === 'managed' ? 1 : 0));
      template.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 },
        6,
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

      test('opens the database port to the triggers and the rotation Lambda only', () => {
        const clusterGroup = /^DatabaseClusterSecurityGroup/;
        const sources = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
          .filter((rule) => clusterGroup.test(rule.Properties.GroupId['Fn::GetAtt'][0]))
          .map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]);
        expect(sources.sort()).toEqual([
          expect.stringMatching(/RotationSingleUserSecurityGroup/),
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

  test("opens the database's port in its security group to the triggers only, after peering", () => {
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: peer.securityGroupId },
    });
    const rules = Object.values(ingress);
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties).toMatchObject({ FromPort: peer.port, ToPort: peer.port });
    expect(rules[0].DependsOn).toEqual([expect.stringMatching(/Peering/)]);
  });

  test('points the triggers at the configured endpoint and secret', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DB_HOST: peer.endpoint,
          DB_PORT: String(peer.port),
          DB_NAME: peer.databaseName,
          DB_SECRET_ARN: peer.secretArn,
        }),
      },
    });
  });
});
