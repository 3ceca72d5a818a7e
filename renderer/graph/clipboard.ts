// Copy and paste of part of a graph: the chosen nodes and notes, and the wires between them.
// Pasting gives every item a fresh id and rewires the copied wires to the new ids. A copy also
// remembers the wires that fed it from outside, so a paste "with input links" (Ctrl+Shift+V) can
// hook the copies to the same sources, as ComfyUI users expect.
import type { Edge, GraphDocument, NodeInstance, Note } from '../../graph-nodes';
import type { Position } from './document-edits';
import { uniqueId } from './unique-id';

export interface Fragment {
  readonly nodes: readonly NodeInstance[];
  readonly edges: readonly Edge[];
  readonly notes: readonly Note[];
  /** Wires from nodes outside the copy into its nodes' inputs. */
  readonly incoming: readonly Edge[];
}

/** Deep copies, so later edits to the document leave the clipboard as it was. */
export function copyFragment(
  document: GraphDocument,
  nodeIds: readonly string[],
  noteIds: readonly string[] = [],
): Fragment {
  const nodes = new Set(nodeIds);
  const notes = new Set(noteIds);
  return structuredClone({
    nodes: document.nodes.filter((node) => nodes.has(node.id)),
    edges: document.edges.filter((edge) => nodes.has(edge.from.node) && nodes.has(edge.to.node)),
    notes: (document.notes ?? []).filter((note) => notes.has(note.id)),
    incoming: document.edges.filter(
      (edge) => !nodes.has(edge.from.node) && nodes.has(edge.to.node),
    ),
  });
}

export function isEmptyFragment(fragment: Fragment): boolean {
  return fragment.nodes.length === 0 && fragment.notes.length === 0;
}

/**
 * Adds the fragment shifted by `offset`; returns the new ids of its nodes and notes. With
 * `withInputLinks`, each copy's inputs are also wired to the sources that fed the original, where
 * those source nodes are still in the graph.
 */
export function pasteFragment(
  draft: GraphDocument,
  fragment: Fragment,
  offset: Position,
  options: { withInputLinks?: boolean } = {},
): { nodes: string[]; notes: string[] } {
  const shift = (position: Position): Position => ({
    x: Math.round(position.x + offset.x),
    y: Math.round(position.y + offset.y),
  });
  const takenNodeIds = new Set(draft.nodes.map((node) => node.id));
  const newNodeId = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = uniqueId(node.id, takenNodeIds);
    takenNodeIds.add(id);
    newNodeId.set(node.id, id);
    draft.nodes.push({ ...structuredClone(node), id, position: shift(node.position) });
  }
  for (const edge of fragment.edges) {
    const from = newNodeId.get(edge.from.node);
    const to = newNodeId.get(edge.to.node);
    if (from && to) {
      draft.edges.push({
        from: { node: from, port: edge.from.port },
        to: { node: to, port: edge.to.port },
      });
    }
  }
  if (options.withInputLinks) {
    const present = new Set(draft.nodes.map((node) => node.id));
    for (const edge of fragment.incoming) {
      const to = newNodeId.get(edge.to.node);
      if (to && present.has(edge.from.node)) {
        draft.edges.push({ from: { ...edge.from }, to: { node: to, port: edge.to.port } });
      }
    }
  }
  const takenNoteIds = new Set((draft.notes ?? []).map((note) => note.id));
  const notes: string[] = [];
  for (const note of fragment.notes) {
    const id = uniqueId(note.id, takenNoteIds);
    takenNoteIds.add(id);
    notes.push(id);
    (draft.notes ??= []).push({ ...structuredClone(note), id, position: shift(note.position) });
  }
  return { nodes: [...newNodeId.values()], notes };
}
