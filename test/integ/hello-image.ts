import * as path from 'path';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  BOOTSTRAP_VERSION,
  CpuArchitectureName,
  EnvironmentConfig,
  EnvironmentReleases,
  isRouted,
} from '../../config';
import { PlatformStage } from '../../lib/stages/platform-stage';

/** The hello service of the releases issue (examples/hello-service): any path answers 200. */
export const HELLO_SERVICE_DIRECTORY = path.join(
  __dirname,
  '..',
  '..',
  'examples',
  'hello-service',
);

/** The image platform of each task CPU architecture. */
const IMAGE_PLATFORMS: Record<CpuArchitectureName, Platform> = {
  arm64: Platform.LINUX_ARM64,
  x86_64: Platform.LINUX_AMD64,
};

/**
 * The tag the routed services "release" in the suite. It only makes them run
 * their tasks (a bootstrap release runs none); {@link runHelloImage} replaces
 * the image itself.
 */
export const INTEG_RELEASE_TAG = 'integ-hello';

/**
 * The releases of the suite: every routed service runs tasks, the workers stay
 * in bootstrap mode (zero tasks), so nothing consumes the lifecycle queue the
 * suite reads.
 */
export function integReleases(config: EnvironmentConfig): EnvironmentReleases {
  return new Map(
    config.application.services.map((spec) => {
      const version = isRouted(spec) ? INTEG_RELEASE_TAG : BOOTSTRAP_VERSION;
      return [spec.name, { image: version, bootstrap: version === BOOTSTRAP_VERSION }];
    }),
  );
}

/**
 * Runs the hello image in the `app` container of every routed service. A
 * fresh account has no image in the services' own ECR repositories (the
 * service repositories publish them, README "Releasing a service"), and the
 * repositories are created by the same deployment, so the suite builds the
 * hello service as a CDK container asset instead: `cdk deploy` builds it for
 * the task's CPU architecture (ARM64 by default: the workflow installs QEMU
 * to build it on an x86 runner) and pushes it to the bootstrap's
 * asset repository, and the task's execution role may pull it. Synth only
 * hashes the folder; Docker is needed at deploy time only.
 */
export function runHelloImage(stage: PlatformStage): void {
  const routed = new Map(
    stage.config.application.services.filter(isRouted).map((spec) => [spec.name, spec]),
  );
  for (const stack of stage.services) {
    for (const [name, service] of stack.services) {
      const spec = routed.get(name);
      if (!spec) {
        continue;
      }
      const image = ecs.ContainerImage.fromAsset(HELLO_SERVICE_DIRECTORY, {
        platform: IMAGE_PLATFORMS[spec.cpuArchitecture],
      });
      const { imageName } = image.bind(service, service.appContainer);
      const cfnTask = service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
      // Containers render in the order they were added, which is their order as children.
      const index = service.taskDefinition.node.children
        .filter((child) => child instanceof ecs.ContainerDefinition)
        .indexOf(service.appContainer);
      cfnTask.addPropertyOverride(`ContainerDefinitions.${index}.Image`, imageName);
    }
  }
}
