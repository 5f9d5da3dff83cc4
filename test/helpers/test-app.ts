import { App, AppProps, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdkJson from '../../cdk.json';
import { EnvironmentConfig, loadEnvironments } from '../../config';
import { addPlatform, newPlatformApp } from '../../lib/platform-app';
import { PlatformStage } from '../../lib/stages/platform-stage';

/**
 * An App with the feature flags of cdk.json, as `cdk synth` runs it. The
 * bundled CloudFormation validator is off unless asked for, and so is asset
 * bundling (esbuild for the Lambdas; the templates are the same with a
 * placeholder asset): one quality-gate test synthesizes every environment
 * with both on.
 */
export function newTestApp(props: AppProps = {}): App {
  return newPlatformApp({
    builtinCloudFormationValidation: false,
    ...props,
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...props.context },
  });
}

/** The shipped environments, validated. */
export const shippedEnvironments: readonly EnvironmentConfig[] = loadEnvironments();

/** A synthesized environment: its stage and the template of any of its stacks. */
export interface SynthesizedEnvironment {
  readonly stage: PlatformStage;
  /** The template of one of the stage's stacks, synthesized once and cached. */
  template(stack: Stack): Template;
}

const cache = new Map<string, SynthesizedEnvironment>();

/**
 * Synthesizes the whole platform once per test process and returns one
 * environment, so the many assertions of a file share one synth.
 */
export function synthesized(name: string): SynthesizedEnvironment {
  if (cache.size === 0) {
    const app = newTestApp();
    const stages = addPlatform(app, shippedEnvironments);
    // Runs the aspects (e.g. reviewed acknowledgements) before any test inspects the tree.
    app.synth();
    for (const stage of stages) {
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
