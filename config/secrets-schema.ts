import { z } from 'zod';
import { registryNameSchema } from './application-schema';
import { problem, SECRET_COMPLETE_ARN } from './rules';

/** Registry names the platform registers itself; a secret of `secrets` may not take them. */
export const PLATFORM_REGISTRY_PREFIXES = ['database/', 'edge/'] as const;

/** One secret of another system (an API key, a token) that services read. */
const externalSecretSchema = z
  .strictObject({
    /** What the secret is and who provides it; shown in Secrets Manager and docs/parameters.md. */
    description: z.string().trim().min(1, 'is empty; say what the secret is and who provides it'),
    /**
     * The complete ARN (with the 6-character suffix) of an existing secret in
     * this environment's account and region, which the app only references.
     * @default - the app creates the secret with a generated placeholder; set
     * its value after the first deployment (the other system rotates it)
     */
    secretArn: z
      .string()
      .regex(
        SECRET_COMPLETE_ARN,
        'is not a complete Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
      )
      .optional(),
    /**
     * The customer-managed KMS key that encrypts the existing secret, so the
     * services' execution roles may decrypt with it. Only with `secretArn`.
     * @default - encrypted with the AWS managed key of Secrets Manager
     */
    kmsKeyArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key\/[0-9a-f-]{36}$/,
        'is not a KMS key ARN; expected arn:aws:kms:<region>:<account>:key/<key id>',
      )
      .optional(),
  })
  .superRefine((secret, ctx) => {
    if (secret.kmsKeyArn && !secret.secretArn) {
      problem(
        ctx,
        ['kmsKeyArn'],
        'is set without secretArn; a secret the app creates uses the AWS managed key',
      );
    }
  });

/**
 * The environment's secrets of other systems, by `/<env>/` registry name
 * (e.g. `datadog/api-key`): each becomes a registry entry that services name
 * in their `secrets`.
 */
export const secretsSchema = z
  .record(registryNameSchema, externalSecretSchema)
  .superRefine((secrets, ctx) => {
    for (const name of Object.keys(secrets)) {
      const prefix = PLATFORM_REGISTRY_PREFIXES.find((p) => name.startsWith(p));
      if (prefix) {
        problem(
          ctx,
          [name],
          `is a name the platform registers itself (${prefix}...); choose another, e.g. "<system>/<secret>"`,
        );
      }
    }
  });
