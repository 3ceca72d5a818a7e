// Rules the editor checks before it changes a graph, kept beside the compiler's so both agree.
import type { GraphDocument, PortRef } from './document';

/**
 * Whether a new wire from → to would close a loop: it does when `to.node` already feeds
 * `from.node` (directly or through other nodes), or when both ends are the same node.
 */
export function wouldCreateCycle(
  graph: Pick<GraphDocument, 'edges'>,
  from: Pick<PortRef, 'node'>,
  to: Pick<PortRef, 'node'>,
): boolean {
  if (from.node === to.node) return true;
  const downstream = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const next = downstream.get(edge.from.node);
    if (next) next.push(edge.to.node);
    else downstream.set(edge.from.node, [edge.to.node]);
  }
  const seen = new Set<string>([to.node]);
  const frontier = [to.node];
  while (frontier.length) {
    const node = frontier.pop()!;
    for (const next of downstream.get(node) ?? []) {
      if (next === from.node) return true;
      if (!seen.has(next)) {
        seen.add(next);
        frontier.push(next);
      }
    }
  }
  return false;
}
