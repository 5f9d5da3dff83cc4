import { App, AppProps, AspectPriority, Aspects } from 'aws-cdk-lib';
import {
  accountKeyOf,
  bootstrapReleases,
  CLI_ACCOUNT,
  ConfigValidationError,
  EnvironmentConfig,
  EnvironmentReleases,
  manifestPathOf,
  PipelineConfig,
} from '../config';
import { appMeshReferenceRequested, refuseAppMeshUnlessReference } from './app-mesh-reference';
import { addRuleSets, recordAcknowledgements } from './compliance/rule-sets';
import { AppMeshGuardrails } from './aspects/app-mesh-guardrails';
import { AwsServiceGrantsOnly } from './aspects/aws-service-grants-only';
import { MeshGuardrails } from './aspects/mesh-guardrails';
import { ReviewedComplianceFindings } from './aspects/reviewed-compliance-findings';
import { ReviewedWildcardPermissions } from './aspects/reviewed-wildcard-permissions';
import { GitHubOidcStack } from './stacks/github-oidc-stack';
import { PlatformStage } from './stages/platform-stage';

/**
 * Context that must win over the CDK CLI's. CLI 2.1148 passes
 * `@aws-cdk/core:failSynthOnValidationErrors: false` to `cdk synth` (it means
 * "the CLI reports validation results") and then exits 0 even when cdk-nag or
 * the CloudFormation validator found errors. Keeping the reporting in the app
 * makes such a synth fail, in CI and on a laptop alike.
 */
export const ENFORCED_CONTEXT = { '@aws-cdk/core:failSynthOnValidationErrors': true } as const;

/** Options of {@link newPlatformApp}. */
export interface PlatformAppOptions {
  /**
   * Registers the published rule sets (see `addRuleSets`), so a synth fails
   * on an unacknowledged finding of any of them.
   * @default true
   */
  readonly ruleSets?: boolean;
}

/**
 * An App whose synth fails on validation errors, whatever the CLI asks for,
 * gated on the published rule sets unless `options.ruleSets` is false.
 */
export function newPlatformApp(props: AppProps = {}, options: PlatformAppOptions = {}): App {
  const app = new App({
    ...props,
    postCliContext: { ...props.postCliContext, ...ENFORCED_CONTEXT },
  });
  if (options.ruleSets ?? true) {
    addRuleSets(app);
  }
  return app;
}

/**
 * `-c imageTag=<tag>` used to set the image of every service. The versions
 * are in the release manifests now; a synth that quietly ignored the old
 * option would deploy something other than what its caller asked for.
 */
function refuseRetiredImageTag(app: App): void {
  const imageTag: unknown = app.node.tryGetContext('imageTag');
  if (imageTag !== undefined) {
    throw new ConfigValidationError([
      `imageTag: ${JSON.stringify(imageTag)} is no longer read; each service runs the version of its ` +
        `environment's release manifest (${manifestPathOf('<env>')}), changed by pull request`,
    ]);
  }
}

/**
 * Adds one {@link PlatformStage} per environment to `app`. An environment with `mesh: 'app-mesh'` is refused unless the app's context
 * asks for the reference design (`-c appMeshReference=true`). `releases`
 * (from `loadReleases`) gives each environment's service versions; an
 * environment without one runs every service in bootstrap mode.
 */
export function addPlatform(
  app: App,
  environments: readonly EnvironmentConfig[],
  releases: ReadonlyMap<string, EnvironmentReleases> = new Map(),
): PlatformStage[] {
  refuseAppMeshUnlessReference(environments, appMeshReferenceRequested(app));
  refuseRetiredImageTag(app);
  return environments.map((config) => {
    const stage = new PlatformStage(app, PlatformStage.idOf(config.name), {
      config,
      releases: releases.get(config.name) ?? bootstrapReleases(config),
    });
    // Aspects of an App do not reach into its Stages: each stage gets its own.
    Aspects.of(stage).add(new ReviewedWildcardPermissions());
    Aspects.of(stage).add(new MeshGuardrails());
    Aspects.of(stage).add(new AwsServiceGrantsOnly(), { priority: AspectPriority.MUTATING });
    Aspects.of(stage).add(new ReviewedComplianceFindings());
    recordAcknowledgements(stage);
    if (config.application.mesh === 'app-mesh') {
      Aspects.of(stage).add(new AppMeshGuardrails());
    }
    return stage;
  });
}

/** The stack id of an account's GitHub OIDC stack: `GitHubOidc-<account>` or `GitHubOidc-CliAccount`. */
export function gitHubOidcStackIdOf(accountKey: string): string {
  return `GitHubOidc-${accountKey === CLI_ACCOUNT ? 'CliAccount' : accountKey}`;
}

/**
 * Adds one {@link GitHubOidcStack} per account to `app`: the environments are
 * grouped by pinned account, and those without one share the stack of the
 * CLI's account (`GitHubOidc-CliAccount`, deployed with that account's
 * credentials). Pass every environment, not only the selected ones: a stack
 * built from some of them would delete the other environments' roles.
 */
export function addPipeline(
  app: App,
  environments: readonly EnvironmentConfig[],
  pipeline: PipelineConfig,
): GitHubOidcStack[] {
  const byAccount = new Map<string, EnvironmentConfig[]>();
  for (const env of environments) {
    byAccount.set(accountKeyOf(env), [...(byAccount.get(accountKeyOf(env)) ?? []), env]);
  }
  return [...byAccount].map(([accountKey, members]) => {
    const stack = new GitHubOidcStack(app, gitHubOidcStackIdOf(accountKey), {
      pipeline,
      environments: members,
      createProvider: !pipeline.existingOidcProviderAccounts.includes(accountKey),
      // The sandbox of the integration suite is the CLI's account, like dev's (README, "Integration suite").
      integrationSuite: accountKey === CLI_ACCOUNT,
      env: { account: members[0].account, region: members.find((env) => env.region)?.region },
      terminationProtection: members.some((env) => env.derived.terminationProtection),
      description: `GitHub Actions OIDC provider and pipeline roles of ${members.map((env) => env.name).join(', ')}`,
    });
    Aspects.of(stack).add(new ReviewedWildcardPermissions());
    Aspects.of(stack).add(new ReviewedComplianceFindings());
    recordAcknowledgements(stack);
    return stack;
  });
}
