/**
 * The digest a registry serves for an image tag, over the OCI distribution
 * API: an anonymous pull token, then a HEAD of the tag's manifest, whose
 * `Docker-Content-Digest` header is the digest of the image index (every
 * platform's image). ECR Public only: every container image of the pin
 * register is there, and it needs no credentials.
 * See https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 * and https://docs.aws.amazon.com/AmazonECR/latest/public/public-registries.html
 */

/** The registry whose images this resolves. */
export const ECR_PUBLIC = 'public.ecr.aws';

/** The manifest types a multi-platform image may be served as, index first. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The part of `fetch` this uses, so tests pass a fake registry. */
export type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string> },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

/** The repository and tag of an ECR Public image `public.ecr.aws/<repository>:<tag>`. */
export function parseImage(image: string): { repository: string; tag: string } {
  const match = /^public\.ecr\.aws\/([a-z0-9][a-z0-9._/-]*):([\w][\w.-]{0,127})$/.exec(image);
  if (!match) {
    throw new Error(
      `${image} is not an ECR Public image with a tag; allowed: ${ECR_PUBLIC}/<repository>:<tag>`,
    );
  }
  return { repository: match[1], tag: match[2] };
}

/** The digest `public.ecr.aws` serves for `image` (`public.ecr.aws/<repository>:<tag>`). */
export async function resolveImageDigest(image: string, fetch: Fetch): Promise<string> {
  const { repository, tag } = parseImage(image);
  const scope = encodeURIComponent(`repository:${repository}:pull`);
  const tokenResponse = await fetch(
    `https://${ECR_PUBLIC}/token/?service=${ECR_PUBLIC}&scope=${scope}`,
  );
  if (!tokenResponse.ok) {
    throw new Error(`${image}: the pull token request answered ${tokenResponse.status}`);
  }
  const { token } = (await tokenResponse.json()) as { token?: unknown };
  if (typeof token !== 'string' || token === '') {
    throw new Error(`${image}: the pull token response has no token`);
  }
  const manifest = await fetch(`https://${ECR_PUBLIC}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Authorization: `Bearer ${token}`, Accept: MANIFEST_TYPES.join(', ') },
  });
  if (!manifest.ok) {
    throw new Error(`${image}: the manifest request answered ${manifest.status}`);
  }
  const digest = manifest.headers.get('docker-content-digest');
  if (!digest || !DIGEST.test(digest)) {
    throw new Error(`${image}: the registry sent no sha256 Docker-Content-Digest (got ${digest})`);
  }
  return digest;
}
