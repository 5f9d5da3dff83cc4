import { App, Stack, Validations } from 'aws-cdk-lib';

// The baseline of bench/synth.ts: the cost of loading aws-cdk-lib and
// synthesizing one empty stack (validator on, as in the full app), which no
// CDK app can go below.
const app = new App();
const stack = new Stack(app, 'Bare');
// Empty on purpose: it measures the fixed cost of a synth, not any resource.
Validations.of(stack).acknowledge({
  id: 'CloudFormation-Validate::F0001',
  reason: 'Benchmark baseline stack is empty by design.',
});
app.synth();
