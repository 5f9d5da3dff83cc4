import { CfnResource, get, StackTemplate } from './security-projection';

/**
 * The architecture diagram of one environment, read from its synthesized
 * templates (never drawn by hand): the resources a platform engineer looks
 * for first become nodes, and what the templates say connects them becomes
 * edges. A resource added later appears as soon as its type is in
 * {@link NODE_TYPES}; a connection as soon as a template wires it. Labels come
 * from construct paths, never from hashes, so asset changes leave it alone.
 * `npm run diagram` writes one per environment into docs/diagrams/.
 */

/** How a node is drawn. */
export type NodeShape =
  'box' | 'rounded' | 'stadium' | 'subroutine' | 'cylinder' | 'hexagon' | 'circle';

/** One box of the diagram. */
export interface DiagramNode {
  /** Mermaid id, from the stack and construct path. */
  readonly id: string;
  /** The stack that holds it (`Identity`), or undefined for the viewer. */
  readonly stack?: string;
  readonly shape: NodeShape;
  /** First line: its name (construct path); then what it is, then details. */
  readonly lines: string[];
}

/** A connection: traffic, a subscription, a permission that is used, an alarm. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly labels: string[];
  /** Dotted: an alarm or an event, not a request path. */
  readonly dotted: boolean;
}

/** A stack and the nodes it holds. */
export interface DiagramStack {
  /** The stack's id in its stage (`Identity`). */
  readonly name: string;
  readonly region: string;
  readonly nodes: DiagramNode[];
}

/** The diagram of one environment. */
export interface ArchitectureDiagram {
  readonly viewer: DiagramNode;
  readonly stacks: DiagramStack[];
  readonly edges: DiagramEdge[];
}

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
  'AWS::Serverless::Application': {
    kind: fixed('Lambda (serverless application)'),
    shape: 'subroutine',
    defaultIds: [],
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

type Properties = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A resource of one of the stacks: `<stack>|<logical id>`. */
type ResourceKey = string;

interface Located {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

const localName = (stack: StackTemplate) => stack.stack.slice(stack.stack.indexOf('/') + 1);

/** Reads references, across stacks (`Fn::GetStackOutput`, `Fn::ImportValue`) too. */
class References {
  private readonly resources = new Map<ResourceKey, Located>();
  private readonly byStackName = new Map<string, StackTemplate>();
  private readonly exports = new Map<string, { stack: StackTemplate; value: unknown }>();

  constructor(stacks: readonly StackTemplate[]) {
    for (const stack of stacks) {
      this.byStackName.set(stack.stackName ?? stack.stack, stack);
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        this.resources.set(`${stack.stack}|${logicalId}`, { stack, logicalId, resource });
      }
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stack, value: output.Value });
        }
      }
    }
  }

  all(): Located[] {
    return [...this.resources.values()];
  }

  get(key: ResourceKey): Located | undefined {
    return this.resources.get(key);
  }

  /** Every resource that `value`, read in `stack`, refers to. */
  in(stack: StackTemplate, value: unknown): ResourceKey[] {
    const found = new Set<ResourceKey>();
    const local = (id: string) => {
      if (!id.startsWith('AWS::') && stack.template.Resources?.[id]) {
        found.add(`${stack.stack}|${id}`);
      }
    };
    const visit = (item: unknown): void => {
      if (Array.isArray(item)) {
        item.forEach(visit);
        return;
      }
      if (item === null || typeof item !== 'object') {
        return;
      }
      const record = item as Record<string, unknown>;
      if (typeof record.Ref === 'string') {
        local(record.Ref);
      } else if (record['Fn::GetAtt'] !== undefined) {
        const target = record['Fn::GetAtt'];
        local(String(Array.isArray(target) ? target[0] : target).split('.')[0]);
      } else if (record['Fn::GetStackOutput'] !== undefined) {
        const { StackName, OutputName } = record['Fn::GetStackOutput'] as Properties;
        const producer = this.byStackName.get(String(StackName));
        const output = producer?.template.Outputs?.[String(OutputName)];
        if (producer && output) {
          this.in(producer, output.Value).forEach((key) => found.add(key));
        }
      } else if (typeof record['Fn::ImportValue'] === 'string') {
        const exported = this.exports.get(record['Fn::ImportValue']);
        if (exported) {
          this.in(exported.stack, exported.value).forEach((key) => found.add(key));
        }
      } else if (record['Fn::Sub'] !== undefined) {
        const [text, variables] = Array.isArray(record['Fn::Sub'])
          ? record['Fn::Sub']
          : [record['Fn::Sub']];
        for (const [, name] of String(text).matchAll(/\$\{([^!}][^}.]*)/g)) {
          local(name);
        }
        visit(variables);
      } else {
        Object.values(record).forEach(visit);
      }
    };
    visit(value);
    return [...found];
  }

  /** The resources of `type` that `value` refers to. */
  ofType(stack: StackTemplate, value: unknown, type: string): Located[] {
    return this.in(stack, value)
      .map((key) => this.resources.get(key)!)
      .filter((located) => located.resource.Type === type);
  }
}

/** A Mermaid id: letters, digits and underscores. */
const mermaidId = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** The construct path without ids that only repeat what the node's kind says. */
function displayName(path: string, defaultIds: readonly string[]): string {
  const segments = path.split('/').filter((segment, i, all) => segment !== all[i - 1]);
  if (segments.length > 1 && defaultIds.includes(segments[segments.length - 1])) {
    segments.pop();
  }
  return segments.join('/');
}

const keyOf = (located: Located): ResourceKey => `${located.stack.stack}|${located.logicalId}`;

/** Collects nodes and edges. */
class Builder {
  readonly nodes = new Map<string, DiagramNode & { connected: boolean; optional: boolean }>();
  private readonly owners = new Map<ResourceKey, string>();
  private readonly edges = new Map<string, DiagramEdge>();
  readonly viewer: DiagramNode = { id: 'viewer', shape: 'circle', lines: ['viewer'] };

  constructor(readonly refs: References) {}

  addNode(
    key: ResourceKey | undefined,
    stack: StackTemplate,
    node: Omit<DiagramNode, 'stack'>,
    optional = false,
  ): string {
    if (!this.nodes.has(node.id)) {
      this.nodes.set(node.id, { ...node, stack: localName(stack), connected: false, optional });
    }
    if (key) {
      this.owners.set(key, node.id);
    }
    return node.id;
  }

  /** Moves a resource into another node (a pool's triggers, the baseline). */
  own(key: ResourceKey, nodeId: string): void {
    const previous = this.owners.get(key);
    if (previous && previous !== nodeId) {
      this.nodes.delete(previous);
    }
    this.owners.set(key, nodeId);
  }

  ownerOf(key: ResourceKey): string | undefined {
    return this.owners.get(key);
  }

  detail(nodeId: string, line: string): void {
    const node = this.nodes.get(nodeId);
    if (node && !node.lines.includes(line)) {
      node.lines.push(line);
    }
  }

  connect(from: string | undefined, to: string | undefined, label?: string, dotted = false): void {
    if (!from || !to || from === to) {
      return;
    }
    const key = `${from}|${to}|${dotted}`;
    const edge = this.edges.get(key) ?? { from, to, labels: [], dotted };
    if (label && !edge.labels.includes(label)) {
      edge.labels.push(label);
    }
    this.edges.set(key, edge);
    for (const id of [from, to]) {
      const node = this.nodes.get(id);
      if (node) {
        node.connected = true;
      }
    }
  }

  /** Edges between nodes that are drawn. */
  drawnEdges(): DiagramEdge[] {
    const drawn = (id: string) => id === this.viewer.id || this.isDrawn(id);
    return [...this.edges.values()].filter((e) => drawn(e.from) && drawn(e.to));
  }

  isDrawn(id: string): boolean {
    const node = this.nodes.get(id);
    return node !== undefined && (!node.optional || node.connected);
  }
}

function addResourceNodes(builder: Builder): void {
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
function addBaselineNodes(builder: Builder, stacks: readonly StackTemplate[]): void {
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
function addTriggerGroups(builder: Builder): void {
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

/** Viewer → CloudFront (+ its web ACL) → origin. */
function addEdge(builder: Builder): void {
  const { refs } = builder;
  for (const distribution of refs
    .all()
    .filter((l) => l.resource.Type === 'AWS::CloudFront::Distribution')) {
    const id = builder.ownerOf(keyOf(distribution));
    const config = get(distribution.resource.Properties, 'DistributionConfig');
    const viewerPolicy = get(config, 'DefaultCacheBehavior', 'ViewerProtocolPolicy');
    builder.connect(builder.viewer.id, id, viewerPolicy === 'allow-all' ? 'HTTP, HTTPS' : 'HTTPS');
    for (const origin of list(get(config, 'Origins'))) {
      const protocol = get(origin, 'CustomOriginConfig', 'OriginProtocolPolicy');
      for (const key of refs.in(distribution.stack, origin)) {
        const target = refs.get(key)!;
        // A VPC origin names the load balancer it reaches.
        const reached =
          target.resource.Type === 'AWS::CloudFront::VpcOrigin'
            ? refs.in(target.stack, target.resource.Properties)
            : [key];
        reached.forEach((k) =>
          builder.connect(
            id,
            builder.ownerOf(k),
            protocol ? `origin, ${String(protocol)}` : 'origin',
          ),
        );
      }
    }
    for (const acl of refs.ofType(
      distribution.stack,
      get(config, 'WebACLId'),
      'AWS::WAFv2::WebACL',
    )) {
      builder.detail(id!, `+ WAF web ACL (${String(acl.resource.Properties?.Scope)})`);
    }
  }
  for (const association of refs
    .all()
    .filter((l) => l.resource.Type === 'AWS::WAFv2::WebACLAssociation')) {
    const properties = association.resource.Properties ?? {};
    for (const acl of refs.ofType(association.stack, properties.WebACLArn, 'AWS::WAFv2::WebACL')) {
      for (const key of refs.in(association.stack, properties.ResourceArn)) {
        const target = builder.ownerOf(key);
        if (target) {
          builder.detail(target, `+ WAF web ACL (${String(acl.resource.Properties?.Scope)})`);
        }
      }
    }
  }
}

/** `/v1/api` for `["/v1/api", "/v1/api/*"]`. */
function pathLabel(patterns: readonly string[]): string {
  return patterns
    .filter((p) => !(p.endsWith('/*') && patterns.includes(p.slice(0, -2))))
    .map((p) => (p === '/*' ? '/' : p))
    .join(', ');
}

/** Load balancer → the services behind its listener rules, labelled with their paths. */
function addRoutes(builder: Builder): void {
  const { refs } = builder;
  const servicesOf = new Map<ResourceKey, string[]>();
  for (const service of refs.all().filter((l) => l.resource.Type === 'AWS::ECS::Service')) {
    for (const key of refs.in(service.stack, service.resource.Properties?.LoadBalancers)) {
      servicesOf.set(key, [...(servicesOf.get(key) ?? []), builder.ownerOf(keyOf(service))!]);
    }
    const task = refs.ofType(
      service.stack,
      service.resource.Properties?.TaskDefinition,
      'AWS::ECS::TaskDefinition',
    )[0];
    const containers = list(task?.resource.Properties?.ContainerDefinitions).map((c) =>
      String(get(c, 'Name')),
    );
    const sidecars = containers.filter((name) => name !== 'app');
    if (containers.includes('app') && sidecars.length > 0) {
      builder.detail(builder.ownerOf(keyOf(service))!, `sidecars: ${sidecars.join(', ')}`);
    }
  }
  const loadBalancerOf = (stack: StackTemplate, listenerArn: unknown) =>
    refs
      .ofType(stack, listenerArn, 'AWS::ElasticLoadBalancingV2::Listener')
      .flatMap((listener) => refs.in(listener.stack, listener.resource.Properties?.LoadBalancerArn))
      .map((key) => builder.ownerOf(key));
  const route = (
    stack: StackTemplate,
    actions: unknown,
    from: (string | undefined)[],
    label: string,
  ) => {
    for (const targetGroup of refs.ofType(
      stack,
      actions,
      'AWS::ElasticLoadBalancingV2::TargetGroup',
    )) {
      for (const service of servicesOf.get(keyOf(targetGroup)) ?? []) {
        from.forEach((lb) => builder.connect(lb, service, label));
      }
    }
  };
  for (const rule of refs
    .all()
    .filter((l) => l.resource.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
    const properties = rule.resource.Properties ?? {};
    const patterns = list(properties.Conditions)
      .filter((c) => get(c, 'Field') === 'path-pattern')
      .flatMap((c) => list(get(c, 'PathPatternConfig', 'Values') ?? get(c, 'Values')))
      .map(String);
    route(
      rule.stack,
      properties.Actions,
      loadBalancerOf(rule.stack, properties.ListenerArn),
      pathLabel(patterns) || 'rule',
    );
  }
  for (const listener of refs
    .all()
    .filter((l) => l.resource.Type === 'AWS::ElasticLoadBalancingV2::Listener')) {
    const lb = refs
      .in(listener.stack, listener.resource.Properties?.LoadBalancerArn)
      .map((k) => builder.ownerOf(k));
    route(listener.stack, listener.resource.Properties?.DefaultActions, lb, 'default');
  }
}

/** Where a security group is attached: the nodes that use it. */
function securityGroupMembers(builder: Builder): Map<ResourceKey, string[]> {
  const { refs } = builder;
  const members = new Map<ResourceKey, string[]>();
  const attach = (owner: Located, value: unknown) => {
    const node = builder.ownerOf(keyOf(owner));
    for (const group of refs.ofType(owner.stack, value, 'AWS::EC2::SecurityGroup')) {
      const current = members.get(keyOf(group)) ?? [];
      if (node && !current.includes(node)) {
        members.set(keyOf(group), [...current, node]);
      }
    }
  };
  for (const located of refs.all()) {
    const p = located.resource.Properties ?? {};
    switch (located.resource.Type) {
      case 'AWS::ECS::Service':
        attach(located, get(p, 'NetworkConfiguration', 'AwsvpcConfiguration', 'SecurityGroups'));
        break;
      case 'AWS::Lambda::Function':
        attach(located, get(p, 'VpcConfig', 'SecurityGroupIds'));
        break;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        attach(located, p.SecurityGroups);
        break;
      case 'AWS::RDS::DBCluster':
        attach(located, p.VpcSecurityGroupIds);
        break;
      case 'AWS::Serverless::Application':
        attach(located, p.Parameters);
        break;
    }
  }
  return members;
}

/** ` 5432` for a port number or a database's `Endpoint.Port`, else nothing. */
function portOf(stack: StackTemplate, value: unknown, refs: References): string {
  if (typeof value === 'number') {
    return ` ${value}`;
  }
  const [target] = refs.in(stack, value).map((key) => refs.get(key)!);
  const port = target?.resource.Properties?.Port;
  return typeof port === 'number' ? ` ${port}` : '';
}

/** Whether a security group admits itself: a group of peers (the mesh clients' group). */
function isPeerGroup(group: Located, refs: References): boolean {
  const self = keyOf(group);
  const admits = (stack: StackTemplate, value: unknown) => refs.in(stack, value).includes(self);
  return refs
    .all()
    .some(
      (l) =>
        (l.resource.Type === 'AWS::EC2::SecurityGroupIngress' &&
          admits(l.stack, l.resource.Properties?.GroupId) &&
          admits(l.stack, l.resource.Properties?.SourceSecurityGroupId)) ||
        (l === group &&
          list(l.resource.Properties?.SecurityGroupIngress).some((i) =>
            admits(l.stack, get(i, 'SourceSecurityGroupId')),
          )),
    );
}

/**
 * Who may open a connection to whom, from the security groups' ingress rules:
 * from each node that carries the source group to the node that carries the
 * target group. A group of peers (one that admits itself, like the mesh
 * clients' group) is drawn as one node, and rules into a group that several
 * nodes carry are about its members, so they are not drawn.
 */
function addNetworkPaths(builder: Builder): void {
  const { refs } = builder;
  const members = securityGroupMembers(builder);
  const sourcesOf = (stack: StackTemplate, value: unknown): string[] => {
    const group = refs.ofType(stack, value, 'AWS::EC2::SecurityGroup')[0];
    if (!group) {
      return [];
    }
    const owners = members.get(keyOf(group)) ?? [];
    if (owners.length <= 1 || !isPeerGroup(group, refs)) {
      return owners;
    }
    const path = group.stack.paths.get(group.logicalId) ?? group.logicalId;
    return [
      builder.addNode(undefined, group.stack, {
        id: mermaidId(`${localName(group.stack)}_${path}`),
        shape: 'box',
        lines: [path, `security group carried by ${owners.length} services`],
      }),
    ];
  };
  const rule = (stack: StackTemplate, groupId: unknown, ingress: Properties) => {
    const port = portOf(stack, ingress.FromPort, refs);
    const label = `${String(ingress.IpProtocol ?? 'tcp')}${port}`;
    const from = sourcesOf(stack, ingress.SourceSecurityGroupId);
    let to: string | undefined;
    if (typeof groupId === 'string') {
      // A group outside this environment, e.g. that of a peered database.
      to = builder.addNode(undefined, stack, {
        id: mermaidId(`${localName(stack)}_${groupId}`),
        shape: 'cylinder',
        lines: [groupId, 'security group outside this environment'],
      });
    } else {
      const group = refs.ofType(stack, groupId, 'AWS::EC2::SecurityGroup')[0];
      const owners = group ? (members.get(keyOf(group)) ?? []) : [];
      to = owners.length === 1 ? owners[0] : undefined;
    }
    from.forEach((source) => builder.connect(source, to, label));
  };
  for (const located of refs.all()) {
    const p = located.resource.Properties ?? {};
    if (located.resource.Type === 'AWS::EC2::SecurityGroupIngress') {
      rule(located.stack, p.GroupId, p);
    } else if (located.resource.Type === 'AWS::EC2::SecurityGroup') {
      for (const ingress of list(p.SecurityGroupIngress)) {
        rule(located.stack, { Ref: located.logicalId }, ingress as Properties);
      }
    }
  }
}

const ACTIONS = {
  publish: /^sns:(Publish|\*)$/,
  consume: /^sqs:(ReceiveMessage|\*)$/,
  send: /^sqs:(SendMessage|\*)$/,
};

/** Topics and queues: subscriptions, dead-letter queues, and who publishes, sends or consumes (IAM). */
function addMessaging(builder: Builder): void {
  const { refs } = builder;
  const principalsOfRole = new Map<ResourceKey, string[]>();
  const addPrincipal = (role: ResourceKey, node: string | undefined) => {
    if (node) {
      principalsOfRole.set(role, [...(principalsOfRole.get(role) ?? []), node]);
    }
  };
  for (const located of refs.all()) {
    const p = located.resource.Properties ?? {};
    if (located.resource.Type === 'AWS::Lambda::Function') {
      refs
        .in(located.stack, p.Role)
        .forEach((role) => addPrincipal(role, builder.ownerOf(keyOf(located))));
    }
    if (located.resource.Type === 'AWS::ECS::Service') {
      for (const task of refs.ofType(located.stack, p.TaskDefinition, 'AWS::ECS::TaskDefinition')) {
        refs
          .in(task.stack, task.resource.Properties?.TaskRoleArn)
          .forEach((role) => addPrincipal(role, builder.ownerOf(keyOf(located))));
      }
    }
  }
  for (const located of refs.all()) {
    const p = located.resource.Properties ?? {};
    switch (located.resource.Type) {
      case 'AWS::SNS::Subscription':
        for (const topic of refs.in(located.stack, p.TopicArn)) {
          refs
            .in(located.stack, p.Endpoint)
            .forEach((target) =>
              builder.connect(builder.ownerOf(topic), builder.ownerOf(target), 'subscription'),
            );
        }
        break;
      case 'AWS::SQS::Queue':
        refs
          .in(located.stack, get(p, 'RedrivePolicy', 'deadLetterTargetArn'))
          .forEach((dlq) =>
            builder.connect(builder.ownerOf(keyOf(located)), builder.ownerOf(dlq), 'dead letters'),
          );
        break;
      case 'AWS::IAM::Policy': {
        const principals = refs
          .in(located.stack, p.Roles)
          .flatMap((role) => principalsOfRole.get(role) ?? []);
        for (const statement of list(get(p, 'PolicyDocument', 'Statement'))) {
          if (get(statement, 'Effect') !== 'Allow') {
            continue;
          }
          const actions = [get(statement, 'Action')].flat().map(String);
          const targets = refs
            .in(located.stack, get(statement, 'Resource'))
            .map((k) => builder.ownerOf(k));
          for (const principal of principals) {
            for (const target of targets) {
              if (actions.some((a) => ACTIONS.publish.test(a)))
                builder.connect(principal, target, 'publishes');
              if (actions.some((a) => ACTIONS.send.test(a)))
                builder.connect(principal, target, 'sends');
              if (actions.some((a) => ACTIONS.consume.test(a)))
                builder.connect(target, principal, 'consumed by');
            }
          }
        }
        break;
      }
    }
  }
}

/** Alarms and event rules that notify a topic: dotted, from what they watch. */
function addNotifications(builder: Builder): void {
  const { refs } = builder;
  for (const located of refs.all()) {
    const p = located.resource.Properties ?? {};
    if (located.resource.Type === 'AWS::CloudWatch::Alarm') {
      const topics = refs.ofType(located.stack, p.AlarmActions, 'AWS::SNS::Topic');
      const watched = refs.in(located.stack, [p.Dimensions, p.Metrics]);
      for (const topic of topics) {
        watched.forEach((key) =>
          builder.connect(builder.ownerOf(key), builder.ownerOf(keyOf(topic)), 'alarm', true),
        );
      }
    }
    if (located.resource.Type === 'AWS::Events::Rule') {
      for (const topic of refs.ofType(located.stack, p.Targets, 'AWS::SNS::Topic')) {
        builder.connect(
          builder.ownerOf(keyOf(located)),
          builder.ownerOf(keyOf(topic)),
          'events',
          true,
        );
      }
    }
  }
}

/** What a VPC node tells: its range, zones, NAT gateways and interface endpoints. */
function describeVpcs(builder: Builder, stacks: readonly StackTemplate[]): void {
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
function describeDatabases(builder: Builder): void {
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

/** The diagram of one stage's stacks. */
export function architectureOf(stacks: readonly StackTemplate[]): ArchitectureDiagram {
  const builder = new Builder(new References(stacks));
  addResourceNodes(builder);
  addBaselineNodes(builder, stacks);
  addTriggerGroups(builder);
  addEdge(builder);
  addRoutes(builder);
  addNetworkPaths(builder);
  addMessaging(builder);
  addNotifications(builder);
  describeVpcs(builder, stacks);
  describeDatabases(builder);
  return {
    viewer: builder.viewer,
    stacks: stacks.map((stack) => ({
      name: localName(stack),
      region: stack.region ?? '',
      nodes: [...builder.nodes.values()]
        .filter((node) => node.stack === localName(stack) && builder.isDrawn(node.id))
        .map(({ id, stack: name, shape, lines }) => ({ id, stack: name, shape, lines })),
    })),
    edges: builder.drawnEdges(),
  };
}

const SHAPES: Record<NodeShape, [string, string]> = {
  box: ['[', ']'],
  rounded: ['(', ')'],
  stadium: ['([', '])'],
  subroutine: ['[[', ']]'],
  cylinder: ['[(', ')]'],
  hexagon: ['{{', '}}'],
  circle: ['((', '))'],
};

const quoted = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

function renderNode(node: DiagramNode, indent: string): string {
  const [open, close] = SHAPES[node.shape];
  const [name, ...rest] = node.lines;
  return `${indent}${node.id}${open}${quoted([`<b>${name}</b>`, ...rest].join('<br/>'))}${close}`;
}

/** The region's name, or what decides it for an environment-agnostic stack. */
const regionLabel = (region: string) =>
  region === '' || region === 'unknown-region' ? "the CLI's region" : region;

/** The diagram as a Mermaid flowchart: a subgraph per region, and in it per stack. */
export function renderMermaid(diagram: ArchitectureDiagram): string {
  const lines = ['flowchart LR', renderNode(diagram.viewer, '  ')];
  const regions = [...new Set(diagram.stacks.map((s) => s.region))];
  for (const region of regions) {
    lines.push(
      `  subgraph ${mermaidId(`region_${region || 'cli'}`)}[${quoted(regionLabel(region))}]`,
    );
    for (const stack of diagram.stacks.filter((s) => s.region === region && s.nodes.length > 0)) {
      lines.push(
        `    subgraph ${mermaidId(`stack_${stack.name}`)}[${quoted(`${stack.name} stack`)}]`,
      );
      stack.nodes.forEach((node) => lines.push(renderNode(node, '      ')));
      lines.push('    end');
    }
    lines.push('  end');
  }
  for (const edge of diagram.edges) {
    const arrow = edge.dotted ? '-.->' : '-->';
    const label = edge.labels.length > 0 ? `|${quoted(edge.labels.join(', '))}|` : '';
    lines.push(`  ${edge.from} ${arrow}${label} ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Where `npm run diagram` writes each environment's diagram: `docs/diagrams/<env>.md`. */
export const DIAGRAMS_DIR = 'docs/diagrams';

/** The environment whose diagram the README shows. */
export const README_ENVIRONMENT = 'dev';

const README_START = `<!-- architecture-diagram:${README_ENVIRONMENT} (npm run diagram) -->`;
const README_END = `<!-- /architecture-diagram:${README_ENVIRONMENT} -->`;

const fenced = (mermaid: string) => `\`\`\`mermaid\n${mermaid}\`\`\`\n`;

/** The Markdown file of one environment's diagram. */
export function renderDiagramDoc(environment: string, mermaid: string): string {
  return [
    `# The ${environment} environment`,
    '',
    `Generated by \`npm run diagram\` from the synthesized templates of every stack of ${environment}; ` +
      'do not edit (a test fails when it is stale). Solid arrows: requests, messages and ' +
      'permitted connections; dotted: alarms and events.',
    '',
    fenced(mermaid),
  ].join('\n');
}

/** The README with its diagram block replaced by `mermaid`. */
export function readmeWithDiagram(readme: string, mermaid: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no block between ${README_START} and ${README_END}`);
  }
  return `${readme.slice(0, start)}${README_START}\n\n${fenced(mermaid)}\n${readme.slice(end)}`;
}
