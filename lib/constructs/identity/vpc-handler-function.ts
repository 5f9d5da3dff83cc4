import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { LAMBDA_NODE_RUNTIME } from '../../pins';

/** Properties of {@link addVpcHandlerFunction}. */
export interface VpcHandlerFunctionProps {
  /** The bundled handler (`handlerCode`), whose entry point is `index.handler`. */
  readonly code: lambda.Code;
  /** What the function does, for the console. @default - none */
  readonly description?: string;
  /** Memory in MiB. */
  readonly memorySize: number;
  /** The invocation's time limit. */
  readonly timeout: Duration;
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Private subnets with egress. */
  readonly subnets: ec2.SubnetSelection;
  /** Its security group. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Encrypts its log group. */
  readonly logsKey: kms.IKey;
  /** Retention of its log group. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
  /** Its environment variables (besides `NODE_OPTIONS`). */
  readonly environment: Record<string, string>;
}

/**
 * A handler of `lambda/` in the VPC's private subnets, as every platform
 * function runs: Node.js (the pinned runtime) on ARM64, its own
 * KMS-encrypted log group `Logs`, stack traces through the bundle's source
 * map, and the AWS-managed VPC execution policies acknowledged. Adds `Logs`
 * and `Function` to `scope`.
 */
export function addVpcHandlerFunction(
  scope: Construct,
  props: VpcHandlerFunctionProps,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    encryptionKey: props.logsKey,
    retention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  const fn = new lambda.Function(scope, 'Function', {
    description: props.description,
    code: props.code,
    handler: 'index.handler',
    runtime: LAMBDA_NODE_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    vpc: props.vpc,
    vpcSubnets: props.subnets,
    securityGroups: [props.securityGroup],
    logGroup,
    // Stack traces point into the TypeScript sources (the bundle has a source map).
    environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
  });
  acknowledgeVpcExecutionPolicies(fn);
  return fn;
}

/**
 * A VPC function's role gets the AWS-managed basic execution and VPC access
 * policies, which only allow writing its logs and managing its network
 * interfaces (whose ARNs are not known before the function exists).
 */
export function acknowledgeVpcExecutionPolicies(fn: lambda.Function): void {
  const role = fn.role!.node.defaultChild as IConstruct;
  for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
      reason:
        'AWS-managed Lambda execution policies: they grant only log writing and ENI management, scoped by AWS to what a VPC function needs.',
    });
  }
}
