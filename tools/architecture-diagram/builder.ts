import { StackTemplate } from '../security-projection';
import { DiagramEdge, DiagramNode } from './diagram';
import { localName, References, ResourceKey } from './references';

/** A Mermaid id: letters, digits and underscores. */
export const mermaidId = (text: string) =>
  text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** The construct path without ids that only repeat what the node's kind says. */
export function displayName(path: string, defaultIds: readonly string[]): string {
  const segments = path.split('/').filter((segment, i, all) => segment !== all[i - 1]);
  if (segments.length > 1 && defaultIds.includes(segments[segments.length - 1])) {
    segments.pop();
  }
  return segments.join('/');
}

/** Collects nodes and edges. */
export class Builder {
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
