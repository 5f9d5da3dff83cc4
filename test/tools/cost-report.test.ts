import { fixtureApp } from '../helpers/cost-fixture';
import {
  costOfStages,
  renderCostDiff,
  renderStageCost,
  StageCost,
} from '../../tools/cost/cost-report';
import { tasksByCapacityProvider } from '../../tools/cost/resource-pricing';
import { StackTemplate } from '../../tools/security-projection';

const costOf = (stacks: StackTemplate[]): StageCost => {
  const cost = costOfStages(stacks).get('Fixture');
  if (!cost) {
    throw new Error('no Fixture stage');
  }
  return cost;
};

describe('the cost report', () => {
  test('prices a small app exactly: one line per item with count, unit price and monthly', () => {
    expect(renderStageCost(costOf(fixtureApp()))).toMatchInlineSnapshot(`
     "Fixture: $78.62 a month fixed (on-demand list prices, 730 h a month, before traffic)
       stack          count  unit/month  monthly  item
       Fixture/Stack      1      $45.26   $45.26  NAT gateway
       Fixture/Stack      2       $9.00   $17.99  Service/Service: Fargate tasks (0.25 vCPU, 0.5 GB, ARM64)
       Fixture/Stack      1      $10.22   $10.22  interface endpoint (per AZ)
       Fixture/Stack      1       $3.65    $3.65  public IPv4 address
       Fixture/Stack      1       $1.00    $1.00  KMS key
       Fixture/Stack      1       $0.40    $0.40  secret
       Fixture/Stack      1       $0.10    $0.10  alarm metrics
       Usage-based, not in the total: none
       Not priced: none
     "
    `);
  });

  test('lists a type the price table does not know as not priced, never guessed', () => {
    const [stack] = fixtureApp();
    const unknown: StackTemplate = {
      ...stack,
      template: {
        Resources: { ...stack.template.Resources, Thing: { Type: 'AWS::Unknown::Thing' } },
      },
    };
    expect(costOf([unknown]).notPriced).toEqual([
      {
        stack: 'Fixture/Stack',
        resource: 'Thing',
        type: 'AWS::Unknown::Thing',
        reason: 'a type the price table does not know',
      },
    ]);
  });

  test('lists a resource of a region without its price as not priced', () => {
    const [stack] = fixtureApp();
    const cost = costOf([{ ...stack, region: 'eu-west-3' }]);
    expect(cost.notPriced.map((n) => n.reason)).toContain('no price for NAT gateway in eu-west-3');
    expect(cost.total).toBe(0);
  });

  test('lists a database instance of a provisioned class as not priced', () => {
    const [stack] = fixtureApp();
    const withDatabase: StackTemplate = {
      ...stack,
      template: {
        Resources: {
          Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.r7g.large' } },
        },
      },
    };
    expect(costOf([withDatabase]).notPriced.map((n) => n.reason)).toEqual([
      'the table prices Aurora Serverless v2 only',
    ]);
  });

  test('notes enhanced monitoring on a database instance as usage beside its capacity', () => {
    const [stack] = fixtureApp();
    const withDatabase: StackTemplate = {
      ...stack,
      template: {
        Resources: {
          Cluster: {
            Type: 'AWS::RDS::DBCluster',
            Properties: { ServerlessV2ScalingConfiguration: { MinCapacity: 0.5 } },
          },
          Db: {
            Type: 'AWS::RDS::DBInstance',
            Properties: {
              DBInstanceClass: 'db.serverless',
              DBClusterIdentifier: { Ref: 'Cluster' },
              MonitoringInterval: 60,
            },
          },
        },
      },
    };
    expect(costOf([withDatabase]).lines.map((line) => line.note)).toEqual([
      'enhanced monitoring every 60 s (CloudWatch Logs ingestion: usage)',
    ]);
  });

  test('places the tasks beyond the on-demand base by the weights, as ECS does', () => {
    const strategy = [
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
    ];
    expect(Object.fromEntries(tasksByCapacityProvider(1, strategy))).toEqual({
      FARGATE: 1,
      FARGATE_SPOT: 0,
    });
    expect(Object.fromEntries(tasksByCapacityProvider(5, strategy))).toEqual({
      FARGATE: 2,
      FARGATE_SPOT: 3,
    });
    expect(Object.fromEntries(tasksByCapacityProvider(0, strategy))).toEqual({
      FARGATE: 0,
      FARGATE_SPOT: 0,
    });
  });

  test('the pull request section shows both totals and the lines that moved', () => {
    const before = costOf(fixtureApp({ tasks: 2 }));
    const after = costOf(fixtureApp({ tasks: 3, cpu: 512 }));
    expect(renderCostDiff('Fixture', before, after)).toMatchInlineSnapshot(`
     "**Fixed monthly cost of \`Fixture\`: $78.62 → $114.60**, +$35.98 (+45.8%) (on-demand list prices, 730 h, before traffic; \`npm run cost\`)

     | stack | item | before | after | change |
     |---|---|---:|---:|---:|
     | Fixture/Stack | Service/Service: Fargate Spot tasks (0.5 vCPU, 1 GB, ARM64) | – | 1 × $17.99 = $17.99 | +$17.99 |
     | Fixture/Stack | Service/Service: Fargate tasks (0.25 vCPU, 0.5 GB, ARM64 → 0.5 vCPU, 1 GB, ARM64) | 2 × $9.00 = $17.99 | 2 × $17.99 = $35.98 | +$17.99 |
     "
    `);
    expect(renderCostDiff('Fixture', before, before)).toMatch(
      /unchanged[\s\S]*No priced line moved/,
    );
  });
});
