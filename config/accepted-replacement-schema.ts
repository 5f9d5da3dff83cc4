import { z } from 'zod';

/**
 * A replacement or deletion of a stateful resource that a pull request
 * makes on purpose (`config/accepted-replacements.ts`): without an entry, the
 * replacement guard of the pull-request workflow fails (see the README,
 * "Replacement guard").
 */
export const acceptedReplacementSchema = z.strictObject({
  /** The environment whose resource is replaced or deleted: a configured environment name, e.g. `prod`. */
  environment: z.string(),
  /**
   * The resource's construct path as the replacement report prints it: the
   * stage, the stack and the path in the stack, e.g.
   * `Prod/Identity/ProductPool/UserPool`. The stage must be the environment's.
   */
  path: z
    .string()
    .regex(
      /^[A-Z][A-Za-z0-9]*\/[A-Za-z0-9-]+\/\S+$/,
      'is not a construct path as the replacement report prints it (<Stage>/<Stack>/<path in the stack>)',
    ),
  /**
   * Why the loss or move of the data is intended, and what is done about it
   * (e.g. users exported and imported): at least 20 characters, for the reviewer.
   */
  reason: z.string().min(20, 'is too short; explain why in at least 20 characters'),
  /**
   * The last day (`YYYY-MM-DD`) the entry holds: the change must be deployed
   * by then. After it, synth fails until the entry is removed, so an old
   * acceptance never lets a later replacement through.
   */
  until: z.iso.date('is not a date; allowed: YYYY-MM-DD'),
});

/** An accepted replacement, validated. */
export type AcceptedReplacement = z.infer<typeof acceptedReplacementSchema>;
