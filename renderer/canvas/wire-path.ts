// The drawn path of a wire through its bend points: a smooth curve (Catmull–Rom, as cubic
// Béziers) through every bend that leaves its output and enters its input horizontally, like the
// plain wires.
import { getBezierPath, type Position as Side } from '@xyflow/react';
import type { Position } from '../graph/document-edits';

/** The shortest horizontal reach of the curve out of an output and into an input. */
const MIN_END_REACH = 30;

export function wirePath(from: Position, via: readonly Position[], to: Position): string {
  const points = [from, ...via, to];
  const last = points.length - 1;
  let path = `M ${from.x},${from.y}`;
  for (let i = 0; i < last; i++) {
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const reach = Math.max(MIN_END_REACH, Math.abs(p2.x - p1.x) / 3);
    const p0 = points[i - 1];
    const p3 = points[i + 2];
    const c1 = p0
      ? { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 }
      : { x: p1.x + reach, y: p1.y };
    const c2 = p3
      ? { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 }
      : { x: p2.x - reach, y: p2.y };
    path += ` C ${c1.x},${c1.y} ${c2.x},${c2.y} ${p2.x},${p2.y}`;
  }
  return path;
}

/** One end of a wire: where it meets its port, and the side of the card the port is on. */
export interface WireEndPoint extends Position {
  readonly side: Side;
}

/** The path a wire is drawn with: React Flow's curve, or a curve through its bends if it has any. */
export function drawnWirePath(
  from: WireEndPoint,
  via: readonly Position[],
  to: WireEndPoint,
): string {
  if (via.length > 0) return wirePath(from, via, to);
  return getBezierPath({
    sourceX: from.x,
    sourceY: from.y,
    sourcePosition: from.side,
    targetX: to.x,
    targetY: to.y,
    targetPosition: to.side,
  })[0];
}
