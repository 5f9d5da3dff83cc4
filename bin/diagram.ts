#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdkJson from '../cdk.json';
import { loadEnvironments } from '../config';
import { runEntryPoint } from '../lib/entry-point';
import { addPlatform, newPlatformApp } from '../lib/platform-app';
import {
  architectureOf,
  DIAGRAMS_DIR,
  readmeWithDiagram,
  README_ENVIRONMENT,
  renderDiagramDoc,
  renderMermaid,
} from '../tools/architecture-diagram';
import { stacksOfStage, stackTemplatesOf } from '../tools/security-projection';

// Synthesizes every environment with cdk.json's context, as `cdk synth` does
// (asset bundling and the validator off: they change no template this reads),
// and writes docs/diagrams/<env>.md and the README's diagram from the templates.
const ROOT = path.join(__dirname, '..');

runEntryPoint(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
  try {
    const app = newPlatformApp(
      {
        outdir,
        builtinCloudFormationValidation: false,
        context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
      },
      // The rule sets gate `cdk synth`; the diagram reads the same templates without them.
      { ruleSets: false },
    );
    const stages = addPlatform(app, loadEnvironments());
    const stacks = stackTemplatesOf(app.synth());
    fs.mkdirSync(path.join(ROOT, DIAGRAMS_DIR), { recursive: true });
    for (const stage of stages) {
      const mermaid = renderMermaid(architectureOf(stacksOfStage(stacks, stage.stageName)));
      const file = path.join(DIAGRAMS_DIR, `${stage.config.name}.md`);
      fs.writeFileSync(path.join(ROOT, file), renderDiagramDoc(stage.config.name, mermaid));
      console.log(`wrote ${file}`);
      if (stage.config.name === README_ENVIRONMENT) {
        const readme = path.join(ROOT, 'README.md');
        fs.writeFileSync(readme, readmeWithDiagram(fs.readFileSync(readme, 'utf8'), mermaid));
        console.log('wrote README.md');
      }
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
