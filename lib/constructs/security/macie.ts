import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as macie from 'aws-cdk-lib/aws-macie';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { FindingPublishingFrequency } from '../../../config';
import { LogsEncryptionKey } from '../logging/logs-encryption-key';
import { macieEnablerRoleName } from './permissions-boundary';

/** Properties of {@link Macie}. */
export interface MacieProps {
  /** How often Macie publishes updates of policy findings to EventBridge. */
  readonly findingPublishingFrequency: FindingPublishingFrequency;
  /** Retention of the enabling call's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Amazon Macie for the account and region, with automated sensitive data
 * discovery: Macie keeps an inventory of every S3 general purpose bucket
 * (the platform's access-log, trail and Config archives among them), reports
 * policy findings (a bucket made public, encryption removed) and samples
 * objects daily for sensitive data (credentials, personal data). CloudFormation
 * has no property for automated discovery, so one SDK call turns it on; it
 * stays on until Macie is disabled with the session. Findings reach people
 * through {@link MacieFindingsRule}. Macie keeps its discovery results 90
 * days; a results repository is not configured.
 * See https://docs.aws.amazon.com/macie/latest/user/discovery-asdd.html and
 * https://docs.aws.amazon.com/macie/latest/APIReference/automated-discovery-configuration.html
 */
export class Macie extends Construct {
  /** The Macie session (Macie enabled). */
  readonly session: macie.CfnSession;

  constructor(scope: Construct, id: string, props: MacieProps) {
    super(scope, id);
    this.session = new macie.CfnSession(this, 'Session', {
      status: 'ENABLED',
      findingPublishingFrequency: props.findingPublishingFrequency,
    });

    // Named: the permissions boundary lets only this role change automated discovery.
    const role = new iam.Role(this, 'EnablerRole', {
      roleName: macieEnablerRoleName(Aws.REGION),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Turns on Macie's automated sensitive data discovery",
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
    });
    Validations.of(role.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The AWS-managed basic execution policy of the enabling handler grants only writing its own logs; the call itself is one Macie write that supports no resource-level permissions.',
    });
    const { key } = new LogsEncryptionKey(this, 'LogsKey', {
      description: "Encrypts the log group of the call that turns on Macie's automated discovery",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const enable: cr.AwsSdkCall = {
      service: 'Macie2',
      action: 'updateAutomatedDiscoveryConfiguration',
      parameters: { status: 'ENABLED' },
      physicalResourceId: cr.PhysicalResourceId.of('automated-sensitive-data-discovery'),
    };
    const discovery = new cr.AwsCustomResource(this, 'AutomatedDiscovery', {
      resourceType: 'Custom::MacieAutomatedDiscovery',
      onCreate: enable,
      onUpdate: enable,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE,
      }),
      role,
      logGroup: new logs.LogGroup(this, 'EnablerLogs', {
        encryptionKey: key,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      installLatestAwsSdk: false,
    });
    discovery.node.addDependency(this.session);
  }
}
