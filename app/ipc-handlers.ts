// What main does for each invoke channel of IpcChannelMap, as plain functions over injected
// dialogs and stores so tests can call them without Electron (ipc-register.ts wires them to
// ipcMain). Everything arriving from the renderer is checked here: it is untrusted input.
import { basename } from 'node:path';
import { writeFileAtomically } from '../graph-nodes/runtime/confined-files';
import type { DocumentGrants } from './document-grants';
import type { FileAccess } from './file-access';
import { readGraphFile } from './files/graph-file';
import type { RecentFiles } from './files/recent-files';
import type { RecoveryFile } from './files/recovery-file';
import type { DocumentState, IpcArgs, IpcChannel, IpcResult } from './ipc-channels';

export interface ShellDialogs<W> {
  /** The path the user chose to open, or undefined when cancelled. */
  chooseGraphToOpen(window: W): Promise<string | undefined>;
  chooseSavePath(
    window: W,
    options: { title: string; defaultName: string },
  ): Promise<string | undefined>;
}

export interface HandlerContext<W> {
  /** What each window's document may touch; handlers grant, the window's lifecycle drops. */
  readonly grants: DocumentGrants<W>;
  readonly files: FileAccess<W>;
  readonly recent: RecentFiles;
  readonly recovery: RecoveryFile;
  readonly dialogs: ShellDialogs<W>;
  /** Rebuild File ▸ Open Recent. */
  recentFilesChanged(): void;
  setDocumentState(window: W, state: DocumentState): void;
  allowClose(window: W): void;
}

export type IpcHandlers<W> = {
  [C in IpcChannel]: (window: W, ...args: IpcArgs<C>) => Promise<IpcResult<C>>;
};

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${what} must be text`);
  return value;
}

export function createIpcHandlers<W>(context: HandlerContext<W>): IpcHandlers<W> {
  const { grants, files, recent, recovery, dialogs } = context;

  async function remember(path: string): Promise<void> {
    await recent.add(path);
    context.recentFilesChanged();
  }

  return {
    'graph:open': async (window) => {
      const path = await dialogs.chooseGraphToOpen(window);
      if (!path) return null;
      const { text, fromImage } = await readGraphFile(path);
      if (fromImage) {
        // An exported view: its graph opens as a new document; the image is never overwritten,
        // and files beside it are only read.
        await grants.grantImage(window, path);
        return { path, text, fromImage: true };
      }
      await grants.grantGraphFile(window, path);
      await remember(path);
      return { path, text };
    },

    'graph:open-recent': async (window, requested) => {
      const path = requireString(requested, 'graph:open-recent path');
      // The list holds only files once chosen in a dialog: this grants nothing the user did not.
      if (!recent.includes(path)) throw new Error(`"${path}" is not a recent file`);
      let text: string;
      try {
        const file = await readGraphFile(path);
        if (file.fromImage) throw new Error('it is an image now');
        text = file.text;
      } catch (error) {
        await recent.remove(path);
        context.recentFilesChanged();
        throw new Error(`cannot open "${path}": ${(error as Error).message}`, { cause: error });
      }
      await grants.grantGraphFile(window, path);
      await remember(path);
      return { path, text };
    },

    'graph:save': async (window, request) => {
      const text = request?.text;
      if (typeof text !== 'string') throw new Error('graph:save needs the graph text');
      const exporting = request.purpose === 'export';
      let path = request.path;
      if (path !== undefined) {
        requireString(path, 'graph:save path');
        if (!(await files.mayOverwriteGraph(window, path))) {
          throw new Error(
            `refusing to overwrite "${path}": it is not the graph this window opened or saved through a dialog`,
          );
        }
      } else {
        path = await dialogs.chooseSavePath(window, {
          title: exporting ? 'Export graph as JSON' : 'Save graph',
          defaultName: basename(request.suggestedName ?? 'graph.json'),
        });
        if (!path) return null;
      }
      await writeFileAtomically(path, text);
      // Save As moves the document, and its grant, to the new file; an export is only a copy.
      if (!exporting) {
        if (request.path === undefined) await grants.grantGraphFile(window, path);
        await remember(path);
      }
      return { path };
    },

    'file:read': async (window, path) =>
      files.readData(window, requireString(path, 'file:read path')),

    'file:write': async (window, path, bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new Error('file:write needs the bytes to write');
      await files.writeData(window, requireString(path, 'file:write path'), bytes);
    },

    'recovery:read': async () => recovery.read(),
    'recovery:write': async (_window, entry) => recovery.write(entry),
    'recovery:clear': async () => recovery.clear(),

    'document:state': async (window, state) => {
      const folder = state?.folder;
      if (
        typeof state?.name !== 'string' ||
        typeof state.dirty !== 'boolean' ||
        !(folder === undefined || folder === null || typeof folder === 'string')
      ) {
        throw new Error('document:state needs a name, a dirty flag and at most a folder');
      }
      const checked: DocumentState = { name: state.name, dirty: state.dirty, folder };
      grants.documentReported(window, checked);
      context.setDocumentState(window, { name: checked.name, dirty: checked.dirty });
    },

    'window:close-confirmed': async (window) => context.allowClose(window),
  };
}
