import { checkDigests, digestReport, pinnedImages } from '../../scripts/image-digests';
import { IMAGE_DIGESTS, PINS, pinnedImage } from '../../lib/pins';
import { Fetch } from '../../tools/image-digest';

const served =
  (digest: string): Fetch =>
  async (url) => ({
    ok: true,
    status: 200,
    headers: { get: () => digest },
    json: async () => (url.includes('/token/') ? { token: 't' } : {}),
  });
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('npm run pins:digests', () => {
  test('checks every deployable container image of the register, not the App Mesh reference', () => {
    expect(pinnedImages().sort()).toEqual(
      Object.values(PINS)
        .filter((pin) => pin.kind === 'container image' && pin !== PINS.envoyImage)
        .map((pin) => pin.value)
        .sort(),
    );
  });

  test('is due when a digest is missing or the tag now serves another one, not when it matches', async () => {
    const checks = await checkDigests(
      ['public.ecr.aws/a/b:1', 'public.ecr.aws/c/d:2'],
      {},
      served(A),
    );
    expect(digestReport(checks).due).toBe(true);
    expect(digestReport(checks).text).toContain(
      `- \`public.ecr.aws/a/b:1\`: no digest recorded; the registry serves \`${A}\``,
    );
    const recorded = { 'public.ecr.aws/a/b:1': A };
    expect(
      digestReport(await checkDigests(['public.ecr.aws/a/b:1'], recorded, served(A))).due,
    ).toBe(false);
    const moved = digestReport(await checkDigests(['public.ecr.aws/a/b:1'], recorded, served(B)));
    expect(moved.due).toBe(true);
    expect(moved.text).toContain(
      `recorded \`${A}\`, but the registry now serves \`${B}\`: the tag moved`,
    );
  });
});

describe('recorded image digests (lib/image-digests.json)', () => {
  test('name only images of the register, each with a sha256 digest', () => {
    const images = Object.values(PINS)
      .filter((pin) => pin.kind === 'container image')
      .map((pin) => pin.value);
    for (const [image, digest] of Object.entries(IMAGE_DIGESTS)) {
      expect(images).toContain(image);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  test('make a task definition run <image>:<tag>@<digest>, or the tag while none is recorded', () => {
    for (const pin of Object.values(PINS).filter((p) => p.kind === 'container image')) {
      const digest = IMAGE_DIGESTS[pin.value];
      expect(pinnedImage(pin)).toBe(digest ? `${pin.value}@${digest}` : pin.value);
    }
  });
});
