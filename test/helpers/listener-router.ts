/**
 * Where an Application Load Balancer listener sends a request, read from the
 * synthesized listener and listener rules: rules by priority, the first whose
 * conditions all match wins, else the default action. Path patterns are
 * case-sensitive and matched against the path as sent (`*` any characters,
 * `?` one); host patterns are case-insensitive.
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 */

type CfnResources = Record<string, { Type: string; Properties?: any }>;

/** A rule's outcome: a fixed status (`403`) or the logical ID of a target group. */
export type Destination = { readonly status: number } | { readonly targetGroup: string };

interface Rule {
  readonly priority: number;
  readonly conditions: readonly any[];
  readonly destination: Destination;
}

const glob = (pattern: string, flags = '') =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

function destinationOf(actions: any[]): Destination {
  const [action] = actions;
  if (action.Type === 'fixed-response') {
    return { status: Number(action.FixedResponseConfig.StatusCode) };
  }
  if (action.Type === 'forward') {
    return { targetGroup: action.TargetGroupArn.Ref };
  }
  throw new Error(`listener-router: action ${action.Type} is not modelled`);
}

function conditionMatches(condition: any, request: { path: string; host: string }): boolean {
  switch (condition.Field) {
    case 'path-pattern':
      return condition.PathPatternConfig.Values.some((v: string) => glob(v).test(request.path));
    case 'host-header':
      return condition.HostHeaderConfig.Values.some((v: string) => glob(v, 'i').test(request.host));
    default:
      throw new Error(`listener-router: condition ${condition.Field} is not modelled`);
  }
}

/** The router of the one listener in `listenerTemplate`, with the rules of every template. */
export function listenerRouter(
  listenerTemplate: CfnResources,
  ruleTemplates: readonly CfnResources[],
): (request: { path: string; host: string }) => Destination {
  const listeners = Object.values(listenerTemplate).filter(
    (r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener',
  );
  if (listeners.length !== 1) {
    throw new Error(`listener-router: expected one listener, found ${listeners.length}`);
  }
  const fallback = destinationOf(listeners[0].Properties.DefaultActions);
  const rules: Rule[] = ruleTemplates
    .flatMap((resources) => Object.values(resources))
    .filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .map((r) => ({
      priority: r.Properties.Priority,
      conditions: r.Properties.Conditions,
      destination: destinationOf(r.Properties.Actions),
    }))
    .sort((a, b) => a.priority - b.priority);
  return (request) =>
    rules.find((rule) => rule.conditions.every((c) => conditionMatches(c, request)))?.destination ??
    fallback;
}
