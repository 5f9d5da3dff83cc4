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
