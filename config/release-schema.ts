import { z } from 'zod';

/**
 * The version of a service that has none yet: the service is created with
 * zero tasks, so a new environment (or a new service) deploys before any
 * image has been published.
 */
export const BOOTSTRAP_VERSION = 'bootstrap';

/** Docker's tag grammar. See https://docs.docker.com/reference/cli/docker/image/tag/ */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** An image digest as ECR and ECS write it. See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image */
const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

const ALLOWED =
  'allowed: an immutable image tag (e.g. the commit SHA the publish workflow tags with), ' +
  `a digest "sha256:<64 hex digits>", or "${BOOTSTRAP_VERSION}" (zero tasks)`;

/**
 * One service's version in one environment: the image tag or digest its
 * tasks run, or `bootstrap`. Never `latest`: the repositories' tags are
 * immutable, and a moving name would hide what runs from the review.
 */
const releaseVersionSchema = z
  .string()
  .superRefine((version, ctx) => {
    const message = version.toLowerCase().startsWith('sha256:')
      ? IMAGE_DIGEST.test(version)
        ? undefined
        : 'is not an image digest; allowed: "sha256:" and 64 lowercase hex digits'
      : version.toLowerCase() === 'latest'
        ? `is a moving tag; ${ALLOWED}`
        : DOCKER_TAG.test(version)
          ? undefined
          : `is not an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"); ${ALLOWED}`;
    if (message) {
      ctx.addIssue({ code: 'custom', message });
    }
  })
  .transform((version) => ({ image: version, bootstrap: version === BOOTSTRAP_VERSION }));

/**
 * An environment's release manifest, `config/releases/<env>.json`: every
 * service of the environment and the version it runs there.
 */
export const releaseManifestSchema = z.record(z.string(), releaseVersionSchema);

/** What one service runs in one environment. */
export type ServiceRelease = z.output<typeof releaseVersionSchema>;
/** The versions of an environment's services, by service name. */
export type EnvironmentReleases = ReadonlyMap<string, ServiceRelease>;
