import { Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { newTestApp } from './test-app';

/**
 * A stage with `aspect` and one stack to build a fixture in; calling the
 * returned function synthesizes it, which runs the aspect (guardrails fail
 * the synth).
 */
export function aspectFixture(aspect: IAspect, build: (stack: Stack) => void): () => void {
  const app = newTestApp();
  const stage = new Stage(app, 'Fixture');
  Aspects.of(stage).add(aspect);
  build(new Stack(stage, 'Stack'));
  return () => app.synth();
}
