// Runs elkjs on the document and returns new node positions. The engine loads on first use, so
// the app does not pay for it at start-up.
import type { GraphDocument } from '../../graph-nodes';
import { positionsFromLayout, toElkGraph, type Position, type Size } from './elk-graph';

export async function computeLayout(
  document: GraphDocument,
  sizes: ReadonlyMap<string, Size>,
): Promise<Record<string, Position>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const layout = await new ELK().layout(toElkGraph(document, sizes));
  return positionsFromLayout(document, layout);
}
