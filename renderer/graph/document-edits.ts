// The edits the editor makes to a graph document, as immer recipes on a draft. Each is one
// user action; the store turns a recipe into one undo step.
import type { AnyNodeDefinition, Edge, GraphDocument, Note, PortRef } from '../../graph-nodes';
import { leaveGroups } from './group-edits';
import { uniqueId } from './unique-id';

export type Position = { x: number; y: number };

/** The id React Flow and the selection use for a wire. */
export function edgeKey(edge: Edge): string {
  return `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`;
}

function rounded(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/** Moves an item only if it really moves: a click without a drag must not become an edit. */
function place(item: { position: Position }, position: Position): void {
  const next = rounded(position);
  if (item.position.x !== next.x || item.position.y !== next.y) item.position = next;
}

/** Adds a node with its type's default params; returns its id (named after the node's kind). */
export function addNode(
  draft: GraphDocument,
  definition: AnyNodeDefinition,
  position: Position,
): string {
  const id = uniqueId(
    definition.kind,
    draft.nodes.map((node) => node.id),
  );
  draft.nodes.push({
    id,
    type: definition.type,
    typeVersion: definition.version,
    position: rounded(position),
    params: {},
  });
  return id;
}

/** Adds the wire; an input takes one wire, so a wire already feeding `to` is replaced. */
export function connect(draft: GraphDocument, from: PortRef, to: PortRef): void {
  draft.edges = draft.edges.filter(
    (edge) => !(edge.to.node === to.node && edge.to.port === to.port),
  );
  draft.edges.push({ from: { ...from }, to: { ...to } });
}

export interface ItemIds {
  readonly nodes?: readonly string[];
  readonly edges?: readonly string[];
  readonly notes?: readonly string[];
}

/** Deletes nodes (with every wire touching them and their places in groups), wires and notes. */
export function removeItems(draft: GraphDocument, items: ItemIds): void {
  const nodes = new Set(items.nodes);
  const edges = new Set(items.edges);
  const notes = new Set(items.notes);
  if (nodes.size) {
    draft.nodes = draft.nodes.filter((node) => !nodes.has(node.id));
    leaveGroups(draft, nodes);
  }
  if (nodes.size || edges.size) {
    draft.edges = draft.edges.filter(
      (edge) => !nodes.has(edge.from.node) && !nodes.has(edge.to.node) && !edges.has(edgeKey(edge)),
    );
  }
  if (notes.size && draft.notes) {
    draft.notes = draft.notes.filter((note) => !notes.has(note.id));
    if (draft.notes.length === 0) delete draft.notes;
  }
}

export function moveItems(
  draft: GraphDocument,
  positions: {
    nodes?: Readonly<Record<string, Position>>;
    notes?: Readonly<Record<string, Position>>;
  },
): void {
  for (const node of draft.nodes) {
    const position = positions.nodes?.[node.id];
    if (position) place(node, position);
  }
  for (const note of draft.notes ?? []) {
    const position = positions.notes?.[note.id];
    if (position) place(note, position);
  }
}

/** Sets a param as given, valid or not: the inspector shows what is wrong rather than clamp. */
export function setParam(draft: GraphDocument, nodeId: string, name: string, value: unknown): void {
  const node = draft.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) return;
  // A param set to undefined is not set: it takes its default, as in a file that omits it.
  if (value === undefined) delete node.params[name];
  else node.params[name] = value;
}

export function addNote(draft: GraphDocument, position: Position, text = ''): string {
  const id = uniqueId(
    'note',
    (draft.notes ?? []).map((note) => note.id),
  );
  (draft.notes ??= []).push({ id, position: rounded(position), text });
  return id;
}

export function updateNote(
  draft: GraphDocument,
  id: string,
  change: Partial<Pick<Note, 'text' | 'size' | 'position'>>,
): void {
  const note = draft.notes?.find((candidate) => candidate.id === id);
  if (!note) return;
  if (change.text !== undefined) note.text = change.text;
  if (change.position) place(note, change.position);
  if (change.size) {
    const width = Math.round(change.size.width);
    const height = Math.round(change.size.height);
    if (note.size?.width !== width || note.size.height !== height) note.size = { width, height };
  }
}

/** Sets an on/off field of the nodes; off leaves no field behind, as in a file that omits it. */
function setNodeFlag(
  draft: GraphDocument,
  ids: readonly string[],
  flag: 'bypass' | 'collapsed',
  on: boolean,
): void {
  const chosen = new Set(ids);
  for (const node of draft.nodes) {
    if (!chosen.has(node.id)) continue;
    if (on) node[flag] = true;
    else delete node[flag];
  }
}

/** Bypasses the nodes (or stops bypassing them). */
export function setBypass(draft: GraphDocument, ids: readonly string[], bypass: boolean): void {
  setNodeFlag(draft, ids, 'bypass', bypass);
}

/** Tints the nodes' headers with `color` (#rrggbb), or removes the tint when undefined. */
export function setNodeColour(
  draft: GraphDocument,
  ids: readonly string[],
  color: string | undefined,
): void {
  const chosen = new Set(ids);
  for (const node of draft.nodes) {
    if (!chosen.has(node.id)) continue;
    if (color === undefined) delete node.color;
    else node.color = color;
  }
}

/** Draws the nodes as their headers alone, or in full again. */
export function setCollapsed(
  draft: GraphDocument,
  ids: readonly string[],
  collapsed: boolean,
): void {
  setNodeFlag(draft, ids, 'collapsed', collapsed);
}
