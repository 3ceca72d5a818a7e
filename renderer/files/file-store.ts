// Which file the open document belongs to, and the file UI's transient state: the save prompt, an
// error or notice, the recovery offer, the gallery. Whether there are unsaved changes is the graph
// store's `dirty` (its undo history knows when an undo returns to the saved state).
import { create } from 'zustand';
import type { RecoveryEntry } from '../../app/ipc-channels';
import { DEFAULT_PRESET_FILE, PRESETS_FOLDER } from '../graph/default-preset';
import { useGraphStore } from '../graph/graph-store';

export type DocumentLocation =
  /**
   * Never saved: a new graph, a preset, a dropped or recovered file. Save asks where. A preset's
   * files (data, weights) resolve in the app's bundled `presets/` folder.
   */
  | { readonly kind: 'untitled'; readonly name: string; readonly folder?: string }
  /** A file on disk in the desktop app. */
  | { readonly kind: 'path'; readonly name: string; readonly path: string }
  /** A file the browser lets us write back to (File System Access API). */
  | { readonly kind: 'handle'; readonly name: string; readonly handle: FileSystemFileHandle }
  /** Opened by upload in a browser without that API: saving downloads under the same name. */
  | { readonly kind: 'download'; readonly name: string };

export type PromptAnswer = 'save' | 'discard' | 'cancel';

export interface FileMessage {
  readonly kind: 'error' | 'notice';
  readonly title: string;
  readonly text: string;
}

interface FileState {
  readonly location: DocumentLocation;
  readonly prompt: { readonly name: string; readonly answer: (a: PromptAnswer) => void } | null;
  readonly message: FileMessage | null;
  readonly recoveryOffer: RecoveryEntry | null;
  readonly galleryOpen: boolean;
}

export const useFileStore = create<FileState>()(() => ({
  location: {
    kind: 'untitled',
    name: DEFAULT_PRESET_FILE.split('/').at(-1)!,
    folder: PRESETS_FOLDER,
  },
  prompt: null,
  message: null,
  recoveryOffer: null,
  galleryOpen: false,
}));

/** True while the open document differs from the one last opened or saved. */
export function useDocumentDirty(): boolean {
  return useGraphStore((state) => state.dirty);
}

export function documentIsDirty(): boolean {
  return useGraphStore.getState().dirty;
}

export function showFileMessage(message: FileMessage | null): void {
  useFileStore.setState({ message });
}

export function setGalleryOpen(galleryOpen: boolean): void {
  useFileStore.setState({ galleryOpen });
}

/** Asks Save / Don't save / Cancel about the unsaved changes of `name`. */
export function askAboutUnsavedChanges(name: string): Promise<PromptAnswer> {
  return new Promise((resolve) => {
    useFileStore.setState({
      prompt: {
        name,
        answer: (answer) => {
          useFileStore.setState({ prompt: null });
          resolve(answer);
        },
      },
    });
  });
}

/** The document's file name without ".graph.json": the stem of every file exported from it. */
export function documentBaseName(): string {
  return useFileStore.getState().location.name.replace(/(\.graph)?\.json$/iu, '') || 'principia';
}
