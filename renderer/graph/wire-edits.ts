// Bend points on wires (an edge's `via`): added by double-clicking a wire, dragged, removed by
// double-clicking them. Layout only: the compiler never reads them.
import type { GraphDocument } from '../../graph-nodes';
import { edgeKey, type Position } from './document-edits';

function findEdge(draft: GraphDocument, key: string) {
  return draft.edges.find((edge) => edgeKey(edge) === key);
}

function rounded(point: Position): Position {
  return { x: Math.round(point.x), y: Math.round(point.y) };
}

/** Where a new bend at `point` goes among a wire's bends: on the leg it lengthens least. */
export function bendInsertionIndex(
  from: Position,
  via: readonly Position[],
  to: Position,
  point: Position,
): number {
  const corners = [from, ...via, to];
  let best = 0;
  let bestDetour = Infinity;
  for (let leg = 0; leg < corners.length - 1; leg++) {
    const a = corners[leg]!;
    const b = corners[leg + 1]!;
    const detour =
      Math.hypot(point.x - a.x, point.y - a.y) +
      Math.hypot(b.x - point.x, b.y - point.y) -
      Math.hypot(b.x - a.x, b.y - a.y);
    if (detour < bestDetour) {
      bestDetour = detour;
      best = leg;
    }
  }
  return best;
}

export function addBend(draft: GraphDocument, key: string, index: number, point: Position): void {
  const edge = findEdge(draft, key);
  if (!edge) return;
  const via = edge.via ?? [];
  edge.via = [...via.slice(0, index), rounded(point), ...via.slice(index)];
}

export function moveBend(draft: GraphDocument, key: string, index: number, point: Position): void {
  const bend = findEdge(draft, key)?.via?.[index];
  const next = rounded(point);
  if (bend && (bend.x !== next.x || bend.y !== next.y)) Object.assign(bend, next);
}

/** Removes a bend; a wire left with none loses the field, as in a file that never had it. */
export function removeBend(draft: GraphDocument, key: string, index: number): void {
  const edge = findEdge(draft, key);
  if (!edge?.via) return;
  edge.via = edge.via.filter((_, place) => place !== index);
  if (edge.via.length === 0) delete edge.via;
}
