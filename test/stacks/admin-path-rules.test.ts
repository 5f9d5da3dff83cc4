import { CfnElement, Stack } from 'aws-cdk-lib';
import * as ipaddr from 'ipaddr.js';
import { Destination, listenerRouter } from '../helpers/listener-router';
import { shippedEnvironments, synthesized } from '../helpers/test-app';
import { transform, verdictOf } from '../helpers/waf-evaluator';

describe('the WAF evaluator of these tests', () => {
  test.each([
    ['URL_DECODE', '/a%2Fb%252e%u002e', '/a/b%2e%u002e'],
    ['URL_DECODE_UNI', '/a%u002e%uFF0F', '/a./'],
    ['NORMALIZE_PATH', '//a/./b/../c//', '/a/c/'],
    ['NORMALIZE_PATH', '/../a/b/..', '/../a/'],
    ['NORMALIZE_PATH_WIN', '\\a\\..\\b', '/b'],
    ['LOWERCASE', '/V1/Api-Ä', '/v1/api-Ä'],
  ])('%s turns %s into %s, as AWS documents it', (type, input, output) => {
    expect(transform(type, input)).toBe(output);
  });
});

/** What the web ACL does to a path: the blocking rule's name, or `allowed`. */
type Verdict = 'allowed' | 'PathDotSegment' | 'AdminPathMismatch' | 'AdminAllowList';

/**
 * Crafted paths, what the CloudFront web ACL does to them for a client outside
 * the admin allow-list and for one inside it, and where the load balancer
 * would route them (by its raw, case-sensitive path patterns) if they got
 * through. Every way a server might read a path as the admin API's while the
 * raw path is not (or the reverse) is blocked for everyone.
 */
const CRAFTED_PATHS: readonly [string, Verdict, Verdict, string][] = [
  // path                          outside allow-list   inside allow-list    load balancer
  ['/', 'allowed', 'allowed', 'web'],
  ['/v1/api/users', 'allowed', 'allowed', 'api'],
  ['/v1/api/admin/users', 'AdminAllowList', 'allowed', 'admin-api'],
  ['/v1/api/administrators', 'AdminAllowList', 'allowed', 'api'],
  ['/.well-known/security.txt', 'allowed', 'allowed', 'web'],
  ['//v1/api/admin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api//admin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'api'],
  ['/v1/api%2Fadmin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api%2fadmin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api%252Fadmin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api%5Cadmin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api/adm%69n/users', 'AdminPathMismatch', 'AdminPathMismatch', 'api'],
  ['/V1/API/ADMIN/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api;x/admin/users', 'AdminPathMismatch', 'AdminPathMismatch', 'web'],
  ['/v1/api/admin;x/users', 'AdminAllowList', 'allowed', 'api'],
  ['/v1/api/admin.', 'AdminAllowList', 'allowed', 'api'],
  ['/v1/api/admin/.', 'PathDotSegment', 'PathDotSegment', 'admin-api'],
  ['/v1/api/admin/../x', 'PathDotSegment', 'PathDotSegment', 'admin-api'],
  ['/v1/api/x/../admin', 'PathDotSegment', 'PathDotSegment', 'api'],
  ['/v1/api/admin/%2e%2e/x', 'PathDotSegment', 'PathDotSegment', 'admin-api'],
  ['/v1/api/x/%2E%2E/admin', 'PathDotSegment', 'PathDotSegment', 'api'],
  ['/v1/api/x/%252e%252e/admin', 'PathDotSegment', 'PathDotSegment', 'api'],
  ['/v1/api/x/%u002e%u002e/admin', 'PathDotSegment', 'PathDotSegment', 'api'],
  ['/v1/api/admin%2F..%2Fx', 'PathDotSegment', 'PathDotSegment', 'api'],
  ['/v1/api/x/..;/admin', 'PathDotSegment', 'PathDotSegment', 'api'],
];

/** An address outside every shipped allow-list (TEST-NET-1). */
const OUTSIDER = '192.0.2.10';

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'the admin path rules of %s',
  (name, config) => {
    const { stage, template } = synthesized(name);
    const edge = template(stage.edge).toJSON().Resources;
    const [allowed] = config.edge.adminAllowList.cidrs;
    const insider = allowed && ipaddr.parseCIDR(allowed)[0].toString();
    const route = listenerRouter(
      template(stage.application).toJSON().Resources,
      [stage.application, ...stage.services].map((s) => template(s).toJSON().Resources),
    );
    const serviceOfTargetGroup = new Map(
      stage.services.flatMap((stack) =>
        [...stack.services].flatMap(([service, construct]) =>
          construct.targetGroup
            ? [
                [
                  Stack.of(construct).getLogicalId(
                    construct.targetGroup.node.defaultChild as CfnElement,
                  ),
                  service,
                ] as const,
              ]
            : [],
        ),
      ),
    );
    const host = config.edge.domain?.names[0] ?? 'd111111abcdef8.cloudfront.net';
    const where = (destination: Destination) =>
      'status' in destination
        ? String(destination.status)
        : serviceOfTargetGroup.get(destination.targetGroup);

    test.each(CRAFTED_PATHS)(
      '%s: %s outside the allow-list, %s inside it; the load balancer would route it to %s',
      (path, outside, inside, balancer) => {
        expect(verdictOf(edge, { path, ip: OUTSIDER })).toBe(outside);
        if (insider) {
          expect(verdictOf(edge, { path, ip: insider })).toBe(inside);
        }
        expect(where(route({ path, host }))).toBe(balancer);
      },
    );

    test(
      config.edge.domain
        ? 'the load balancer answers 403 to a host that is not one of the domain names'
        : 'the load balancer routes any host (the distribution has only its cloudfront.net name)',
      () => {
        const destination = route({ path: '/v1/api/admin/users', host: 'alb.internal.example' });
        expect(where(destination)).toBe(config.edge.domain ? '403' : 'admin-api');
      },
    );
  },
);
