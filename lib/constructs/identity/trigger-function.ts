import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmThresholds } from '../../../config';
import { TriggerAlarms } from '../operations/alarms/trigger-alarms';
import { handlerCode } from './handler-bundle';
import { addVpcHandlerFunction } from './vpc-handler-function';
import { acknowledgeFindings, nist } from '../../compliance/acknowledge';

/**
 * Cognito waits 5 s for a trigger, cold start included, then fails the request.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export const COGNITO_TRIGGER_TIMEOUT = Duration.seconds(5);

/** The handlers under `lambda/`, one folder each. */
export const TRIGGER_HANDLERS = [
  'pre-sign-up',
  'post-confirmation',
  'pre-token-generation',
] as const;
export type TriggerHandler = (typeof TRIGGER_HANDLERS)[number];

/** Properties of {@link TriggerFunction}. */
export interface TriggerFunctionProps {
  /** The folder under `lambda/` whose `index.ts` exports `handler`. */
  readonly handler: TriggerHandler;
  /** Environment variables of the handler. */
  readonly environment: Readonly<Record<string, string>>;
  /** The database secret the handler reads. */
  readonly databaseSecret: secretsmanager.ISecret;
  /**
   * The lifecycle topic the handler publishes to.
   * @default - the handler publishes nothing (no SNS permission)
   */
  readonly lifecycleTopic?: sns.ITopic;
  /** The VPC the function runs in. */
  readonly vpc: ec2.IVpc;
  /** Its subnets: private with egress (Secrets Manager, SNS). */
  readonly subnets: ec2.SubnetSelection;
  /** Its security group. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Retention of its log group. */
  readonly logRetention: logs.RetentionDays;
  /** The key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** What happens to the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** Thresholds of the trigger's alarms. */
  readonly alarmThresholds: AlarmThresholds;
  /**
   * Timeout of one invocation; at most Cognito's 5 s.
   * @default COGNITO_TRIGGER_TIMEOUT
   */
  readonly timeout?: Duration;
}

/**
 * A Cognito trigger: Node.js 24 on ARM64, bundled by the local esbuild
 * (minified, with source maps; the AWS SDK v3 comes from the runtime; one
 * bundle per handler, shared by every function that runs it), in the VPC,
 * with its own log group and alarms on any error or throttle and on a p99
 * duration close to Cognito's limit; it may read its database role's secret
 * and, if it publishes events, publish to the lifecycle topic.
 */
export class TriggerFunction extends Construct {
  /** The function. */
  readonly function: lambda.Function;
  /** Errors, throttles and duration. */
  readonly alarms: TriggerAlarms;

  constructor(scope: Construct, id: string, props: TriggerFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? COGNITO_TRIGGER_TIMEOUT;
    if (timeout.toMilliseconds() > COGNITO_TRIGGER_TIMEOUT.toMilliseconds()) {
      throw new Error(`timeout ${timeout.toHumanString()} exceeds Cognito's 5 seconds`);
    }

    const fn = addVpcHandlerFunction(this, {
      ...props,
      code: handlerCode(props.handler),
      memorySize: 512,
      timeout,
    });
    acknowledgeFindings(
      fn,
      [nist('LambdaDLQ')],
      'Cognito invokes triggers synchronously and waits for the answer (sign-up fails with the error); there is no asynchronous event to dead-letter, and errors raise an alarm.',
    );
    acknowledgeFindings(
      fn,
      [nist('LambdaConcurrency')],
      "A reserved concurrency would cap sign-ups and sign-ins at a fixed number (throttled users cannot log in) and take it from the account's unreserved pool; throttles and errors raise alarms instead.",
    );
    this.alarms = new TriggerAlarms(this, 'Alarms', {
      function: fn,
      triggerName: id,
      thresholds: props.alarmThresholds,
    });
    props.databaseSecret.grantRead(fn);
    if (props.lifecycleTopic) {
      props.lifecycleTopic.grantPublish(fn);
      acknowledgePublishKeyGrant(fn);
    }
    this.function = fn;
  }
}

/**
 * The inline policy's `kms:GenerateDataKey*`, the grant for publishing to the
 * encrypted topic, scoped to that one key.
 */
function acknowledgePublishKeyGrant(fn: lambda.Function): void {
  const inline = fn.role!.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (inline) {
    Validations.of(inline).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'GenerateDataKey* is what SNS needs to publish to the encrypted lifecycle topic; the statement names that single key.',
    });
  }
}
