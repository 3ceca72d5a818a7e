// What the editor's shortcuts, menus and buttons do. Each document change is one `edit`, so one
// undo step; the canvas lends the view operations (fit, sizes, centre) through `attachCanvas`.
import { catalogue, type PortRef } from '../../graph-nodes';
import { copyFragment, isEmptyFragment, pasteFragment, type Fragment } from '../graph/clipboard';
import { checkNewWire } from '../graph/connection-rules';
import {
  addNode,
  addNote,
  connect,
  moveItems,
  removeItems,
  setBypass,
  setCollapsed,
  setNodeColour,
  type ItemIds,
  type Position,
} from '../graph/document-edits';
import { useGraphStore } from '../graph/graph-store';
import { groupNodes, refitGroups, setGroupColour, ungroup } from '../graph/group-edits';
import { computeLayout } from '../layout/auto-layout';
import type { Size } from '../layout/elk-graph';
import { boundsOf, placementOffset, type Rect } from '../graph/placement';
import { runGraph } from '../run/run-controller';
import { editorState, EMPTY_SELECTION, isMinimapShown, useEditorStore } from './editor-store';
import { fileActions } from './file-actions';
import type { EditorCommand } from './shortcuts';

export interface CanvasView {
  fitView(): void;
  /** The middle of the visible canvas, in canvas coordinates. */
  viewCentre(): Position;
  /** Drawn sizes of the graph's nodes. */
  nodeSizes(): Map<string, Size>;
  /** Where the pointer last was over the canvas, in canvas coordinates; undefined once it left. */
  pointer(): Position | undefined;
  /** Every node and note as drawn (position and measured size), by node id and by note id. */
  itemRects(): { nodes: Map<string, Rect>; notes: Map<string, Rect> };
}

/** A card's size before React Flow has measured it. */
const DEFAULT_CARD = { width: 230, height: 160 };

let canvas: CanvasView | undefined;
let clipboard: Fragment | undefined;
const PASTE_OFFSET = 40;

export function attachCanvas(view: CanvasView | undefined): void {
  canvas = view;
}

const edit = useGraphStore.getState().edit;

/** A wire dropped on empty canvas: its fixed end, and the new node's port to take it. */
export interface DroppedWire {
  readonly ref: PortRef;
  /** 'output' when the fixed end is an output, so the new node's `port` is an input. */
  readonly fixedSide: 'output' | 'input';
  readonly port: string;
}

export function addNodeAt(type: string, at: Position, wire?: DroppedWire): void {
  const definition = catalogue.get(type);
  if (!definition) return;
  // The palette offers only nodes that take the wire, but check with the same rule anyway.
  const id = edit((draft) => {
    const added = addNode(draft, definition, at);
    if (wire) {
      const newEnd = { node: added, port: wire.port };
      const from = wire.fixedSide === 'output' ? wire.ref : newEnd;
      const to = wire.fixedSide === 'output' ? newEnd : wire.ref;
      if (checkNewWire(draft, catalogue, from, to).ok) connect(draft, from, to);
    }
    return added;
  });
  editorState.requestSelection({ ...EMPTY_SELECTION, nodes: [id] });
}

export function addNoteAt(at: Position): void {
  const id = edit((draft) => addNote(draft, at, ''));
  editorState.requestSelection({ ...EMPTY_SELECTION, notes: [id] });
}

/** Adds the wire if the rules allow it; otherwise shows why not. Returns whether it was added. */
export function tryConnect(from: PortRef, to: PortRef): boolean {
  const verdict = checkNewWire(useGraphStore.getState().document, catalogue, from, to);
  if (!verdict.ok) {
    editorState.showNotice(verdict.reason);
    return false;
  }
  edit((draft) => connect(draft, from, to));
  return true;
}

export function deleteSelection(): void {
  const { selection } = useEditorStore.getState();
  edit((draft) => removeItems(draft, selection));
  editorState.setSelection(EMPTY_SELECTION);
}

function selectionFragment(): Fragment {
  const { selection } = useEditorStore.getState();
  return copyFragment(useGraphStore.getState().document, selection.nodes, selection.notes);
}

/** Bypasses the nodes, or stops bypassing them all when every one of them already is. */
export function toggleBypass(ids: readonly string[] = useEditorStore.getState().selection.nodes) {
  if (ids.length === 0) {
    editorState.showNotice('select a node to bypass (Ctrl+B)');
    return;
  }
  const chosen = new Set(ids);
  const nodes = useGraphStore.getState().document.nodes.filter((node) => chosen.has(node.id));
  const bypass = nodes.some((node) => !node.bypass);
  edit((draft) => setBypass(draft, ids, bypass));
}

/** Collapses the nodes to their headers, or expands them all when every one already is. */
export function toggleCollapsed(ids: readonly string[]): void {
  const chosen = new Set(ids);
  const nodes = useGraphStore.getState().document.nodes.filter((node) => chosen.has(node.id));
  const collapse = nodes.some((node) => !node.collapsed);
  edit((draft) => setCollapsed(draft, ids, collapse));
}

/** Tints the nodes' headers (#rrggbb), or clears the tint. */
export function colourNodes(ids: readonly string[], color: string | undefined): void {
  edit((draft) => setNodeColour(draft, ids, color));
}

/** Frames the nodes (by default the selected ones) in a new group. */
export function groupNodesAt(ids: readonly string[] = useEditorStore.getState().selection.nodes) {
  if (ids.length === 0) {
    editorState.showNotice('select the nodes to group (Ctrl+G)');
    return;
  }
  const rects = canvas?.itemRects().nodes ?? new Map<string, Rect>();
  edit((draft) => groupNodes(draft, ids, rects));
}

/** Deletes a group's frame; its nodes stay. */
export function ungroupFrame(groupId: string): void {
  edit((draft) => ungroup(draft, groupId));
}

export function colourGroup(groupId: string, color: string | undefined): void {
  edit((draft) => setGroupColour(draft, groupId, color));
}

export function selectGroupNodes(groupId: string): void {
  const group = useGraphStore.getState().document.groups.find((g) => g.id === groupId);
  if (group) editorState.requestSelection({ ...EMPTY_SELECTION, nodes: [...group.nodes] });
}

/** Deletes these items (a right-clicked node, not necessarily the selection). */
export function deleteItems(items: ItemIds): void {
  edit((draft) => removeItems(draft, items));
  editorState.setSelection(EMPTY_SELECTION);
}

/** Copies of these items, placed at `at` (clear of what is there) and selected. */
export function duplicateItems(items: ItemIds, at?: Position): void {
  const fragment = copyFragment(
    useGraphStore.getState().document,
    items.nodes ?? [],
    items.notes ?? [],
  );
  pasteAndSelect(fragment, at);
}

/** Whether there is something to paste. */
export function hasClipboard(): boolean {
  return clipboard !== undefined && !isEmptyFragment(clipboard);
}

/** Pastes with the copy's top-left corner at `at` (a right-click point). */
export function pasteAt(at: Position): void {
  if (clipboard) pasteAndSelect(clipboard, at);
}

/** Shows a node's documentation: selects it and brings the inspector's description into view. */
export function showNodeHelp(nodeId: string): void {
  editorState.requestSelection({ ...EMPTY_SELECTION, nodes: [nodeId] });
  // The inspector shows the node once the selection has reached it.
  let tries = 0;
  const reveal = () => {
    const description = globalThis.document?.querySelector<HTMLElement>(
      `[data-testid="inspector-${CSS.escape(nodeId)}"] .description`,
    );
    if (!description) {
      if (++tries < 30) requestAnimationFrame(reveal);
      return;
    }
    description.scrollIntoView({ block: 'nearest' });
    description.classList.remove('help-flash');
    void description.offsetWidth;
    description.classList.add('help-flash');
  };
  requestAnimationFrame(reveal);
}

/**
 * Where a fragment goes: its top-left corner at the pointer when it is over the canvas (else a
 * step below and right of where it was copied from), then down until it covers nothing.
 */
function fragmentOffset(fragment: Fragment, at?: Position): Position {
  const { nodes, notes } = canvas?.itemRects() ?? { nodes: new Map(), notes: new Map() };
  const placed: Rect[] = [
    ...fragment.nodes.map((node) => ({
      ...node.position,
      ...(nodes.get(node.id) ?? DEFAULT_CARD),
    })),
    ...fragment.notes.map((note) => ({
      ...note.position,
      ...(note.size ?? notes.get(note.id) ?? DEFAULT_CARD),
    })),
  ];
  const bounds = boundsOf(placed);
  const anchor = at ??
    canvas?.pointer() ?? {
      x: bounds.x + PASTE_OFFSET,
      y: bounds.y + PASTE_OFFSET,
    };
  return placementOffset(placed, [...nodes.values(), ...notes.values()], anchor);
}

function pasteAndSelect(
  fragment: Fragment,
  at?: Position,
  options: { withInputLinks?: boolean } = {},
): void {
  if (isEmptyFragment(fragment)) return;
  const offset = fragmentOffset(fragment, at);
  const ids = edit((draft) => pasteFragment(draft, fragment, offset, options));
  editorState.requestSelection({ nodes: ids.nodes, notes: ids.notes, edges: [] });
}

/** A free spot for one new card at `at` (the pointer, a drop point) or just below it. */
export function freeSpotNear(at: Position): Position {
  const { nodes, notes } = canvas?.itemRects() ?? { nodes: new Map(), notes: new Map() };
  const offset = placementOffset(
    [{ ...at, ...DEFAULT_CARD }],
    [...nodes.values(), ...notes.values()],
    at,
  );
  return { x: at.x + offset.x, y: at.y + offset.y };
}

export function copySelection(): void {
  const fragment = selectionFragment();
  if (!isEmptyFragment(fragment)) clipboard = fragment;
}

export function paste(options: { withInputLinks?: boolean } = {}): void {
  if (!clipboard) return;
  // Pasting again lands beside the last copy, not on it: the placement steps past what is there.
  pasteAndSelect(clipboard, undefined, options);
}

/**
 * An Alt-drag's result: copies of the dragged items (with the wires among them) where the drag
 * ended, `offset` from the originals, which stay where they were with their wires.
 */
export function cloneItems(items: ItemIds, offset: Position): void {
  const fragment = copyFragment(
    useGraphStore.getState().document,
    items.nodes ?? [],
    items.notes ?? [],
  );
  if (isEmptyFragment(fragment)) return;
  const ids = edit((draft) => pasteFragment(draft, fragment, offset));
  editorState.requestSelection({ nodes: ids.nodes, notes: ids.notes, edges: [] });
}

export function duplicateSelection(): void {
  pasteAndSelect(selectionFragment());
}

export async function autoLayout(): Promise<void> {
  const { document } = useGraphStore.getState();
  const sizes = canvas?.nodeSizes() ?? new Map<string, Size>();
  const positions = await computeLayout(document, sizes);
  edit((draft) => {
    moveItems(draft, { nodes: positions });
    // Frames follow their nodes to where the layout put them.
    refitGroups(draft, sizes);
  });
  // Let React Flow place the moved nodes before framing them.
  requestAnimationFrame(() => canvas?.fitView());
}

export function viewCentre(): Position {
  return canvas?.viewCentre() ?? { x: 0, y: 0 };
}

function reportFailure(error: unknown): void {
  editorState.showNotice(error instanceof Error ? error.message : String(error));
}

export function runCommand(command: EditorCommand): void {
  const graph = useGraphStore.getState();
  switch (command) {
    case 'undo':
      return graph.undo();
    case 'redo':
      return graph.redo();
    case 'copy':
      return copySelection();
    case 'paste':
      return paste();
    case 'paste-with-links':
      return paste({ withInputLinks: true });
    case 'duplicate':
      return duplicateSelection();
    case 'delete':
      return deleteSelection();
    case 'bypass':
      return toggleBypass();
    case 'group':
      return groupNodesAt();
    case 'select-all': {
      const { document } = graph;
      return editorState.requestSelection({
        nodes: document.nodes.map((node) => node.id),
        notes: (document.notes ?? []).map((note) => note.id),
        edges: [],
      });
    }
    case 'save':
      return void fileActions().save().catch(reportFailure);
    case 'open':
      return void fileActions().open().catch(reportFailure);
    case 'run':
      return void runGraph(graph.document);
    case 'fit':
      return canvas?.fitView();
    case 'layout':
      return void autoLayout().catch(reportFailure);
    case 'quick-add': {
      const at = freeSpotNear(canvas?.pointer() ?? viewCentre());
      const screen = { x: window.innerWidth / 2 - 160, y: window.innerHeight / 3 };
      return editorState.openPalette({ at, screen });
    }
    case 'toggle-minimap':
      return editorState.setMinimapChoice(!isMinimapShown());
    case 'help':
      return editorState.setHelpOpen(!useEditorStore.getState().helpOpen);
    case 'escape':
      editorState.closePalette();
      editorState.setHelpOpen(false);
      return;
  }
}
