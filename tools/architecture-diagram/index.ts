import { StackTemplate } from '../security-projection';
import { Builder } from './builder';
import { ArchitectureDiagram } from './diagram';
import { addViewerPath, addMessaging, addNetworkPaths, addNotifications, addRoutes } from './edges';
import {
  addBaselineNodes,
  addResourceNodes,
  addTriggerGroups,
  describeDatabases,
  describeVpcs,
} from './nodes';
import { localName, References } from './references';

/**
 * The architecture diagram of one environment, read from its synthesized
 * templates (never drawn by hand): the resources a platform engineer looks
 * for first become nodes, and what the templates say connects them becomes
 * edges. A resource added later appears as soon as its type is in
 * {@link NODE_TYPES}; a connection as soon as a template wires it. Labels come
 * from construct paths, never from hashes, so asset changes leave it alone.
 * `npm run diagram` writes one per environment into docs/diagrams/.
 */

/** The diagram of one stage's stacks. */
export function architectureOf(stacks: readonly StackTemplate[]): ArchitectureDiagram {
  const builder = new Builder(new References(stacks));
  addResourceNodes(builder);
  addBaselineNodes(builder, stacks);
  addTriggerGroups(builder);
  addViewerPath(builder);
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

export * from './diagram';
export { NODE_TYPES } from './nodes';
export {
  DIAGRAMS_DIR,
  readmeWithDiagram,
  README_ENVIRONMENT,
  renderDiagramDoc,
  renderMermaid,
} from './mermaid';
