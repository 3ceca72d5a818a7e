// Alt-drag clones, as in ComfyUI: dragging with Alt held leaves the dragged nodes (and notes) where
// they were, wires and all, and drops copies of them where the drag ends. React Flow moves the
// originals while the pointer moves; the drop writes the copies instead of the move, and the
// canvas then puts the originals back where the document still has them.
import { cloneItems } from '../editor/commands';
import type { Position } from '../graph/document-edits';
import { noteIdOf, type FlowNode } from './flow-elements';

interface CloneDrag {
  readonly nodes: ReadonlyMap<string, Position>;
  readonly notes: ReadonlyMap<string, Position>;
}

let pending: CloneDrag | null = null;

/**
 * React Flow's onNodeDragStart (a module-level function, so the canvas passes the same one every
 * render: a new one would be a store update, and a re-check of every node and port, per frame):
 * remembers where the dragged items were if Alt is held.
 */
export function beginDrag(
  event: { altKey: boolean },
  _node: FlowNode,
  dragged: readonly FlowNode[],
): void {
  if (!event.altKey) {
    pending = null;
    return;
  }
  const nodes = new Map<string, Position>();
  const notes = new Map<string, Position>();
  for (const item of dragged) {
    const noteId = noteIdOf(item.id);
    if (noteId !== undefined) notes.set(noteId, { ...item.position });
    else nodes.set(item.id, { ...item.position });
  }
  pending = { nodes, notes };
}

/**
 * At a drag's end, with where the items landed: true when it was an Alt-drag, whose copies are now
 * in the document (so the caller must not move the originals).
 */
export function finishCloneDrag(moved: {
  readonly nodes: Readonly<Record<string, Position>>;
  readonly notes: Readonly<Record<string, Position>>;
}): boolean {
  const drag = pending;
  pending = null;
  if (!drag) return false;
  const offset = firstOffset(drag.nodes, moved.nodes) ?? firstOffset(drag.notes, moved.notes);
  if (!offset) return false;
  cloneItems({ nodes: [...drag.nodes.keys()], notes: [...drag.notes.keys()] }, offset);
  return true;
}

function firstOffset(
  start: ReadonlyMap<string, Position>,
  end: Readonly<Record<string, Position>>,
): Position | undefined {
  for (const [id, from] of start) {
    if (!Object.prototype.hasOwnProperty.call(end, id)) continue;
    const to = end[id]!;
    return { x: Math.round(to.x - from.x), y: Math.round(to.y - from.y) };
  }
  return undefined;
}
