import { AspectPriority, Aspects, Stage, StageProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, EnvironmentReleases } from '../../config';
import { AlarmRegistration } from '../aspects/alarm-registration';
import { PermissionsBoundaryAspect } from '../aspects/permissions-boundary-aspect';
import { IdentityStack } from '../stacks/identity-stack';
import { NetworkStack } from '../stacks/network-stack';
import { OperationsStack } from '../stacks/operations-stack';
import { SecurityBaselineStack } from '../stacks/security-baseline-stack';
import { pascalCase } from '../naming';
import { ApplicationStack } from '../stacks/application-stack';
import { DashboardStack } from '../stacks/dashboard-stack';
import { EdgeStack } from '../stacks/edge-stack';
import { ServicesStack } from '../stacks/services-stack';

/**
 * Services per stack: a service adds about 26 resources, its alarms and
 * deployment rule included (about 32 with a queue, secrets and Datadog), so
 * 12 stay below CloudFormation's 500-resource limit and our 450 budget
 * (`npm run bench:synth` prints the counts). Services are grouped in config
 * order: append new services at the end, because moving a service to another
 * stack replaces it.
 */
export const SERVICES_PER_STACK = 12;
function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** Properties of {@link PlatformStage}. */
export interface PlatformStageProps extends StageProps {
  /** The validated settings of the environment. */
  readonly config: EnvironmentConfig;
  /** The version each service runs (its release manifest), or bootstrap mode. */
  readonly releases: EnvironmentReleases;
}

/**
 * One environment: every stack it needs, deployed together with
 * `npx cdk deploy '<StageId>/*'`. Account and region come from the config when
 * set; otherwise the stacks are environment-agnostic and take the CLI's.
 */
export class PlatformStage extends Stage {
  /** The Stage id of an environment name: `dev` -> `Dev`, `eu-prod` -> `EuProd`. */
  static idOf(environmentName: string): string {
    return pascalCase(environmentName);
  }

  readonly config: EnvironmentConfig;
  /** Deployed first: permissions boundary, notifications topic and monitoring, `/<env>/` parameters. */
  readonly operations: OperationsStack;
  readonly network: NetworkStack;
  /** The account+region's security baseline, when this environment owns it. */
  readonly securityBaseline?: SecurityBaselineStack;
  readonly application: ApplicationStack;
  /** The services, grouped into stacks of at most {@link SERVICES_PER_STACK}. */
  readonly services: readonly ServicesStack[];
  /** CloudFront and its web ACL, in us-east-1. */
  readonly edge: EdgeStack;
  readonly identity: IdentityStack;
  /** Deployed last: the dashboard of every registered alarm. */
  readonly dashboard: DashboardStack;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: props.config.region },
    });
    const { config } = props;
    this.config = config;
    const { terminationProtection } = config.derived;

    this.operations = new OperationsStack(this, 'Operations', {
      config,
      terminationProtection,
      description: `${config.name}: permissions boundary, notifications topic and /${config.name}/ parameters`,
    });
    const { operations } = this.operations;
    this.network = new NetworkStack(this, 'Network', {
      config,
      terminationProtection,
      description: `${config.name}: VPC, subnets, NAT, VPC endpoints, flow logs, DNS Firewall and Resolver query logs`,
    });
    const { network } = this.network;
    this.identity = new IdentityStack(this, 'Identity', {
      config,
      terminationProtection,
      network,
      parameters: operations.parameters,
      description: `${config.name}: identity database, its roles and schema migration, Cognito user pools, trigger Lambdas, lifecycle events`,
    });

    if (config.ownsSecurityBaseline) {
      this.securityBaseline = new SecurityBaselineStack(this, 'SecurityBaseline', {
        config,
        terminationProtection,
        notificationsTopic: operations.notificationsTopic,
        description: `${config.name}: account security baseline (GuardDuty, Security Hub, CloudTrail, AWS Config, Macie, budget, findings to SNS)`,
      });
    }

    this.application = new ApplicationStack(this, 'Application', {
      config,
      network,
      terminationProtection,
      description: `${config.name}: ECS cluster, internal load balancer (CloudFront VPC origin) and its WAF, Service Connect namespace`,
    });
    this.services = chunks(config.application.services, SERVICES_PER_STACK).map(
      (group, index) =>
        new ServicesStack(this, `Services${index + 1}`, {
          config,
          subnets: network.subnets.privateWithEgress,
          hosting: this.application.hosting,
          identity: this.identity.identity,
          parameters: operations.parameters,
          services: group,
          releases: props.releases,
          notificationsTopic: operations.notificationsTopic,
          terminationProtection,
          description: `${config.name}: services ${group.map((s) => s.name).join(', ')}`,
        }),
    );
    this.edge = new EdgeStack(this, 'Edge', {
      config,
      origin: this.application.origin,
      terminationProtection,
      description: `${config.name}: CloudFront distribution, its WAF web ACL and their alarms (us-east-1)`,
    });
    operations.monitoring.addRegionalTopic(this.edge.notificationsTopic);
    this.dashboard = new DashboardStack(this, 'Dashboard', {
      config,
      monitoring: operations.monitoring,
      terminationProtection,
      description: `${config.name}: the dashboard of every alarm of the environment`,
    });

    // Every alarm of every stack reaches a person: name, runbook, ALARM and OK actions, dashboard.
    Aspects.of(this).add(new AlarmRegistration(operations.monitoring), {
      priority: AspectPriority.MUTATING,
    });

    // Every role of every stack, CDK-internal ones included, carries the boundary.
    Aspects.of(this).add(new PermissionsBoundaryAspect(operations.permissionsBoundary), {
      priority: AspectPriority.MUTATING,
    });

    Tags.of(this).add('Environment', config.name);
    Tags.of(this).add('Project', config.tags.project);
    Tags.of(this).add('Owner', config.tags.owner);
    for (const [key, value] of Object.entries(config.tags.extra ?? {})) {
      Tags.of(this).add(key, value);
    }
  }
}
