import { validateEnvironments } from '../config';
import { dev } from '../config/dev';
import { platformServices } from '../config/shared';
import { imageTagFromContext } from '../lib/image-tag';
import { addPlatform, newPlatformApp } from '../lib/platform-app';

// One environment with BENCH_SERVICES synthetic services (copies of the
// platform's API service, each on its own prefix), synthesized as `cdk synth`
// would: cdk-nag and the CloudFormation validator on.
const count = Number(process.env.BENCH_SERVICES ?? '1');
const [api] = platformServices({ desiredCount: 1, minCount: 1, maxCount: 2 }).filter(
  (s) => s.name === 'api',
);
const services = Array.from({ length: count }, (_, i) => ({
  ...api,
  name: `svc-${i + 1}`,
  pathPrefix: `/svc-${i + 1}`,
}));
const app = newPlatformApp();
addPlatform(
  app,
  validateEnvironments([{ ...dev, application: { ...dev.application, services } }]),
  imageTagFromContext('bench'),
);
app.synth();
