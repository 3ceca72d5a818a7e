// Runs in the sandboxed preload: exposes exactly one function per IPC channel as
// `window.principia`. The renderer never sees ipcRenderer and cannot name a channel itself.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcArgs, IpcChannel, IpcResult, PrincipiaDesktopApi } from './ipc-channels';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResult<C>>;
}

const api: PrincipiaDesktopApi = {
  platform: process.platform,
  openGraphFile: () => invoke('graph:open'),
  saveGraphFile: (request) => invoke('graph:save', request),
  readFile: (path) => invoke('file:read', path),
};

contextBridge.exposeInMainWorld('principia', api);
