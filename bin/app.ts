#!/usr/bin/env node
import {
  loadAcceptedReplacements,
  loadEnvironments,
  loadReleases,
  pipeline,
  validatePipeline,
} from '../config';
import { runEntryPoint } from '../lib/entry-point';
import { addPipeline, addPlatform, newPlatformApp } from '../lib/platform-app';

// `npx cdk synth` builds every environment; `-c env=<name>` builds one.
// The services run the versions of config/releases/<env>.json (validated here), and
// config/accepted-replacements.ts is validated (the replacement guard reads it).
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
  loadAcceptedReplacements(allEnvironments);
  addPlatform(app, environments, loadReleases(allEnvironments));
  addPipeline(app, allEnvironments, validatePipeline(pipeline, allEnvironments));
  app.synth();
});
