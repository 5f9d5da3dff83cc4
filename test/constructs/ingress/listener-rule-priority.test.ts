import {
  listenerRulePriority,
  pathPatternsOf,
} from '../../../lib/constructs/ingress/listener-rule-priority';

describe('listener rule priorities', () => {
  const prefixes = ['/', '/v1/api', '/v1/api/admin', '/v1/web'];

  test('longer prefixes are evaluated first', () => {
    const [root, api, admin] = ['/', '/v1/api', '/v1/api/admin'].map((p) =>
      listenerRulePriority(p, prefixes),
    );
    expect(admin).toBeLessThan(api);
    expect(api).toBeLessThan(root);
  });

  test('prefixes of the same length get distinct priorities', () => {
    expect(listenerRulePriority('/v1/api', prefixes)).not.toBe(
      listenerRulePriority('/v1/web', prefixes),
    );
  });

  test('adding a service of another length does not renumber the others', () => {
    const before = prefixes.map((p) => listenerRulePriority(p, prefixes));
    const after = prefixes.map((p) => listenerRulePriority(p, [...prefixes, '/v2/reports/export']));
    expect(after).toEqual(before);
  });

  test('stays within the ALB priority range 1-50000', () => {
    for (const p of prefixes) {
      expect(listenerRulePriority(p, prefixes)).toBeGreaterThanOrEqual(1);
      expect(listenerRulePriority(p, prefixes)).toBeLessThanOrEqual(50000);
    }
  });

  test('fails when the prefix is not among the routed prefixes', () => {
    expect(() => listenerRulePriority('/v9', prefixes)).toThrow(
      'path prefix "/v9" is not among the routed prefixes',
    );
  });

  test('matches a prefix and everything under it, or every path for the root', () => {
    expect(pathPatternsOf('/v1/api')).toEqual(['/v1/api', '/v1/api/*']);
    expect(pathPatternsOf('/')).toEqual(['/*']);
  });
});
