import { App, AppProps, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdkJson from '../../cdk.json';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  EnvironmentConfig,
  EnvironmentReleases,
  loadEnvironments,
  loadReleases,
  pipeline,
  validatePipeline,
} from '../../config';
import {
  addPipeline,
  addPlatform,
  newPlatformApp,
  PlatformAppOptions,
} from '../../lib/platform-app';
import { GitHubOidcStack } from '../../lib/stacks/github-oidc-stack';
import { PlatformStage } from '../../lib/stages/platform-stage';

/**
 * An App with the feature flags of cdk.json, as `cdk synth` runs it. The
 * bundled CloudFormation validator is off unless asked for, and so are asset
 * bundling (esbuild for the Lambdas; the templates are the same with a
 * placeholder asset) and the published rule sets: the quality-gate tests
 * synthesize every environment once with all of them on and read the one
 * validation report (test/helpers/compliance.ts).
 */
export function newTestApp(props: AppProps = {}, options: PlatformAppOptions = {}): App {
  return newPlatformApp(
    {
      builtinCloudFormationValidation: false,
      ...props,
      context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...props.context },
    },
    { ruleSets: false, ...options },
  );
}

/** The shipped environments, validated. */
export const shippedEnvironments: readonly EnvironmentConfig[] = loadEnvironments();

/** The shipped release manifests (config/releases/), validated. */
export const shippedReleases: ReadonlyMap<string, EnvironmentReleases> =
  loadReleases(shippedEnvironments);

/** A synthesized environment: its stage and the template of any of its stacks. */
export interface SynthesizedEnvironment {
  readonly stage: PlatformStage;
  /** The template of one of the stage's stacks, synthesized once and cached. */
  template(stack: Stack): Template;
}

/** The shipped pipeline settings, validated against the shipped environments. */
export const shippedPipeline = validatePipeline(pipeline, shippedEnvironments);

/** The whole app as `cdk synth` builds it: every stage and the GitHub OIDC stacks. */
export interface SynthesizedApp {
  readonly app: App;
  readonly stages: readonly PlatformStage[];
  readonly pipelineStacks: readonly GitHubOidcStack[];
  /** The cloud assembly (in a temporary directory that jest removes). */
  readonly assembly: CloudAssembly;
}

let shared: SynthesizedApp | undefined;
const cache = new Map<string, SynthesizedEnvironment>();

/** Synthesizes the whole app once per test process. */
export function synthesizedApp(): SynthesizedApp {
  if (!shared) {
    const app = newTestApp();
    const stages = addPlatform(app, shippedEnvironments, shippedReleases);
    const pipelineStacks = addPipeline(app, shippedEnvironments, shippedPipeline);
    // Runs the aspects (e.g. reviewed acknowledgements) before any test inspects the tree.
    shared = { app, stages, pipelineStacks, assembly: app.synth() };
  }
  return shared;
}

/**
 * Returns one environment of the app synthesized once per test process, so
 * the many assertions of a file share one synth.
 */
export function synthesized(name: string): SynthesizedEnvironment {
  if (cache.size === 0) {
    for (const stage of synthesizedApp().stages) {
      const templates = new Map<Stack, Template>();
      cache.set(stage.config.name, {
        stage,
        template(stack) {
          const known = templates.get(stack) ?? Template.fromStack(stack);
          templates.set(stack, known);
          return known;
        },
      });
    }
  }
  const found = cache.get(name);
  if (!found) {
    throw new Error(`no synthesized environment "${name}"`);
  }
  return found;
}
