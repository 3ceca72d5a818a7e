// What main does for each invoke channel of IpcChannelMap, as plain functions over injected
// dialogs and stores so tests can call them without Electron (ipc-register.ts wires them to
// ipcMain). Everything arriving from the renderer is checked here: it is untrusted input.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { graphTextFromPng, isPngName } from '../graph-nodes/core/png-graph';
import { writeFileAtomically } from './files/atomic-write';
import type { RecentFiles } from './files/recent-files';
import type { RecoveryFile } from './files/recovery-file';
import type { FileAccess } from './file-access';
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
  readonly files: FileAccess;
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
  const { files, recent, recovery, dialogs } = context;

  async function remember(path: string): Promise<void> {
    await recent.add(path);
    context.recentFilesChanged();
  }

  return {
    'graph:open': async (window) => {
      const path = await dialogs.chooseGraphToOpen(window);
      if (!path) return null;
      if (isPngName(path)) {
        // An exported view: its graph opens as a new document; the image is never overwritten.
        const text = graphTextFromPng(new Uint8Array(await readFile(path)), basename(path));
        files.grantReadsBeside(path);
        return { path, text, fromImage: true };
      }
      files.grantFolderOf(path);
      const text = await readFile(path, 'utf8');
      await remember(path);
      return { path, text };
    },

    'graph:open-recent': async (_window, requested) => {
      const path = requireString(requested, 'graph:open-recent path');
      // The list holds only files once chosen in a dialog: this grants nothing the user did not.
      if (!recent.includes(path)) throw new Error(`"${path}" is not a recent file`);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        await recent.remove(path);
        context.recentFilesChanged();
        throw new Error(`cannot open "${path}": ${(error as Error).message}`, { cause: error });
      }
      files.grantFolderOf(path);
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
        if (!files.mayOverwrite(path)) {
          throw new Error(
            `refusing to overwrite "${path}": it was not opened or saved through a dialog`,
          );
        }
      } else {
        path = await dialogs.chooseSavePath(window, {
          title: exporting ? 'Export graph as JSON' : 'Save graph',
          defaultName: basename(request.suggestedName ?? 'graph.json'),
        });
        if (!path) return null;
        files.grantFolderOf(path);
      }
      await writeFileAtomically(path, text);
      if (!exporting) await remember(path);
      return { path };
    },

    'file:read': async (_window, path) => files.readData(requireString(path, 'file:read path')),

    'file:write': async (_window, path, bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new Error('file:write needs the bytes to write');
      const target = await files.prepareDataWrite(requireString(path, 'file:write path'));
      await writeFileAtomically(target, bytes);
    },

    'recovery:read': async () => recovery.read(),
    'recovery:write': async (_window, entry) => recovery.write(entry),
    'recovery:clear': async () => recovery.clear(),

    'document:state': async (window, state) => {
      if (typeof state?.name !== 'string' || typeof state.dirty !== 'boolean') {
        throw new Error('document:state needs a name and a dirty flag');
      }
      context.setDocumentState(window, { name: state.name, dirty: state.dirty });
    },

    'window:close-confirmed': async (window) => context.allowClose(window),
  };
}
