// Main-process handlers, one per channel of IpcChannelMap. Requests are accepted only from this
// app's own pages, never from anything a window might have navigated to.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { IpcArgs, IpcChannel, IpcResult } from './ipc-channels';
import { writeFileAtomically, type FileAccess } from './file-access';

const GRAPH_FILTERS = [{ name: 'Principia graph', extensions: ['json'] }];

type Handler<C extends IpcChannel> = (
  window: BrowserWindow,
  ...args: IpcArgs<C>
) => Promise<IpcResult<C>>;

export function registerIpcHandlers(
  files: FileAccess,
  isTrustedUrl: (url: string) => boolean,
): void {
  function handle<C extends IpcChannel>(channel: C, handler: Handler<C>): void {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const window = BrowserWindow.fromWebContents(event.sender);
      if (!window || !event.senderFrame || !isTrustedUrl(event.senderFrame.url)) {
        throw new Error(`ipc "${channel}" refused: not sent by a Principia window`);
      }
      return handler(window, ...(args as IpcArgs<C>));
    });
  }

  handle('graph:open', async (window) => {
    const choice = await dialog.showOpenDialog(window, {
      title: 'Open graph',
      filters: GRAPH_FILTERS,
      properties: ['openFile'],
    });
    const path = choice.filePaths[0];
    if (choice.canceled || !path) return null;
    files.grantFolderOf(path);
    return { path, text: await readFile(path, 'utf8') };
  });

  handle('graph:save', async (window, request) => {
    if (typeof request?.text !== 'string') throw new Error('graph:save needs the graph text');
    let path = request.path;
    if (path && !files.mayOverwrite(path)) {
      throw new Error(
        `refusing to overwrite "${path}": it was not opened or saved through a dialog`,
      );
    }
    if (!path) {
      const choice = await dialog.showSaveDialog(window, {
        title: 'Save graph',
        defaultPath: basename(request.suggestedName ?? 'graph.json'),
        filters: GRAPH_FILTERS,
      });
      if (choice.canceled || !choice.filePath) return null;
      path = choice.filePath;
      files.grantFolderOf(path);
    }
    await writeFileAtomically(path, request.text);
    return { path };
  });

  handle('file:read', async (_window, path) => {
    if (typeof path !== 'string') throw new Error('file:read needs a path');
    return files.readData(path);
  });
}
