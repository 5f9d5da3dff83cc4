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
  'the tag with its digest "<tag>@sha256:<64 hex digits>" (what the publish workflow proposes), ' +
  `a digest "sha256:<64 hex digits>", or "${BOOTSTRAP_VERSION}" (zero tasks)`;

/** What is wrong with a digest, or undefined. */
function digestProblem(digest: string): string | undefined {
  return IMAGE_DIGEST.test(digest)
    ? undefined
    : 'is not an image digest; allowed: "sha256:" and 64 lowercase hex digits';
}

/** What is wrong with a tag, or undefined. */
function tagProblem(tag: string): string | undefined {
  return tag.toLowerCase() === 'latest'
    ? `is a moving tag; ${ALLOWED}`
    : DOCKER_TAG.test(tag)
      ? undefined
      : `is not an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-"); ${ALLOWED}`;
}

/**
 * One service's version in one environment: the image tag, the tag with its
 * digest (`<tag>@sha256:...`: the tag for people, the digest for the
 * registry, so the tasks run exactly the image that was reviewed even if the
 * tag were deleted and pushed again), a digest, or `bootstrap`. Never
 * `latest`: a moving name would hide what runs from the review.
 * The image becomes `<repository>:<tag>@<digest>`, the form ECS itself
 * records for a task whose tag it resolved to a digest (container image
 * resolution, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html#deployment-container-image-stability;
 * an example in aws/amazon-ecs-agent#4226). That resolution makes the tasks
 * of one deployment agree; only a digest in the manifest makes the review agree.
 */
const releaseVersionSchema = z
  .string()
  .superRefine((version, ctx) => {
    const at = version.indexOf('@');
    const message = version.toLowerCase().startsWith('sha256:')
      ? digestProblem(version)
      : at >= 0
        ? (tagProblem(version.slice(0, at)) ?? digestProblem(version.slice(at + 1)))
        : tagProblem(version);
    if (message) {
      ctx.addIssue({ code: 'custom', message });
    }
  })
  .transform((version) => ({ image: version, bootstrap: version === BOOTSTRAP_VERSION }));

/** Whether a validated version names its image's digest (`<tag>@sha256:...` or `sha256:...`). */
export const namesDigest = (version: string): boolean => version.includes('sha256:');

/**
 * An environment's release manifest, `config/releases/<env>.json`: every
 * service of the environment and the version it runs there.
 */
export const releaseManifestSchema = z.record(z.string(), releaseVersionSchema);

/** What one service runs in one environment. */
export type ServiceRelease = z.output<typeof releaseVersionSchema>;
/** The versions of an environment's services, by service name. */
export type EnvironmentReleases = ReadonlyMap<string, ServiceRelease>;
