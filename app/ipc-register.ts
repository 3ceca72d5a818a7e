// Registers every handler of ipc-handlers.ts with Electron. Requests are accepted only from this
// app's own pages, never from anything a window might have navigated to.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, type IpcChannel } from './ipc-channels';
import type { IpcHandlers } from './ipc-handlers';

export function registerIpcHandlers(
  handlers: IpcHandlers<BrowserWindow>,
  isTrustedUrl: (url: string) => boolean,
): void {
  for (const channel of IPC_CHANNELS) {
    const handler = handlers[channel] as (
      window: BrowserWindow,
      ...args: unknown[]
    ) => Promise<unknown>;
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const window = BrowserWindow.fromWebContents(event.sender);
      if (!window || !event.senderFrame || !isTrustedUrl(event.senderFrame.url)) {
        throw new Error(
          `ipc "${channel satisfies IpcChannel}" refused: not sent by a Principia window`,
        );
      }
      return handler(window, ...args);
    });
  }
}
