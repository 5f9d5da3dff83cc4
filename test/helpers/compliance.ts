import { App, AppProps } from 'aws-cdk-lib';
import { ComplianceFindings, readComplianceFindings } from '../../tools/compliance';
import { newTestApp } from './test-app';

/** A synth with the published rule sets on: its findings, and its error when it failed. */
export interface GatedSynth {
  readonly findings: ComplianceFindings;
  /** The synth's error (the validation report) when it failed; undefined when it passed. */
  readonly error?: string;
}

/**
 * Synthesizes the app `build` fills into `outdir`, with the rule sets on, once: every rule
 * set runs once over all its stages, and the tests read the one validation
 * report it wrote (as `npm run compliance` does) instead of running the rules
 * again per stage.
 */
export function gatedSynth(
  outdir: string,
  build: (app: App) => void,
  props: AppProps = {},
): GatedSynth {
  const app = newTestApp({ ...props, outdir }, { ruleSets: true });
  build(app);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  return { findings: readComplianceFindings(outdir), error };
}
