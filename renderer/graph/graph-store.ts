// The open graph document: the one source of truth the canvas draws and the engine runs.
// Every change goes through `edit`, which records it as immer patches for undo and redo.
import { produceWithPatches } from 'immer';
import { create } from 'zustand';
import type { GraphDocument } from '../../graph-nodes';
import { DEFAULT_PRESET_FILE, loadDefaultPreset } from './default-preset';
import { moveItems } from './document-edits';
import {
  canRedo,
  canUndo,
  closeGroup,
  EMPTY_HISTORY,
  isDirty,
  markSaved,
  recordEdit,
  redo,
  undo,
  type History,
} from './history';

interface GraphState {
  readonly document: GraphDocument;
  /** Where the document was opened from or saved to (a file path or a bundled preset). */
  readonly source: string;
  /** Whether the document differs from what was last loaded or saved. */
  readonly dirty: boolean;
  readonly history: History;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Counts `load` calls, so views can reframe when a different document arrives. */
  readonly loads: number;
  /** Replaces the document (open, new, preset) and starts a fresh undo history. */
  load(document: GraphDocument, source: string): void;
  /** Records that the document as it is now was saved to `source`; keeps the undo history. */
  markSaved(source?: string): void;
  /**
   * Applies one edit. Edits passing the same `group` merge into one undo step until
   * `endGesture` (a slider drag, typing in one field).
   */
  edit<T>(recipe: (draft: GraphDocument) => T, options?: { group?: string }): T;
  endGesture(): void;
  undo(): void;
  redo(): void;
  moveNode(nodeId: string, position: { x: number; y: number }): void;
}

function withHistory(history: History) {
  return {
    history,
    dirty: isDirty(history),
    canUndo: canUndo(history),
    canRedo: canRedo(history),
  };
}

export const useGraphStore = create<GraphState>()((set, get) => ({
  document: loadDefaultPreset(),
  source: DEFAULT_PRESET_FILE,
  loads: 0,
  ...withHistory(EMPTY_HISTORY),

  load: (document, source) =>
    set((state) => ({ document, source, loads: state.loads + 1, ...withHistory(EMPTY_HISTORY) })),

  markSaved: (source) =>
    set((state) => ({ source: source ?? state.source, ...withHistory(markSaved(state.history)) })),

  edit: (recipe, options) => {
    let result: unknown;
    const [document, patches, inversePatches] = produceWithPatches(get().document, (draft) => {
      result = recipe(draft as GraphDocument);
    });
    if (patches.length) {
      const history = recordEdit(get().history, { patches, inversePatches, group: options?.group });
      set({ document, ...withHistory(history) });
    } else if (options?.group === undefined || get().history.openGroup !== options.group) {
      // An edit that changed nothing ends a gesture, except one of the gesture itself (a slider
      // moved by less than its rounding): the drag is still one undo step.
      set((state) => withHistory(closeGroup(state.history)));
    }
    return result as ReturnType<typeof recipe>;
  },

  endGesture: () => {
    const { history } = get();
    if (history.openGroup !== null) set(withHistory(closeGroup(history)));
  },

  undo: () => {
    const [document, history] = undo(get().document, get().history);
    set({ document, ...withHistory(history) });
  },

  redo: () => {
    const [document, history] = redo(get().document, get().history);
    set({ document, ...withHistory(history) });
  },

  moveNode: (nodeId, position) =>
    get().edit((draft) => moveItems(draft, { nodes: { [nodeId]: position } })),
}));

export function serializeDocument(document: GraphDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
