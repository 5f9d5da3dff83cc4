import { promotionProblems, PromotionInput } from '../../config/promotion-order';

const order = ['dev', 'stg', 'prod'];
const V1 = 'a1a1a1a';
const V2 = 'b2b2b2b';
const V3 = 'c3c3c3c';
const V4 = 'd4d4d4d';

/** dev runs V4, stg V3, prod V2; each ran the earlier versions before. */
const base: PromotionInput['base'] = {
  dev: { api: V4, web: 'bootstrap' },
  stg: { api: V3, web: 'bootstrap' },
  prod: { api: V2, web: 'bootstrap' },
};
const released: PromotionInput['released'] = {
  dev: { api: [V4, V3, V2, V1] },
  stg: { api: [V3, V2, V1] },
  prod: { api: [V2, V1] },
};
const check = (head: PromotionInput['head']) => promotionProblems({ order, base, head, released });
const withVersion = (env: string, service: string, version: string) => ({
  ...base,
  [env]: { ...base[env], [service]: version },
});

describe('promotion order (dev, then stg, then prod)', () => {
  test.each<[string, PromotionInput['head']]>([
    ['nothing changes', base],
    ['the first environment takes a new version', withVersion('dev', 'api', 'e5e5e5e')],
    ['prod takes the version stg runs', withVersion('prod', 'api', V3)],
    ['stg takes the version dev runs', withVersion('stg', 'api', V4)],
    ['prod rolls back to a version released to stg before', withVersion('prod', 'api', V1)],
    ['a service goes back to bootstrap mode', withVersion('prod', 'api', 'bootstrap')],
  ])('passes when %s', (_what, head) => {
    expect(check(head)).toEqual([]);
  });

  test('fails when a prod version was never released to stg', () => {
    expect(check(withVersion('prod', 'api', V4))).toEqual([
      'releases.prod.api: "d4d4d4d" was never released to stg (no commit of the base branch has it in ' +
        'config/releases/stg.json); promote it to stg first',
    ]);
  });

  test('fails when stg and prod take a version in the same pull request', () => {
    expect(
      check({
        ...base,
        stg: { ...base.stg, api: 'e5e5e5e' },
        prod: { ...base.prod, api: 'e5e5e5e' },
      }),
    ).toEqual([
      expect.stringMatching(/^releases\.stg\.api: "e5e5e5e" was never released to dev /),
      expect.stringMatching(/^releases\.prod\.api: "e5e5e5e" was never released to stg /),
    ]);
  });

  test('fails when a new service starts in prod on a version stg never ran', () => {
    expect(check(withVersion('prod', 'web', V1))).toEqual([
      expect.stringMatching(/^releases\.prod\.web: "a1a1a1a" was never released to stg /),
    ]);
  });
});
