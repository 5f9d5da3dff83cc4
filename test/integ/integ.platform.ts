#!/usr/bin/env node
import { runEntryPoint } from '../../lib/entry-point';
import { platformIntegApp } from './platform-integ-app';

// The integration test of the platform (integ-runner's naming: test/integ/integ.*.ts):
// `npm run integ -- --region <r>` deploys it, runs its assertions and destroys it.
runEntryPoint(() => {
  platformIntegApp().app.synth();
});
