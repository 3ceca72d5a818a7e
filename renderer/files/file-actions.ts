// New, Open, Save, Save As, Export JSON, open a dropped file, a preset, a recent file or a recovered
// document: one function each, for the toolbar, the menus and keyboard shortcuts alike. Every path
// that would replace unsaved changes asks first; every save goes through graph-store's
// serializeDocument, which writes the document exactly as loaded (unknown node types included).
import type { RecoveryEntry } from '../../app/ipc-channels';
import { GRAPH_FORMAT, GRAPH_VERSION, parseGraphText, type GraphDocument } from '../../graph-nodes';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { PRESETS_FOLDER } from '../graph/default-preset';
import {
  downloadText,
  hasFileSystemAccess,
  pickGraphFile,
  pickSaveHandle,
  readGraphFromPng,
  writeToHandle,
} from '../platform/browser-files';
import { graphNameForImage, isPngName } from '../../graph-nodes/core/png-graph';
import { desktopApi } from '../platform/desktop-api';
import { errorMessage } from '../platform/error-message';
import { documentFolder } from './document-files';
import { clearRecovery } from '../platform/recovery-storage';
import {
  askAboutUnsavedChanges,
  documentIsDirty,
  showFileMessage,
  useFileStore,
  type DocumentLocation,
} from './file-store';

export const UNTITLED_NAME = 'untitled.graph.json';

function reportFailure(title: string, error: unknown): void {
  showFileMessage({ kind: 'error', title, text: errorMessage(error) });
}

function sourceOf(location: DocumentLocation): string {
  return location.kind === 'path' ? location.path : location.name;
}

/**
 * Puts `document` in the graph store as belonging to `location`: saved there, or (a recovered
 * document) with changes not saved anywhere.
 */
function adopt(document: GraphDocument, location: DocumentLocation, saved = true): void {
  useGraphStore.getState().load(document, sourceOf(location));
  useFileStore.setState({ location });
  if (saved) {
    // The unsaved work autosave kept is gone from the window now, by the user's choice.
    void clearRecovery().catch(() => undefined);
  } else {
    // No saved state to return to: no undo step, however many, makes this document clean.
    useGraphStore.setState((state) => ({
      history: { ...state.history, savedIndex: null },
      dirty: true,
    }));
  }
}

/** Parses a graph file's text; refuses newer versions and bad files with a message that says why. */
function parseOrReport(text: string, name: string): GraphDocument | undefined {
  try {
    return parseGraphText(text, name);
  } catch (error) {
    reportFailure(`Cannot open ${name}`, error);
    return undefined;
  }
}

/**
 * Resolves true when the open document may be replaced: it has no unsaved changes, or the user
 * saved them or chose to discard them.
 */
export async function confirmDiscardChanges(): Promise<boolean> {
  if (!documentIsDirty()) return true;
  const answer = await askAboutUnsavedChanges(useFileStore.getState().location.name);
  if (answer === 'cancel') return false;
  if (answer === 'save') return saveDocument();
  void clearRecovery().catch(() => undefined);
  return true;
}

export function emptyDocument(): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    title: 'Untitled graph',
    nodes: [],
    groups: [],
    edges: [],
  };
}

export async function newDocument(): Promise<void> {
  if (!(await confirmDiscardChanges())) return;
  adopt(emptyDocument(), { kind: 'untitled', name: UNTITLED_NAME });
}

export async function openDocument(): Promise<void> {
  if (!(await confirmDiscardChanges())) return;
  try {
    const desktop = desktopApi();
    if (desktop) {
      const file = await desktop.openGraphFile();
      if (!file) return;
      const name = baseName(file.path);
      const document = parseOrReport(file.text, name);
      if (!document) return;
      if (file.fromImage) {
        // Its files resolve beside the image; Save asks where, so the PNG is never overwritten.
        const folder = documentFolder({ kind: 'path', name, path: file.path });
        adopt(document, {
          kind: 'untitled',
          name: graphNameForImage(name),
          ...(folder ? { folder } : {}),
        });
      } else {
        adopt(document, { kind: 'path', name, path: file.path });
      }
      return;
    }
    const picked = await pickGraphFile();
    if (!picked) return;
    const document = parseOrReport(picked.text, picked.name);
    if (!document) return;
    adopt(
      document,
      picked.handle
        ? { kind: 'handle', name: picked.name, handle: picked.handle }
        : { kind: 'download', name: picked.name },
    );
  } catch (error) {
    reportFailure('Cannot open the file', error);
  }
}

export async function openRecentDocument(path: string): Promise<void> {
  const desktop = desktopApi();
  if (!desktop || !(await confirmDiscardChanges())) return;
  try {
    const file = await desktop.openRecentGraphFile(path);
    const name = baseName(file.path);
    const document = parseOrReport(file.text, name);
    if (document) adopt(document, { kind: 'path', name, path: file.path });
  } catch (error) {
    reportFailure(`Cannot open ${baseName(path)}`, error);
  }
}

/** A file dropped on the window. Saving it asks where: a drop grants no right to overwrite. */
export async function openDroppedFile(file: File): Promise<void> {
  if (!/\.(json|png)$/i.test(file.name)) {
    showFileMessage({
      kind: 'error',
      title: `Cannot open ${file.name}`,
      text: 'Only Principia graphs (.json files, or PNGs exported from the preview) can be opened by dropping them here.',
    });
    return;
  }
  if (!(await confirmDiscardChanges())) return;
  try {
    const { name, text } = isPngName(file.name)
      ? await readGraphFromPng(file)
      : { name: file.name, text: await file.text() };
    const document = parseOrReport(text, name);
    if (document) adopt(document, { kind: 'untitled', name });
  } catch (error) {
    reportFailure(`Cannot open ${file.name}`, error);
  }
}

/** A bundled preset, opened as a new document that is not yet saved anywhere. */
export async function openPresetDocument(
  document: GraphDocument,
  fileName: string,
): Promise<boolean> {
  if (!(await confirmDiscardChanges())) return false;
  adopt(document, { kind: 'untitled', name: fileName, folder: PRESETS_FOLDER });
  return true;
}

/** The autosaved document after a crash: open, unsaved, named after where it came from. */
export function restoreRecoveredDocument(entry: RecoveryEntry): void {
  const document = parseOrReport(entry.text, entry.source);
  useFileStore.setState({ recoveryOffer: null });
  if (!document) return;
  adopt(document, { kind: 'untitled', name: entry.source }, false);
  // Keep the entry until the restored document is saved: a second crash must not lose it.
}

export function discardRecoveredDocument(): void {
  useFileStore.setState({ recoveryOffer: null });
  void clearRecovery().catch(() => undefined);
}

/** Saves to the open file, or asks where when it has none. Resolves true once saved. */
export async function saveDocument(): Promise<boolean> {
  const { location } = useFileStore.getState();
  const document = useGraphStore.getState().document;
  const text = serializeDocument(document);
  try {
    if (location.kind === 'path') {
      const desktop = desktopApi();
      if (!desktop) return saveDocumentAs();
      await desktop.saveGraphFile({ text, path: location.path });
    } else if (location.kind === 'handle') {
      await writeToHandle(location.handle, text);
    } else if (location.kind === 'download' && !hasFileSystemAccess()) {
      downloadText(location.name, text);
    } else {
      return saveDocumentAs();
    }
    markSaved(document, location);
    return true;
  } catch (error) {
    reportFailure(`Cannot save ${location.name}`, error);
    return false;
  }
}

/** Asks where to save, then saves there; the document now belongs to that file. */
export async function saveDocumentAs(): Promise<boolean> {
  const { location } = useFileStore.getState();
  const document = useGraphStore.getState().document;
  const text = serializeDocument(document);
  const suggestedName = location.name;
  try {
    const desktop = desktopApi();
    if (desktop) {
      const saved = await desktop.saveGraphFile({ text, suggestedName });
      if (!saved) return false;
      markSaved(document, { kind: 'path', name: baseName(saved.path), path: saved.path });
      return true;
    }
    if (hasFileSystemAccess()) {
      const handle = await pickSaveHandle(suggestedName);
      if (!handle) return false;
      await writeToHandle(handle, text);
      markSaved(document, { kind: 'handle', name: handle.name, handle });
      return true;
    }
    downloadText(suggestedName, text);
    markSaved(document, { kind: 'download', name: suggestedName });
    return true;
  } catch (error) {
    reportFailure(`Cannot save ${suggestedName}`, error);
    return false;
  }
}

/**
 * Writes a copy of the document as JSON. The open file, and whether it has unsaved changes, stay
 * as they were. In a browser this is always a download.
 */
export async function exportJson(): Promise<void> {
  const document = useGraphStore.getState().document;
  const text = serializeDocument(document);
  const name = exportName(useFileStore.getState().location.name);
  try {
    const desktop = desktopApi();
    if (desktop) await desktop.saveGraphFile({ text, suggestedName: name, purpose: 'export' });
    else downloadText(name, text);
  } catch (error) {
    reportFailure(`Cannot export ${name}`, error);
  }
}

function markSaved(document: GraphDocument, location: DocumentLocation): void {
  const graph = useGraphStore.getState();
  // Edited while the save was in flight: the file holds the older document, so still unsaved.
  if (graph.document === document) graph.markSaved(sourceOf(location));
  else useGraphStore.setState({ source: sourceOf(location) });
  useFileStore.setState({ location });
  if (graph.document === document) void clearRecovery().catch(() => undefined);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

function exportName(name: string): string {
  return name.toLowerCase().endsWith('.json') ? name : `${name}.json`;
}
