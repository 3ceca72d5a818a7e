// What each native-menu command does in the renderer (menus are built in app/menu-template.ts).
import type { MenuCommand } from '../../app/ipc-channels';
import { useGraphStore } from '../graph/graph-store';
import { desktopApi } from '../platform/desktop-api';
import { cancelRun, runGraph } from '../run/run-controller';
import {
  confirmDiscardChanges,
  exportJson,
  newDocument,
  openDocument,
  openRecentDocument,
  saveDocument,
  saveDocumentAs,
} from './file-actions';
import { setGalleryOpen } from './file-store';

/** Undo typing in a text field where one has focus; otherwise the graph store's undo, if it has one. */
function undoOrRedo(which: 'undo' | 'redo'): void {
  const active = document.activeElement;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
    document.execCommand(which);
    return;
  }
  const store = useGraphStore.getState() as unknown as Partial<Record<'undo' | 'redo', () => void>>;
  store[which]?.();
}

export async function runMenuCommand(command: MenuCommand): Promise<void> {
  switch (command.command) {
    case 'file:new':
      return newDocument();
    case 'file:open':
      return openDocument();
    case 'file:open-recent':
      return openRecentDocument(command.path);
    case 'file:save':
      await saveDocument();
      return;
    case 'file:save-as':
      await saveDocumentAs();
      return;
    case 'file:export-json':
      return exportJson();
    case 'edit:undo':
    case 'edit:redo':
      return undoOrRedo(command.command === 'edit:undo' ? 'undo' : 'redo');
    case 'view:presets':
      return setGalleryOpen(true);
    case 'run:run':
      return runGraph(useGraphStore.getState().document);
    case 'run:cancel':
      return cancelRun();
    case 'window:close':
      if (await confirmDiscardChanges()) await desktopApi()?.confirmWindowClose();
      return;
  }
}
