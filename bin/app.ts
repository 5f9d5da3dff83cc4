#!/usr/bin/env node
import { loadEnvironments, pipeline, validatePipeline } from '../config';
import { runEntryPoint } from '../lib/entry-point';
import { imageTagFromContext } from '../lib/image-tag';
import { addPipeline, addPlatform, newPlatformApp } from '../lib/platform-app';

// `npx cdk synth` builds every environment; `-c env=<name>` builds one.
// `-c imageTag=<tag>` picks the service image tag (none: bootstrap, zero tasks).
// `-c mesh=app-mesh` overrides every environment's mesh back end.
// The GitHub OIDC stacks (one per account) are always built from every environment.
// A configuration mistake prints the list of problems only (see runEntryPoint).
runEntryPoint(() => {
  const app = newPlatformApp();
  const selected: unknown = app.node.tryGetContext('env');
  const overrides = { mesh: app.node.tryGetContext('mesh') };
  const environments = loadEnvironments(
    typeof selected === 'string' ? selected : undefined,
    undefined,
    overrides,
  );
  const allEnvironments = loadEnvironments(undefined, undefined, overrides);
  addPlatform(app, environments, imageTagFromContext(app.node.tryGetContext('imageTag')));
  addPipeline(app, allEnvironments, validatePipeline(pipeline, allEnvironments));
  app.synth();
});
