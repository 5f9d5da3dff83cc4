#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import * as cdkJson from '../cdk.json';
import { loadEnvironments } from '../config';
import { runEntryPoint } from '../lib/entry-point';
import { PARAMETERS_DOC_PATH, renderParametersDoc } from '../lib/parameters-doc';
import { addPlatform, newPlatformApp } from '../lib/platform-app';

// Builds every environment's stage with cdk.json's feature flags, as `cdk synth` does, and writes the
// parameters their registries hold. Registries are complete once the stages
// are constructed, so no template needs to be written.
runEntryPoint(() => {
  const stages = addPlatform(
    newPlatformApp({ context: cdkJson.context }, { ruleSets: false }),
    loadEnvironments(),
  );
  const target = path.join(__dirname, '..', PARAMETERS_DOC_PATH);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(
    target,
    renderParametersDoc(
      stages.map((stage) => ({
        name: stage.config.name,
        entries: stage.operations.operations.parameters.entries,
      })),
    ),
  );
  console.log(`wrote ${PARAMETERS_DOC_PATH}`);
});
