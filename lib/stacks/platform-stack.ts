import { Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../../config';

/** Properties every stack of an environment receives. */
export interface PlatformStackProps extends StackProps {
  /** The validated settings of the environment this stack belongs to. */
  readonly config: EnvironmentConfig;
}

/**
 * Base of every stack in a stage: it carries the environment's config and
 * answers `availabilityZones` from that config, so no stack ever triggers the
 * AZ context lookup (which needs AWS credentials) and synth stays offline.
 * See https://docs.aws.amazon.com/cdk/v2/guide/context.html#context_methods
 */
export abstract class PlatformStack extends Stack {
  readonly config: EnvironmentConfig;

  protected constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.config = props.config;
  }

  override get availabilityZones(): string[] {
    const { availabilityZones, azCount } = this.config.network;
    if (availabilityZones) {
      return [...availabilityZones];
    }
    // Resolved by CloudFormation at deploy time in whatever region the stack lands in.
    return Array.from({ length: azCount }, (_, index) => Fn.select(index, Fn.getAzs()));
  }
}
