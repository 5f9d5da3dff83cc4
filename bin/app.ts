#!/usr/bin/env node
import { loadEnvironments } from '../config';
import { imageTagFromContext } from '../lib/image-tag';
import { addPlatform, newPlatformApp } from '../lib/platform-app';

// `npx cdk synth` builds every environment; `-c env=<name>` builds one.
// `-c imageTag=<tag>` picks the service image tag (none: bootstrap, zero tasks).
const app = newPlatformApp();
const selected: unknown = app.node.tryGetContext('env');
addPlatform(
  app,
  loadEnvironments(typeof selected === 'string' ? selected : undefined),
  imageTagFromContext(app.node.tryGetContext('imageTag')),
);
app.synth();
