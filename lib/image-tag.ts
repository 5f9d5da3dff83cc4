import { ConfigValidationError } from '../config';
import { BOOTSTRAP_IMAGE_TAG } from './defaults';

/** Which image tag the services run, from `-c imageTag=<tag>`. */
export interface ImageTagChoice {
  /** The tag every service's ECR image is pulled with. */
  readonly tag: string;
  /**
   * True when no tag was given: services are created with zero tasks, so a
   * fresh environment deploys before any image has been pushed.
   */
  readonly bootstrap: boolean;
}

/** Docker's tag grammar. See https://docs.docker.com/reference/cli/docker/image/tag/ */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Reads and validates the `imageTag` context value. */
export function imageTagFromContext(value: unknown): ImageTagChoice {
  if (value === undefined) {
    return { tag: BOOTSTRAP_IMAGE_TAG, bootstrap: true };
  }
  if (
    typeof value !== 'string' ||
    !DOCKER_TAG.test(value) ||
    value === 'latest' ||
    value === BOOTSTRAP_IMAGE_TAG
  ) {
    throw new ConfigValidationError([
      `imageTag: ${JSON.stringify(value)} is not a deployable image tag; allowed: a Docker tag ` +
        `(letters, digits, "_", ".", "-"; at most 128) other than "latest" and "${BOOTSTRAP_IMAGE_TAG}", e.g. the commit SHA`,
    ]);
  }
  return { tag: value, bootstrap: false };
}
