import { dev } from '../../config/dev';
import { EnvironmentConfig, loadEnvironments } from '../../config';
import { KNOWN_REGIONS } from '../../config/rules';
import { INTEGRATION_ENVIRONMENT } from '../../lib/constructs/pipeline/integration-role';

/** The environment name of the integration suite: its stage is `Integ`, its stacks `Integ-*`. */
export const INTEG_ENVIRONMENT = INTEGRATION_ENVIRONMENT;

/**
 * The region the suite deploys to: integ-runner's `CDK_INTEG_REGION` when it
 * names a real region (`npm run integ -- --region <r>` passes it), otherwise
 * dev's region, so the offline synth (and its snapshot) is the same on every
 * machine. integ-runner's own snapshot synth sets `test-region`, which is no
 * region at all, and falls back the same way.
 */
export function integRegion(env: NodeJS.ProcessEnv = process.env): string {
  const requested = env.CDK_INTEG_REGION;
  return requested !== undefined && KNOWN_REGIONS.includes(requested) ? requested : dev.region;
}

/**
 * What makes one run's globally named resources its own: Cognito domain
 * prefixes are unique per region across every AWS account, so two sandboxes
 * running the suite at once would collide. `npm run integ` sets `INTEG_RUN_ID`;
 * offline it is `snapshot`.
 */
export function integRunId(env: NodeJS.ProcessEnv = process.env): string {
  return env.INTEG_RUN_ID ?? 'snapshot';
}

/**
 * A dev-shaped environment for the integration suite, validated like every
 * shipped one: dev's sizes (two AZs, one NAT gateway, a database that pauses,
 * one task per service), `removalPolicy: 'destroy'` (so the stacks take their
 * data with them), no account baseline (GuardDuty, Security Hub and the trail
 * belong to the sandbox account, not to a test), a VPC range of its own and
 * domain prefixes of the run. dev's e-mail subscription stays pending (nobody
 * confirms it); the suite reads the notifications topic through a queue.
 */
export function integEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentConfig {
  const runId = integRunId(env);
  const [config] = loadEnvironments(undefined, [
    {
      ...dev,
      securityBaseline: undefined,
      name: INTEG_ENVIRONMENT,
      region: integRegion(env),
      ownsSecurityBaseline: false,
      removalPolicy: 'destroy',
      network: { ...dev.network, vpcCidr: '10.250.0.0/16' },
      identity: {
        ...dev.identity,
        productPool: { ...dev.identity.productPool, domainPrefix: `um-integ-${runId}-product` },
        consolePool: { ...dev.identity.consolePool, domainPrefix: `um-integ-${runId}-console` },
      },
    },
  ]);
  return config;
}
