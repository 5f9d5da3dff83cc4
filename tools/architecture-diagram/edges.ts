import { get, StackTemplate } from '../security-projection';
import { Builder, mermaidId } from './builder';
import { keyOf, list, localName, Located, Properties, References, ResourceKey } from './references';

/** Viewer → CloudFront (+ its web ACL) → origin. */
export function addViewerPath(builder: Builder): void {
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
export function addRoutes(builder: Builder): void {
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
export function addNetworkPaths(builder: Builder): void {
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
export function addMessaging(builder: Builder): void {
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
export function addNotifications(builder: Builder): void {
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
