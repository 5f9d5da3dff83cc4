import { get, StackTemplate } from '../security-projection';
import { Builder, displayName, mermaidId } from './builder';
import { NodeShape } from './diagram';
import { keyOf, localName } from './references';

interface NodeType {
  /** What the resource is, the node's second line. */
  readonly kind: (properties: Record<string, unknown>) => string;
  readonly shape: NodeShape;
  /** Construct ids that only repeat what the kind says (`Web/Service` is `Web`). */
  readonly defaultIds: readonly string[];
  /** Drawn only when something connects to it (e.g. a custom resource's handler). */
  readonly onlyWhenConnected?: boolean;
}

const fixed = (kind: string) => () => kind;

/** RDS engine names as people write them. */
const ENGINES: Readonly<Record<string, string>> = {
  'aurora-postgresql': 'Aurora PostgreSQL',
  'aurora-mysql': 'Aurora MySQL',
};

const counted = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`;

/** The resource types that become nodes. */
export const NODE_TYPES: Readonly<Record<string, NodeType>> = {
  'AWS::CloudFront::Distribution': {
    kind: fixed('CloudFront distribution'),
    shape: 'box',
    defaultIds: ['Distribution'],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    kind: (p) =>
      `${p.Scheme === 'internal' ? 'internal' : 'internet-facing'} ${p.Type === 'network' ? 'network' : 'application'} load balancer`,
    shape: 'box',
    defaultIds: ['LoadBalancer'],
  },
  'AWS::ECS::Service': { kind: fixed('ECS service'), shape: 'rounded', defaultIds: ['Service'] },
  'AWS::Lambda::Function': {
    kind: fixed('Lambda function'),
    shape: 'subroutine',
    defaultIds: ['Function', 'Handler'],
    onlyWhenConnected: true,
  },
  'AWS::Cognito::UserPool': {
    kind: fixed('Cognito user pool'),
    shape: 'box',
    defaultIds: ['UserPool'],
  },
  'AWS::RDS::DBCluster': {
    kind: (p) => ENGINES[String(p.Engine)] ?? `RDS cluster (${String(p.Engine)})`,
    shape: 'cylinder',
    defaultIds: ['Cluster'],
  },
  'AWS::SNS::Topic': { kind: fixed('SNS topic'), shape: 'hexagon', defaultIds: ['Topic'] },
  'AWS::SQS::Queue': { kind: fixed('SQS queue'), shape: 'stadium', defaultIds: ['Queue'] },
  'AWS::EC2::VPC': { kind: fixed('VPC'), shape: 'box', defaultIds: ['Vpc'] },
};

/** The services of an account's security baseline: drawn as one node per stack. */
const BASELINE_TYPES: Readonly<Record<string, string>> = {
  'AWS::GuardDuty::Detector': 'GuardDuty',
  'AWS::SecurityHub::Hub': 'Security Hub',
  'AWS::CloudTrail::Trail': 'CloudTrail',
  'AWS::Config::ConfigurationRecorder': 'AWS Config',
  'AWS::Macie::Session': 'Macie',
  'AWS::Budgets::Budget': 'budget',
};

export function addResourceNodes(builder: Builder): void {
  for (const located of builder.refs.all()) {
    const type = NODE_TYPES[located.resource.Type];
    if (!type) {
      continue;
    }
    const path = located.stack.paths.get(located.logicalId) ?? located.logicalId;
    const name = displayName(path, type.defaultIds);
    builder.addNode(
      keyOf(located),
      located.stack,
      {
        id: mermaidId(
          `${localName(located.stack)}_${name}_${located.resource.Type.split('::')[2]}`,
        ),
        shape: type.shape,
        lines: [name, type.kind(located.resource.Properties ?? {})],
      },
      type.onlyWhenConnected,
    );
  }
}

/** One node per stack for its account-baseline services. */
export function addBaselineNodes(builder: Builder, stacks: readonly StackTemplate[]): void {
  for (const stack of stacks) {
    const services = Object.entries(stack.template.Resources ?? {}).filter(
      ([, resource]) => BASELINE_TYPES[resource.Type],
    );
    if (services.length === 0) {
      continue;
    }
    const names = [...new Set(services.map(([, resource]) => BASELINE_TYPES[resource.Type]))];
    const id = builder.addNode(undefined, stack, {
      id: mermaidId(`${localName(stack)}_baseline`),
      shape: 'box',
      lines: ['account security baseline', names.join(' · ')],
    });
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      // Its rules (findings to a topic) speak for the baseline.
      if (BASELINE_TYPES[resource.Type] || resource.Type === 'AWS::Events::Rule') {
        builder.own(`${stack.stack}|${logicalId}`, id);
      }
    }
  }
}

/** A user pool's trigger functions, drawn as one node beside the pool. */
export function addTriggerGroups(builder: Builder): void {
  for (const pool of builder.refs
    .all()
    .filter((l) => l.resource.Type === 'AWS::Cognito::UserPool')) {
    const functions = builder.refs.ofType(
      pool.stack,
      pool.resource.Properties?.LambdaConfig,
      'AWS::Lambda::Function',
    );
    const poolNode = builder.ownerOf(keyOf(pool));
    if (functions.length === 0 || !poolNode) {
      continue;
    }
    const names = functions
      .map((fn) => displayName(fn.stack.paths.get(fn.logicalId) ?? fn.logicalId, ['Function']))
      .sort();
    const id = builder.addNode(undefined, pool.stack, {
      id: `${poolNode}_triggers`,
      shape: 'subroutine',
      lines: [`${builder.nodes.get(poolNode)!.lines[0]} triggers`, 'Lambda functions', ...names],
    });
    functions.forEach((fn) => builder.own(keyOf(fn), id));
    builder.connect(poolNode, id);
  }
}

/** What a VPC node tells: its range, zones, NAT gateways and interface endpoints. */
export function describeVpcs(builder: Builder, stacks: readonly StackTemplate[]): void {
  for (const stack of stacks) {
    const resources = Object.values(stack.template.Resources ?? {});
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    for (const [logicalId, vpc] of Object.entries(stack.template.Resources ?? {})) {
      const id =
        vpc.Type === 'AWS::EC2::VPC' ? builder.ownerOf(`${stack.stack}|${logicalId}`) : undefined;
      if (!id) {
        continue;
      }
      const zones = new Set(
        resources
          .filter((r) => r.Type === 'AWS::EC2::Subnet')
          .map((r) => JSON.stringify(r.Properties?.AvailabilityZone)),
      ).size;
      builder.detail(
        id,
        [
          String(vpc.Properties?.CidrBlock),
          counted(zones, 'AZ'),
          counted(count('AWS::EC2::NatGateway'), 'NAT gateway'),
          counted(count('AWS::EC2::VPCEndpoint'), 'VPC endpoint'),
        ].join(' · '),
      );
    }
  }
}

/** What a database cluster node tells: Serverless v2 capacity and instances. */
export function describeDatabases(builder: Builder): void {
  const { refs } = builder;
  const instances = refs.all().filter((l) => l.resource.Type === 'AWS::RDS::DBInstance');
  for (const cluster of refs.all().filter((l) => l.resource.Type === 'AWS::RDS::DBCluster')) {
    const id = builder.ownerOf(keyOf(cluster))!;
    const scaling = cluster.resource.Properties?.ServerlessV2ScalingConfiguration;
    const members = instances.filter((i) =>
      refs.in(i.stack, i.resource.Properties?.DBClusterIdentifier).includes(keyOf(cluster)),
    );
    builder.detail(
      id,
      [
        ...(scaling
          ? [
              `Serverless v2, ${String(get(scaling, 'MinCapacity'))}-${String(get(scaling, 'MaxCapacity'))} ACU`,
            ]
          : []),
        counted(members.length, 'instance'),
      ].join(' · '),
    );
  }
}
