import { bootstrapReleases, loadEnvironments, loadReleases } from '../../config';
import { asReleased, synthesizeStacks } from '../../scripts/cost';
import { costOfStages } from '../../tools/cost/cost-report';
import { FREE, monthlyOf, PRICERS, USAGE_BASED } from '../../tools/cost/resource-pricing';
import { PRICE_TABLE } from '../../tools/cost/price-table';
import { stackTemplatesOf } from '../../tools/security-projection';
import { developmentConfig, validated, withNetworkFirewall } from '../helpers/config-builder';
import { synthesizedApp } from '../helpers/test-app';

const networkFirewallPricer = () => PRICERS['AWS::NetworkFirewall::Firewall'];

jest.setTimeout(300_000);

describe('the price table', () => {
  const stacks = stackTemplatesOf(synthesizedApp().assembly);
  const costs = [...costOfStages(stacks).values()];

  test('covers every resource type the stages synthesize: priced, usage-based or free', () => {
    expect(costs.map((cost) => cost.stage).sort()).toEqual(['Dev', 'Prod', 'Stg']);
    expect(costs.flatMap((cost) => cost.notPriced)).toEqual([]);
  });

  test('covers the App Mesh reference design too', () => {
    const environments = loadEnvironments(undefined, undefined, { mesh: 'app-mesh' });
    // One environment has every type of the design.
    const reference = synthesizeStacks(
      environments.slice(0, 1),
      asReleased(loadReleases(environments)),
      { appMeshReference: 'true' },
    );
    expect([...costOfStages(reference).values()].flatMap((cost) => cost.notPriced)).toEqual([]);
  });

  test('classifies the types of the optional Network Firewall, and prices its endpoints where a rate is known', () => {
    const environments = [validated(withNetworkFirewall(developmentConfig('nfw')))];
    const releases = new Map(environments.map((env) => [env.name, bootstrapReleases(env)]));
    const stacks = synthesizeStacks(environments, asReleased(releases));
    const [cost] = [...costOfStages(stacks).values()];
    // Tokyo has no verified endpoint rate yet: the report says so instead of guessing.
    expect(cost.notPriced.map((n) => [n.type, n.reason])).toEqual([
      [
        'AWS::NetworkFirewall::Firewall',
        'no price for Network Firewall endpoint (per AZ; GB processed are usage) in ap-northeast-1',
      ],
    ]);
    const endpoint = networkFirewallPricer()(
      { Type: 'AWS::NetworkFirewall::Firewall', Properties: { SubnetMappings: [{}, {}] } },
      { template: {} },
    );
    expect(endpoint.map((part) => monthlyOf(part, PRICE_TABLE['us-east-1'])?.monthly)).toEqual([
      2 * 0.395 * 730,
    ]);
  });

  test('classifies each type once', () => {
    const classified = [...Object.keys(PRICERS), ...Object.keys(USAGE_BASED), ...FREE];
    expect(classified.filter((type, i) => classified.indexOf(type) !== i)).toEqual([]);
  });

  test('dates and sources every price', () => {
    for (const prices of Object.values(PRICE_TABLE)) {
      for (const price of Object.values(prices)) {
        expect(price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
        expect(price.usd).toBeGreaterThan(0);
      }
    }
  });
});
