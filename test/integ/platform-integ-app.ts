import { App, AppProps, Stack } from 'aws-cdk-lib';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import * as cdkJson from '../../cdk.json';
import { ENFORCED_CONTEXT, addPlatform } from '../../lib/platform-app';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { IntegAssertionFunction } from './assertion-function';
import { integReleases, runHelloImage } from './hello-image';
import { integEnvironment } from './integ-environment';
import { assertPlatform } from './platform-assertions';
import { assertRegistration } from './registration-assertions';

/** The integration app, its environment's stage and the test integ-runner runs. */
export interface PlatformIntegApp {
  readonly app: App;
  readonly stage: PlatformStage;
  /** The stack of the assertions (in the stage, so the stage's aspects reach it). */
  readonly assertionStack: Stack;
  readonly test: IntegTest;
  /** The suite's assertion function, in the stage's identity stack. */
  readonly assertionFunction: IntegAssertionFunction;
}

/**
 * The integration app: the real stage of a dev-shaped environment (see
 * integEnvironment) with cdk-nag, the stage's aspects and the feature flags
 * of cdk.json (as `postCliContext`: integ-runner passes its own recommended
 * flags, which must not change what is tested), the hello image in every
 * routed service, and the assertions in a stack of the stage, deployed last
 * (they reference the other stacks). `npm run integ` deploys every stack of
 * the stage, reads the assertions' results and destroys them.
 */
export function platformIntegApp(
  env: NodeJS.ProcessEnv = process.env,
  props: AppProps = {},
): PlatformIntegApp {
  const app = new App({ ...props, postCliContext: { ...cdkJson.context, ...ENFORCED_CONTEXT } });
  const config = integEnvironment(env);
  const [stage] = addPlatform(app, [config], new Map([[config.name, integReleases(config)]]));
  runHelloImage(stage);
  const assertionFunction = new IntegAssertionFunction(
    stage.identity,
    'IntegAssertions',
    stage.network.network,
  );
  const assertionStack = new Stack(stage, 'Assertions', {
    description: `${config.name}: the integration suite's assertions`,
  });
  const testCases = stage.node.children.filter(
    (child): child is Stack => child instanceof Stack && child !== assertionStack,
  );
  const test = new IntegTest(app, 'Platform', {
    testCases,
    assertionStack,
    // The snapshot is not deployed first (a run starts from an empty account), and the
    // stacks' assets stay out of the snapshot.
    stackUpdateWorkflow: false,
    diffAssets: false,
  });
  assertPlatform(stage, assertionStack, test.assertions);
  assertRegistration(
    assertionFunction,
    stage.identity.identity.userPools.product.userPool,
    test.assertions,
  );
  return { app, stage, assertionStack, test, assertionFunction };
}
