import { App, AppProps, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EnvironmentConfig } from '../config';
import { ReviewedWildcardPermissions } from './aspects/reviewed-wildcard-permissions';
import { ImageTagChoice, imageTagFromContext } from './image-tag';
import { PlatformStage } from './stages/platform-stage';

/**
 * Context that must win over the CDK CLI's. CLI 2.1148 passes
 * `@aws-cdk/core:failSynthOnValidationErrors: false` to `cdk synth` (it means
 * "the CLI reports validation results") and then exits 0 even when cdk-nag or
 * the CloudFormation validator found errors. Keeping the reporting in the app
 * makes such a synth fail, in CI and on a laptop alike.
 */
export const ENFORCED_CONTEXT = { '@aws-cdk/core:failSynthOnValidationErrors': true } as const;

/** An App whose synth fails on validation errors, whatever the CLI asks for. */
export function newPlatformApp(props: AppProps = {}): App {
  return new App({ ...props, postCliContext: { ...props.postCliContext, ...ENFORCED_CONTEXT } });
}

/**
 * Adds one {@link PlatformStage} per environment to `app` and registers the
 * cdk-nag AWS Solutions pack, so every synth reports unacknowledged findings.
 */
export function addPlatform(
  app: App,
  environments: readonly EnvironmentConfig[],
  image: ImageTagChoice = imageTagFromContext(undefined),
): PlatformStage[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return environments.map((config) => {
    const stage = new PlatformStage(app, PlatformStage.idOf(config.name), { config, image });
    // Aspects of an App do not reach into its Stages: each stage gets its own.
    Aspects.of(stage).add(new ReviewedWildcardPermissions());
    return stage;
  });
}
