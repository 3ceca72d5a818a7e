// Ctrl+S and Ctrl+O. The file UI (renderer/files) registers its open and save here at start-up;
// until it does, these stand-ins do what the desktop toolbar buttons did.
import { parseGraphText } from '../../graph-nodes';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { desktopApi } from '../platform/desktop-api';

export interface FileActions {
  open(): Promise<void>;
  save(): Promise<void>;
}

const standInActions: FileActions = {
  async open() {
    const file = await desktopApi()?.openGraphFile();
    if (file) useGraphStore.getState().load(parseGraphText(file.text, file.path), file.path);
  },
  async save() {
    const desktop = desktopApi();
    if (!desktop) return; // Stand-in: a browser save needs the file UI.
    const { document, source } = useGraphStore.getState();
    const saved = await desktop.saveGraphFile({
      text: serializeDocument(document),
      suggestedName: source.split(/[\\/]/).at(-1) || 'graph.json',
    });
    if (saved) useGraphStore.getState().markSaved(saved.path);
  },
};

let actions: FileActions = standInActions;

export function registerFileActions(next: FileActions): void {
  actions = next;
}

export function fileActions(): FileActions {
  return actions;
}
