// Edits to groups: titled frames that hold nodes and move them together. Membership is explicit
// (the group's `nodes`), and a drag decides it: a card dropped with its centre inside a frame
// joins that group, a card dropped outside every frame leaves its group. Resizing or moving a
// frame never changes who is in it.
import type { Group, GraphDocument } from '../../graph-nodes';
import type { Position } from './document-edits';
import { boundsOf, type Rect } from './placement';
import { uniqueId } from './unique-id';

/** Room between a frame's edge and the cards it is drawn around. */
export const GROUP_PADDING = 24;
/** Height of the title bar above the cards. */
export const GROUP_TITLE_HEIGHT = 34;
export const DEFAULT_GROUP_TITLE = 'Group';
export const MIN_GROUP_SIZE = { width: 160, height: 80 };

function rounded(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/** Takes the nodes out of whichever groups hold them (a node is in one group at most). */
export function leaveGroups(draft: GraphDocument, nodeIds: ReadonlySet<string>): void {
  for (const group of draft.groups) {
    if (group.nodes.some((id) => nodeIds.has(id))) {
      group.nodes = group.nodes.filter((id) => !nodeIds.has(id));
    }
  }
}

/**
 * A new group framing the nodes (as drawn: `rects` by node id), padded and with room for its
 * title; the nodes leave any group they were in. Returns the group's id, or undefined when none
 * of the nodes is drawn.
 */
export function groupNodes(
  draft: GraphDocument,
  nodeIds: readonly string[],
  rects: ReadonlyMap<string, Rect>,
  title = DEFAULT_GROUP_TITLE,
): string | undefined {
  const existing = new Set(draft.nodes.map((node) => node.id));
  const members = [...new Set(nodeIds)].filter((id) => existing.has(id) && rects.has(id));
  if (members.length === 0) return undefined;
  const bounds = boundsOf(members.map((id) => rects.get(id)!));
  leaveGroups(draft, new Set(members));
  const id = uniqueId(
    'group',
    draft.groups.map((group) => group.id),
  );
  draft.groups.push({ id, title, ...framing(bounds), nodes: members });
  return id;
}

function findGroup(draft: GraphDocument, groupId: string): Group | undefined {
  return draft.groups.find((group) => group.id === groupId);
}

/**
 * Redraws every group's frame around its nodes where they are now (after an auto-layout moved
 * them), with the same padding and title room as a new group. A group with no nodes keeps its
 * frame.
 */
export function refitGroups(
  draft: GraphDocument,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): void {
  const positions = new Map(draft.nodes.map((node) => [node.id, node.position]));
  for (const group of draft.groups) {
    const rects = group.nodes.flatMap((id) => {
      const position = positions.get(id);
      const size = sizes.get(id);
      return position && size ? [{ ...position, ...size }] : [];
    });
    if (rects.length === 0) continue;
    const frame = framing(boundsOf(rects));
    resizeGroup(draft, group.id, { ...frame.position, ...frame.size });
  }
}

/** A frame around `bounds`: padded, with room for the title above. */
function framing(bounds: Rect): Pick<Group, 'position' | 'size'> {
  return {
    position: rounded({
      x: bounds.x - GROUP_PADDING,
      y: bounds.y - GROUP_PADDING - GROUP_TITLE_HEIGHT,
    }),
    size: {
      width: Math.round(bounds.width + 2 * GROUP_PADDING),
      height: Math.round(bounds.height + 2 * GROUP_PADDING + GROUP_TITLE_HEIGHT),
    },
  };
}

/** Moves the frame to `position` and its nodes (and the bends of wires between them) with it. */
export function moveGroup(draft: GraphDocument, groupId: string, position: Position): void {
  const group = findGroup(draft, groupId);
  if (!group) return;
  const next = rounded(position);
  const dx = next.x - group.position.x;
  const dy = next.y - group.position.y;
  if (dx === 0 && dy === 0) return;
  group.position = next;
  const members = new Set(group.nodes);
  for (const node of draft.nodes) {
    if (members.has(node.id)) {
      node.position = { x: node.position.x + dx, y: node.position.y + dy };
    }
  }
  // A wire inside the group keeps its shape: its bends move too.
  for (const edge of draft.edges) {
    if (edge.via && members.has(edge.from.node) && members.has(edge.to.node)) {
      edge.via = edge.via.map((bend) => ({ x: bend.x + dx, y: bend.y + dy }));
    }
  }
}

/** Where the nodes of a group are while its frame is dragged to `position` (nothing is edited). */
export function memberPositionsAt(
  document: GraphDocument,
  groupId: string,
  position: Position,
): Map<string, Position> {
  const moved = new Map<string, Position>();
  const group = document.groups.find((candidate) => candidate.id === groupId);
  if (!group) return moved;
  const dx = position.x - group.position.x;
  const dy = position.y - group.position.y;
  const members = new Set(group.nodes);
  for (const node of document.nodes) {
    if (members.has(node.id)) {
      moved.set(node.id, { x: node.position.x + dx, y: node.position.y + dy });
    }
  }
  return moved;
}

export function renameGroup(draft: GraphDocument, groupId: string, title: string): void {
  const group = findGroup(draft, groupId);
  const trimmed = title.trim();
  if (group && trimmed && group.title !== trimmed) group.title = trimmed;
}

/** Resizes (and, from a left or top handle, moves) the frame; its nodes stay where they are. */
export function resizeGroup(draft: GraphDocument, groupId: string, frame: Rect): void {
  const group = findGroup(draft, groupId);
  if (!group) return;
  const position = rounded(frame);
  const size = {
    width: Math.max(MIN_GROUP_SIZE.width, Math.round(frame.width)),
    height: Math.max(MIN_GROUP_SIZE.height, Math.round(frame.height)),
  };
  if (group.position.x !== position.x || group.position.y !== position.y) group.position = position;
  if (group.size.width !== size.width || group.size.height !== size.height) group.size = size;
}

/** Deletes the frame; its nodes stay where they are, in no group. */
export function ungroup(draft: GraphDocument, groupId: string): void {
  draft.groups = draft.groups.filter((group) => group.id !== groupId);
}

export function setGroupColour(
  draft: GraphDocument,
  groupId: string,
  color: string | undefined,
): void {
  const group = findGroup(draft, groupId);
  if (!group) return;
  if (color === undefined) delete group.color;
  else group.color = color;
}

/** The group whose frame holds `point`: the one drawn on top (last) when frames overlap. */
export function groupAt(groups: readonly Group[], point: Position): Group | undefined {
  for (let index = groups.length - 1; index >= 0; index--) {
    const { position, size } = groups[index]!;
    if (
      point.x >= position.x &&
      point.x <= position.x + size.width &&
      point.y >= position.y &&
      point.y <= position.y + size.height
    ) {
      return groups[index];
    }
  }
  return undefined;
}

/**
 * After a drag: each dropped card belongs to the frame its centre landed in (`rects` are the
 * cards where they were dropped), or to none.
 */
export function regroupDropped(draft: GraphDocument, rects: ReadonlyMap<string, Rect>): void {
  for (const [nodeId, rect] of rects) {
    const centre = { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    const target = groupAt(draft.groups, centre);
    const current = draft.groups.find((group) => group.nodes.includes(nodeId));
    if (target === current) continue;
    if (current) current.nodes = current.nodes.filter((id) => id !== nodeId);
    target?.nodes.push(nodeId);
  }
}
