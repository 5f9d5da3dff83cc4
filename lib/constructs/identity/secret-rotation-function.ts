import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import {
  EXCLUDED_PASSWORD_CHARACTERS,
  ROTATION_ENVIRONMENT,
  RotationStrategy,
} from '../../../lambda/shared/rotation-contract';
import { acknowledgeFindings, nist } from '../../compliance/acknowledge';
import { FunctionErrorAlarm } from '../operations/alarms/function-error-alarm';
import { PlatformAlarm } from '../operations/platform-alarm';
import { handlerCode } from './handler-bundle';
import { addVpcHandlerFunction } from './vpc-handler-function';
import { LAMBDA_CA_BUNDLE } from './user-pool-with-triggers';

/**
 * How long one step may take: connecting to a paused Aurora Serverless v2
 * instance (it resumes first; the handler waits up to 60 s per connection)
 * and a setSecret that logs in up to three times.
 */
export const ROTATION_TIMEOUT = Duration.minutes(5);

/** Properties of {@link SecretRotationFunction}. */
export interface SecretRotationFunctionProps {
  /** The secret it rotates (the only one it may write). */
  readonly secret: secretsmanager.ISecret;
  /** The key the secret is encrypted with. */
  readonly secretKey: kms.IKey;
  /** `single-user` (the master secret) or `alternating-users` (a role's secret). */
  readonly strategy: RotationStrategy;
  /**
   * The master secret, which the alternating-users strategy logs in with
   * (the secret's `masterarn`); read only.
   * @default - none: required for `alternating-users`, refused for `single-user`
   */
  readonly masterSecret?: secretsmanager.ISecret;
  /** Time between rotations. */
  readonly automaticallyAfter: Duration;
  /** Whose secret, for people: the alarm's text and the dashboard line (e.g. `role api`). */
  readonly label: string;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress (the Secrets Manager API). */
  readonly subnets: ec2.SubnetSelection;
  /** A security group the database admits (HTTPS out and the database's port). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of its log group. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The rotation of one database secret by a function of our own
 * (lambda/secret-rotation), so its role is a role of the stack and carries
 * the permissions boundary like every other, unlike Secrets Manager's
 * serverless rotation applications, whose nested stack creates a role no
 * aspect reaches.
 *
 * One function per secret: its role may read and write that secret alone
 * (and decrypt it, by the secret's encryption context) and, for a role's
 * secret, read the master secret; Secrets Manager may invoke it for that
 * secret only (`aws:SourceAccount` and `aws:SourceArn`). Lambda is billed
 * by use, so a function per secret costs no more than a shared one.
 * Bundled and placed like the other handlers (Node.js 24 on ARM64, the
 * private subnets, a KMS-encrypted log group), with an alarm on any failed
 * step.
 * The role's statements are the ones AWS documents for a rotation function,
 * with the customer managed key limited by the `SecretARN` encryption
 * context, as that page suggests (checked 2026-12-02):
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
export class SecretRotationFunction extends Construct {
  /** The function. */
  readonly function: lambda.Function;
  /** The secret's rotation schedule. */
  readonly schedule: secretsmanager.CfnRotationSchedule;
  /** In alarm when a rotation step failed. */
  readonly errorAlarm: PlatformAlarm;

  constructor(scope: Construct, id: string, props: SecretRotationFunctionProps) {
    super(scope, id);
    const { secret, strategy, masterSecret } = props;
    if (strategy === 'alternating-users' && !masterSecret) {
      throw new Error(
        `SecretRotationFunction ${id}: strategy "alternating-users" needs masterSecret, the secret it logs in with`,
      );
    }
    if (strategy === 'single-user' && masterSecret) {
      throw new Error(
        `SecretRotationFunction ${id}: strategy "single-user" logs in as the secret's own user; masterSecret is not allowed`,
      );
    }

    const fn = addVpcHandlerFunction(this, {
      description: `Rotates the database secret of ${props.label} (${strategy})`,
      code: handlerCode('secret-rotation'),
      memorySize: 256,
      timeout: ROTATION_TIMEOUT,
      vpc: props.vpc,
      subnets: props.subnets,
      securityGroup: props.securityGroup,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      environment: {
        [ROTATION_ENVIRONMENT.strategy]: strategy,
        [ROTATION_ENVIRONMENT.excludeCharacters]: EXCLUDED_PASSWORD_CHARACTERS,
        [ROTATION_ENVIRONMENT.databaseCaFile]: LAMBDA_CA_BUNDLE,
      },
    });
    this.grantRotation(fn, secret, props.secretKey);
    masterSecret?.grantRead(fn);
    acknowledgeFindings(
      fn,
      [nist('LambdaDLQ'), nist('LambdaConcurrency')],
      'Secrets Manager invokes the function synchronously, one step at a time, and retries the entire rotation when a step fails (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html, checked 2026-12-02); there is no asynchronous event to dead-letter or concurrency to reserve, and a failed step raises an alarm.',
    );

    // Secrets Manager may invoke it for this secret of this account only (the confused deputy):
    // AWS recommends aws:SourceAccount, and aws:SourceArn limits the function to the one secret
    // it rotates, which is what we want (rotating-secrets-required-permissions-function.html,
    // "Lambda function resource policy", checked 2026-12-02).
    fn.addPermission('SecretsManagerInvoke', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: secret.secretArn,
    });
    // What `secret.addRotationSchedule` makes, but with the invoke permission above
    // instead of one for any caller of the service; the first rotation follows the
    // schedule, never the deployment. It stays where addRotationSchedule put it (the
    // secret's `RotationSchedule`), so its logical ID does not change: CloudFormation
    // would create the new schedule and then delete the old one, and that deletion turns
    // the secret's rotation off (cloudformation-coverage-roadmap#1813, checked 2026-12-02).
    // See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-rotationschedule.html
    const scheduleScope = new Construct(secret, 'RotationSchedule');
    this.schedule = new secretsmanager.CfnRotationSchedule(scheduleScope, 'Resource', {
      secretId: secret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${props.automaticallyAfter.toDays()} days)` },
      rotateImmediatelyOnUpdate: false,
    });
    this.schedule.node.addDependency(fn.node.findChild('SecretsManagerInvoke'), fn);
    // As addRotationSchedule does: nobody in the account deletes a rotated secret by accident.
    secret.denyAccountRootDelete();

    this.errorAlarm = new FunctionErrorAlarm(this, 'Errors', {
      function: fn,
      impact: `A step of the rotation of the database secret of ${props.label} failed: the secret keeps its current password, which works, and the rotation is retried; nothing changes for users until it is fixed.`,
      firstCheck:
        "the rotation function's log (the step and the reason: a login that failed, a database that did not answer), then the secret's rotation status in Secrets Manager.",
      runbook: 'secret-rotation',
      panel: {
        section: 'database',
        title: 'Secret rotation errors',
        label: props.label,
      },
    });
    this.function = fn;
  }

  /**
   * What a rotation function does with its own secret, and nothing more:
   * the four calls of the rotation on that secret, decryption and
   * encryption with its key only through Secrets Manager and only for that
   * secret (the `SecretARN` encryption context), and GetRandomPassword,
   * which has no resource.
   */
  private grantRotation(fn: lambda.Function, secret: secretsmanager.ISecret, key: kms.IKey) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [secret.secretArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': secret.secretArn,
          },
        },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetRandomPassword'],
        resources: ['*'],
      }),
    );
    const policy = fn.role!.node.tryFindChild('DefaultPolicy')?.node.defaultChild as IConstruct;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'secretsmanager:GetRandomPassword has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html; AWS grants it on "*" in its rotation policy, rotating-secrets-required-permissions-function.html, checked 2026-12-02): it only returns a random string, and it is the one action on "*".',
    });
  }
}
