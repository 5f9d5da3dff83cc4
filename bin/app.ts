#!/usr/bin/env node
import { loadEnvironments } from '../config';
import { addPlatform, newPlatformApp } from '../lib/platform-app';

// `npx cdk synth` builds every environment; `-c env=<name>` builds one.
const app = newPlatformApp();
const selected: unknown = app.node.tryGetContext('env');
addPlatform(app, loadEnvironments(typeof selected === 'string' ? selected : undefined));
app.synth();
