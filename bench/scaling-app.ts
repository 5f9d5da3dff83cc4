import { loadReleases, validateEnvironments } from '../config';
import { dev } from '../config/dev';
import { platformServices } from '../config/shared';
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
  route: { pathPrefix: `/svc-${i + 1}`, healthCheckPath: '/healthz' },
}));
const app = newPlatformApp();
const environments = validateEnvironments([
  { ...dev, application: { ...dev.application, services } },
]);
// Every service runs a tag, as after a release (bootstrap mode would synthesize the same resources).
addPlatform(
  app,
  environments,
  loadReleases(environments, {
    [dev.name]: Object.fromEntries(services.map((s) => [s.name, 'bench'])),
  }),
);
app.synth();
