// The open graph document: the one source of truth the canvas draws and the engine runs.
import { produce } from 'immer';
import { create } from 'zustand';
import type { GraphDocument } from '../../graph-nodes';
import { DEFAULT_PRESET_FILE, loadDefaultPreset } from './default-preset';

interface GraphState {
  readonly document: GraphDocument;
  /** Where the document was opened from or saved to (a file path or a bundled preset). */
  readonly source: string;
  load(document: GraphDocument, source: string): void;
  moveNode(nodeId: string, position: { x: number; y: number }): void;
}

export const useGraphStore = create<GraphState>()((set) => ({
  document: loadDefaultPreset(),
  source: DEFAULT_PRESET_FILE,
  load: (document, source) => set({ document, source }),
  moveNode: (nodeId, position) =>
    set((state) => ({
      document: produce(state.document, (draft) => {
        const node = draft.nodes.find((candidate) => candidate.id === nodeId);
        if (node) node.position = { x: Math.round(position.x), y: Math.round(position.y) };
      }),
    })),
}));

export function serializeDocument(document: GraphDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
