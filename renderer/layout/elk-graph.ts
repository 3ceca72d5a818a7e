// Graph document ↔ the graph elkjs lays out: nodes become boxes of their drawn size, wires become
// edges between ports, and the laid-out boxes come back as node positions. Notes stay put.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphDocument } from '../../graph-nodes';

export type Size = { width: number; height: number };
export type Position = { x: number; y: number };

const FALLBACK_SIZE: Size = { width: 230, height: 160 };

/** Left-to-right layers, like a pipeline read from noise to samples. */
export const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
};

export function toElkGraph(
  document: GraphDocument,
  sizes: ReadonlyMap<string, Size>,
): ElkNode & { children: ElkNode[]; edges: ElkExtendedEdge[] } {
  const ids = new Set(document.nodes.map((node) => node.id));
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: document.nodes.map((node) => ({
      id: node.id,
      ...(sizes.get(node.id) ?? FALLBACK_SIZE),
    })),
    edges: document.edges
      .filter((edge) => ids.has(edge.from.node) && ids.has(edge.to.node))
      .map((edge, index) => ({
        id: `e${index}`,
        sources: [edge.from.node],
        targets: [edge.to.node],
      })),
  };
}

/**
 * The laid-out positions, shifted so the layout's top-left corner stays where the graph's was
 * (so auto-layout tidies the graph in place rather than throwing it across the canvas).
 */
export function positionsFromLayout(
  document: GraphDocument,
  layout: ElkNode,
): Record<string, Position> {
  const placed = (layout.children ?? []).filter(
    (child): child is ElkNode & { x: number; y: number } =>
      typeof child.x === 'number' && typeof child.y === 'number',
  );
  if (placed.length === 0) return {};
  const origin = {
    x: Math.min(...document.nodes.map((node) => node.position.x)),
    y: Math.min(...document.nodes.map((node) => node.position.y)),
  };
  const layoutOrigin = {
    x: Math.min(...placed.map((child) => child.x)),
    y: Math.min(...placed.map((child) => child.y)),
  };
  return Object.fromEntries(
    placed.map((child) => [
      child.id,
      {
        x: Math.round(child.x - layoutOrigin.x + origin.x),
        y: Math.round(child.y - layoutOrigin.y + origin.y),
      },
    ]),
  );
}
