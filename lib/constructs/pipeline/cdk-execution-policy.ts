import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings, controlTower, nist } from '../../compliance/acknowledge';

/**
 * The AWS services the stages deploy, by IAM service prefix: the whole
 * service is allowed because CloudFormation creates, updates and deletes
 * resources of any name in it (and their handlers call many actions each).
 * `test/workflows/bootstrap-coverage.test.ts` derives the prefixes of every
 * resource type of every synthesized stage and fails when one is missing, so
 * a new resource type fails a test, not the first real deployment.
 */
export const DEPLOYMENT_SERVICES: readonly string[] = [
  'acm', // the domain certificates the platform issues (edge.hostedZone)
  'application-autoscaling', // service scaling targets and policies
  'backup', // the database's backup vault, plan and selection (stg, prod)
  'budgets', // the cost budget
  'chatbot', // the optional Slack channel
  'cloudfront', // the distribution, its VPC origin and its cache, origin request and response headers policies
  'cloudtrail', // the audit trail
  'cloudwatch', // alarms and the dashboard
  'cognito-idp', // user pools, clients, domains, resource servers
  'config', // the AWS Config recorder and its delivery channel
  'ec2', // VPC, subnets, routes, NAT, endpoints, security groups, flow logs
  'ecr', // service repositories
  'ecs', // cluster, task definitions, services
  'elasticloadbalancing', // the load balancer, listeners, rules, target groups
  'events', // the findings rule
  'guardduty', // the detector and its features
  'iam', // roles and policies of the platform (users, keys and escalation denied below and by the boundary)
  'kms', // customer managed keys
  'lambda', // trigger, migration and secret-rotation functions, custom-resource handlers
  'logs', // log groups, delivery of WAF, flow and Resolver query logs
  'macie2', // the Macie session
  'network-firewall', // the optional egress firewall, its policy, rule group and logging (network.networkFirewall)
  'rds', // Aurora cluster, instances, parameter and subnet groups
  'route53', // the hosted zone, certificate validation and alias records (edge.hostedZone)
  'route53resolver', // DNS Firewall rule groups, domain lists, query logging
  's3', // access-log and audit buckets
  'secretsmanager', // secrets, their rotation and resource policies
  'securityhub', // the hub and its standard
  'servicediscovery', // the Service Connect namespace
  'ses', // the user pools' mail identity and configuration set (identity.mail)
  'sns', // topics and subscriptions
  'sqs', // queues and dead-letter queues
  'ssm', // the /<env>/ parameters
  'wafv2', // web ACLs, IP sets, logging, associations
];

/**
 * What the integration suite's stage deploys besides the platform's services,
 * allowed only in its sandbox account: the Step Functions waiters of its
 * assertions (test/integ/, integ-tests-alpha's `waitForAssertions`).
 */
export const INTEGRATION_SERVICES: readonly string[] = ['states'];

/**
 * The stacks whose outputs a deployment reads: `Fn::GetStackOutput` (the
 * stages' cross-stack and cross-region references) resolves with the
 * execution role, which needs `cloudformation:DescribeStacks` on the
 * referenced stack (the function's `RoleArn` defaults to it), in any region
 * (the us-east-1 edge stack and the regional stacks read each other).
 * See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html (checked 2026-12-02)
 */
export const REFERENCED_STACKS = `arn:${Aws.PARTITION}:cloudformation:*:${Aws.ACCOUNT_ID}:stack/*`;

/** Properties of {@link CdkExecutionPolicy}. */
export interface CdkExecutionPolicyProps {
  /** The bootstrap qualifier (`cdk bootstrap --qualifier`). */
  readonly qualifier: string;
  /**
   * Whether the integration suite deploys in this account too (its sandbox):
   * {@link INTEGRATION_SERVICES} are allowed as well.
   * @default false
   */
  readonly integrationSuite?: boolean;
}

/**
 * The policy of the CDK bootstrap's CloudFormation execution role, instead of
 * `AdministratorAccess` (`cdk bootstrap --cloudformation-execution-policies
 * <arn>`): the services the stages deploy, minus what no deployment needs.
 * Actions outside {@link DEPLOYMENT_SERVICES} (Organizations, Account, IAM
 * Identity Center, ...) are not allowed at all; the Deny statements carve out
 * the dangerous actions inside allowed services. See
 * https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-bootstrap.html
 */
export class CdkExecutionPolicy extends Construct {
  /** The policy's name, unique in the account. */
  static nameOf(qualifier: string): string {
    return `cdk-${qualifier}-cfn-execution-policy`;
  }

  /** The managed policy. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: CdkExecutionPolicyProps) {
    super(scope, id);
    const services = [
      ...DEPLOYMENT_SERVICES,
      ...(props.integrationSuite ? INTEGRATION_SERVICES : []),
    ];
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: CdkExecutionPolicy.nameOf(props.qualifier),
      description:
        'CloudFormation execution role of the CDK bootstrap: the services the platform deploys',
      statements: [
        new iam.PolicyStatement({
          sid: 'DeployThePlatformServices',
          actions: services.map((service) => `${service}:*`),
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ReadTheOutputsOfReferencedStacks',
          actions: ['cloudformation:DescribeStacks'],
          resources: [REFERENCED_STACKS],
        }),
        new iam.PolicyStatement({
          sid: 'DenyIamUsersAndLongLivedCredentials',
          effect: iam.Effect.DENY,
          actions: [
            'iam:AddUserToGroup',
            'iam:AttachUserPolicy',
            'iam:CreateAccessKey',
            'iam:CreateLoginProfile',
            'iam:CreateServiceSpecificCredential',
            'iam:CreateUser',
            'iam:PutUserPolicy',
            'iam:UpdateAccessKey',
            'iam:UpdateLoginProfile',
            'iam:UploadSSHPublicKey',
          ],
          resources: ['*'],
        }),
        // A deployment may create and update the baseline, never switch it off: turning
        // GuardDuty, Security Hub, AWS Config, Macie or the trail off is an administrator's act.
        // Nor may it destroy a recovery point early: recovery points are no CloudFormation
        // resources (a vault is deleted only empty), so no deployment needs these three.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/deleting-backups.html (checked 2026-12-02)
        new iam.PolicyStatement({
          sid: 'DenyDisablingTheSecurityBaseline',
          effect: iam.Effect.DENY,
          actions: [
            'backup:DeleteRecoveryPoint',
            'backup:DisassociateRecoveryPoint',
            'backup:UpdateRecoveryPointLifecycle',
            'cloudtrail:DeleteTrail',
            'cloudtrail:StopLogging',
            'config:DeleteConfigurationRecorder',
            'config:DeleteDeliveryChannel',
            'config:StopConfigurationRecorder',
            'guardduty:DeleteDetector',
            'guardduty:DisassociateFromAdministratorAccount',
            'guardduty:DisassociateFromMasterAccount',
            'macie2:DisableMacie',
            'securityhub:DisableSecurityHub',
            'securityhub:DisassociateFromAdministratorAccount',
            'securityhub:DisassociateFromMasterAccount',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'DenyLeavingTheOrganization',
          effect: iam.Effect.DENY,
          actions: ['organizations:LeaveOrganization'],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeServiceWildcards(this.policy.node.defaultChild!, services);
  }
}

/** The service wildcards are the point of this policy: acknowledged on it alone, one finding each. */
function acknowledgeServiceWildcards(policy: IConstruct, services: readonly string[]): void {
  const reason =
    'The CloudFormation execution role creates, updates and deletes resources of any name in the services the ' +
    'stages deploy, so it gets those whole services (a test keeps the list equal to the synthesized resource ' +
    'types); users, keys, disabling the security baseline and leaving the organisation are denied, and the ' +
    'execution boundary forbids roles without the platform boundary.';
  for (const finding of ['Resource::*', ...services.map((s) => `Action::${s}:*`)]) {
    Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:*:<AWS::AccountId>:stack/*]',
    reason:
      "Fn::GetStackOutput reads the referenced stack's outputs with the execution role (DescribeStacks only, this account's stacks, any region: the edge stack is in us-east-1).",
  });
  acknowledgeFindings(
    policy,
    [
      nist('IAMPolicyNoStatementsWithFullAccess'),
      controlTower('iam_managed_policy_no_statements_with_full_access_check'),
    ],
    reason,
  );
}
