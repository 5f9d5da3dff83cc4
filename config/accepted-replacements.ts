import type { AcceptedReplacement } from './accepted-replacement-schema';

/**
 * Replacements and deletions of stateful resources that a pull request makes
 * on purpose: the replacement guard of the pull-request workflow lets exactly
 * these through (environment and construct path as the report prints them).
 * Remove an entry once its change is deployed; synth fails after its `until`
 * date. Each setting is documented in `accepted-replacement-schema.ts`.
 *
 * ```ts
 * {
 *   environment: 'dev',
 *   path: 'Dev/Identity/ProductPool/UserPool',
 *   reason: 'Sign-in by email only; the dev pool holds test users only, re-created by the seed script',
 *   until: '2027-01-31',
 * },
 * ```
 */
export const acceptedReplacements: readonly AcceptedReplacement[] = [
  {
    environment: 'prod',
    path: 'Prod/SecurityBaseline/CloudTrail/Archive',
    reason:
      'Object Lock on the trail archive (issue 19): CloudFormation can only turn it on by creating a new bucket. ' +
      'The old archive is retained with its log files, lifecycle and access logging, so its evidence expires as ' +
      'before; the trail writes to the locked bucket from the deployment on (README, "Object Lock on the trail\'s archive").',
    until: '2027-03-31',
  },
];
