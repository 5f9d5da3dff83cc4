import { Fetch, parseImage, resolveImageDigest } from '../../tools/image-digest';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A fake ECR Public: records the requests and answers from `answers`. */
function fakeRegistry(answers: {
  token?: { status: number; body: unknown };
  manifest?: { status: number; digest?: string };
}) {
  const requests: { url: string; method?: string; headers?: Record<string, string> }[] = [];
  const fetch: Fetch = async (url, init) => {
    requests.push({ url, ...init });
    const isToken = url.includes('/token/');
    const answer = isToken
      ? (answers.token ?? { status: 200, body: { token: 'anonymous-pull-token' } })
      : (answers.manifest ?? { status: 200, digest: DIGEST });
    return {
      ok: answer.status === 200,
      status: answer.status,
      headers: {
        get: (name: string) =>
          !isToken && name === 'docker-content-digest'
            ? ((answer as { digest?: string }).digest ?? null)
            : null,
      },
      json: async () => (answer as { body: unknown }).body,
    };
  };
  return { fetch, requests };
}

describe('the digest of an ECR Public image tag', () => {
  test('asks for an anonymous pull token of the repository, then HEADs the tag with it', async () => {
    const registry = fakeRegistry({});
    await expect(
      resolveImageDigest(
        'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.5.10',
        registry.fetch,
      ),
    ).resolves.toBe(DIGEST);
    expect(registry.requests).toEqual([
      {
        url:
          'https://public.ecr.aws/token/?service=public.ecr.aws&scope=' +
          encodeURIComponent('repository:aws-observability/aws-for-fluent-bit:pull'),
      },
      {
        url: 'https://public.ecr.aws/v2/aws-observability/aws-for-fluent-bit/manifests/3.5.10',
        method: 'HEAD',
        headers: {
          Authorization: 'Bearer anonymous-pull-token',
          Accept: expect.stringMatching(/^application\/vnd\.oci\.image\.index\.v1\+json, /),
        },
      },
    ]);
  });

  test.each([
    [
      'the token request fails',
      { token: { status: 500, body: {} } },
      /pull token request answered 500/,
    ],
    ['the token response has no token', { token: { status: 200, body: {} } }, /has no token/],
    ['the tag does not exist', { manifest: { status: 404 } }, /manifest request answered 404/],
    [
      'the registry sends no digest',
      { manifest: { status: 200 } },
      /no sha256 Docker-Content-Digest \(got null\)/,
    ],
    [
      'the registry sends a digest of another algorithm',
      { manifest: { status: 200, digest: `sha512:${'a'.repeat(128)}` } },
      /no sha256 Docker-Content-Digest/,
    ],
  ])('fails when %s', async (_, answers, message) => {
    await expect(
      resolveImageDigest('public.ecr.aws/datadog/agent:7.84.6', fakeRegistry(answers).fetch),
    ).rejects.toThrow(message);
  });

  test.each([
    'docker.io/library/alpine:3.24.1',
    'public.ecr.aws/datadog/agent',
    'public.ecr.aws/x:',
  ])('fails when %s is not an ECR Public image with a tag', (image) => {
    expect(() => parseImage(image)).toThrow(
      `${image} is not an ECR Public image with a tag; allowed: public.ecr.aws/<repository>:<tag>`,
    );
  });
});
