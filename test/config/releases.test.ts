import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvironmentReleases, loadReleases } from '../../config';
import { readReleaseFiles } from '../../config/release-manifests';
import {
  developmentConfig,
  problemsOfCall,
  productionConfig,
  validated,
} from '../helpers/config-builder';
import { shippedEnvironments } from '../helpers/test-app';

const [dev, prod] = validated(developmentConfig(), productionConfig());
const SHA = '3f2a9c1e5b7d4a6c8e0f1a2b3c4d5e6f7a8b9c0d';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const valid = { web: SHA, worker: 'bootstrap' };
/** Production runs images pinned by digest. */
const validProd = { web: `${SHA}@${DIGEST}`, worker: 'bootstrap' };

const problemsOf = (files: Record<string, unknown>) =>
  problemsOfCall(() => loadReleases([dev, prod], files));

const ALLOWED =
  'allowed: an immutable image tag (e.g. the commit SHA the publish workflow tags with), ' +
  'the tag with its digest "<tag>@sha256:<64 hex digits>" (what the publish workflow proposes), ' +
  'a digest "sha256:<64 hex digits>", or "bootstrap" (zero tasks)';

describe('release manifests (config/releases/<env>.json)', () => {
  describe('accepts', () => {
    test('the shipped manifests: every service of every environment', () => {
      const releases = loadReleases(shippedEnvironments);
      for (const env of shippedEnvironments) {
        expect([...releases.get(env.name)!.keys()].sort()).toEqual(
          env.application.services.map((s) => s.name).sort(),
        );
      }
    });

    test('a tag, a digest, a tag with its digest and bootstrap mode, two services on two versions', () => {
      const releases = loadReleases([dev, prod], {
        dev: { web: SHA, worker: DIGEST },
        prod: { web: `v1.4.2@${DIGEST}`, worker: 'bootstrap' },
      });
      expect(Object.fromEntries(releases.get('dev')!)).toEqual({
        web: { image: SHA, bootstrap: false },
        worker: { image: DIGEST, bootstrap: false },
      });
      const production: EnvironmentReleases = releases.get('prod')!;
      expect(production.get('web')).toEqual({ image: `v1.4.2@${DIGEST}`, bootstrap: false });
      expect(production.get('worker')).toEqual({ image: 'bootstrap', bootstrap: true });
    });
  });

  describe('names the environment, the service, the bad value and what is allowed', () => {
    test.each<[string, Record<string, unknown>, string[]]>([
      [
        'a service is not one of the environment',
        { dev: { ...valid, mailer: SHA }, prod: validProd },
        ['releases.dev.mailer: is not a service of dev; allowed: web, worker'],
      ],
      [
        'a service of the environment is missing',
        { dev: { web: SHA }, prod: validProd },
        [
          'releases.dev.worker: is missing; every service of dev needs a version in config/releases/dev.json: ' +
            'an image tag, a digest, or "bootstrap" (zero tasks)',
        ],
      ],
      ...['latest', 'LATEST'].map((tag): [string, Record<string, unknown>, string[]] => [
        `a version is the moving tag ${tag}`,
        { dev: { ...valid, web: tag }, prod: validProd },
        [`releases.dev.web: "${tag}" is a moving tag; ${ALLOWED}`],
      ]),
      ...[
        'sha256:abc',
        `sha256:${'A'.repeat(64)}`,
        `sha256:${'a'.repeat(65)}`,
        `SHA256:${'a'.repeat(64)}`,
      ].map((digest): [string, Record<string, unknown>, string[]] => [
        `a digest is malformed (${digest.slice(0, 12)}..., ${digest.length} characters)`,
        { dev: valid, prod: { ...validProd, worker: digest } },
        [
          `releases.prod.worker: "${digest}" is not an image digest; allowed: "sha256:" and 64 lowercase hex digits`,
        ],
      ]),
      ...['registry/web:1.0', '-rc1', 'has space', 'a'.repeat(129)].map(
        (tag): [string, Record<string, unknown>, string[]] => [
          `a tag is not a Docker tag (${tag.slice(0, 20)})`,
          { dev: { ...valid, web: tag }, prod: validProd },
          [
            `releases.dev.web: ${JSON.stringify(tag)} is not an image tag (letters, digits, "_", "." and "-", ` +
              `at most 128, not starting with "." or "-"); ${ALLOWED}`,
          ],
        ],
      ),
      [
        'a production service runs a tag without its digest',
        { dev: valid, prod: { web: 'v1.4.2', worker: DIGEST } },
        [
          'releases.prod.web: "v1.4.2" names no digest; production runs images pinned by digest: ' +
            '"<tag>@sha256:<64 hex digits>" (what the publish workflow proposes), "sha256:<64 hex digits>" or "bootstrap"',
        ],
      ],
      [
        'the tag before a digest is the moving tag latest',
        { dev: { ...valid, web: `latest@${DIGEST}` }, prod: validProd },
        [`releases.dev.web: "latest@${DIGEST}" is a moving tag; ${ALLOWED}`],
      ],
      [
        'the digest after a tag is malformed',
        { dev: { ...valid, web: `${SHA}@sha256:abc` }, prod: validProd },
        [
          `releases.dev.web: "${SHA}@sha256:abc" is not an image digest; allowed: "sha256:" and 64 lowercase hex digits`,
        ],
      ],
      [
        'a version is not a string',
        { dev: { ...valid, web: 42 }, prod: validProd },
        ['releases.dev.web: 42 is not a string'],
      ],
      [
        'an environment has no manifest, and a manifest has no environment',
        { dev: valid, qa: valid },
        [
          'releases.qa: config/releases/qa.json is the manifest of no configured environment; allowed: dev, prod',
          'releases.prod: is missing; create config/releases/prod.json with every service of prod, e.g. ' +
            '{"web": "bootstrap", "worker": "bootstrap"}',
        ],
      ],
    ])('fails when %s', (_what, files, expected) => {
      expect(problemsOf(files)).toEqual(expected);
    });

    test('fails when a manifest is not JSON, with the others still checked', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'releases-'));
      fs.writeFileSync(path.join(dir, 'dev.json'), '{ "web": "abc", }');
      fs.writeFileSync(path.join(dir, 'prod.json'), JSON.stringify({ ...valid, web: 'latest' }));
      const problems = problemsOf(readReleaseFiles(dir));
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(
        /^releases\.dev: config\/releases\/dev\.json is not JSON \(.+\)$/,
      );
      expect(problems[1]).toBe(`releases.prod.web: "latest" is a moving tag; ${ALLOWED}`);
    });
  });
});
