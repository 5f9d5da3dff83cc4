import { Stage, StageProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../../config';
import { IdentityStack } from '../stacks/identity-stack';
import { NetworkStack } from '../stacks/network-stack';

/** Properties of {@link PlatformStage}. */
export interface PlatformStageProps extends StageProps {
  /** The validated settings of the environment. */
  readonly config: EnvironmentConfig;
}

/**
 * One environment: every stack it needs, deployed together with
 * `npx cdk deploy '<StageId>/*'`. Account and region come from the config when
 * set; otherwise the stacks are environment-agnostic and take the CLI's.
 */
export class PlatformStage extends Stage {
  /** The Stage id of an environment name: `dev` -> `Dev`, `eu-prod` -> `EuProd`. */
  static idOf(environmentName: string): string {
    return environmentName
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
  }

  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly identity: IdentityStack;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: props.config.region },
    });
    const { config } = props;
    this.config = config;
    const terminationProtection = config.tier === 'production';

    this.network = new NetworkStack(this, 'Network', {
      config,
      terminationProtection,
      description: `${config.name}: VPC, subnets, NAT, VPC endpoints and flow logs`,
    });
    this.identity = new IdentityStack(this, 'Identity', {
      config,
      terminationProtection,
      vpc: this.network.vpc,
      subnets: this.network.subnets,
      description: `${config.name}: Cognito user pools, trigger Lambdas, identity database, lifecycle events`,
    });

    Tags.of(this).add('Environment', config.name);
    Tags.of(this).add('Project', config.tags.project);
    Tags.of(this).add('Owner', config.tags.owner);
    for (const [key, value] of Object.entries(config.tags.extra ?? {})) {
      Tags.of(this).add(key, value);
    }
  }
}
