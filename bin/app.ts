#!/usr/bin/env node
import { loadEnvironments, pipeline, validatePipeline } from '../config';
import { imageTagFromContext } from '../lib/image-tag';
import { addPipeline, addPlatform, newPlatformApp } from '../lib/platform-app';

// `npx cdk synth` builds every environment; `-c env=<name>` builds one.
// `-c imageTag=<tag>` picks the service image tag (none: bootstrap, zero tasks).
// The GitHub OIDC stacks (one per account) are always built from every environment.
const app = newPlatformApp();
const selected: unknown = app.node.tryGetContext('env');
const environments = loadEnvironments(typeof selected === 'string' ? selected : undefined);
const allEnvironments = loadEnvironments();
addPlatform(app, environments, imageTagFromContext(app.node.tryGetContext('imageTag')));
addPipeline(app, allEnvironments, validatePipeline(pipeline, allEnvironments));
app.synth();
