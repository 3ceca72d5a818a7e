// Runs in the sandboxed preload: exposes exactly one function per IPC channel as
// `window.principia`. The renderer never sees ipcRenderer and cannot name a channel itself:
// every channel below is a literal checked against the map in ipc-channels.ts.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcResult, PrincipiaDesktopApi } from './ipc-channels';

const api: PrincipiaDesktopApi = {
  platform: process.platform,
  openGraphFile: () => ipcRenderer.invoke('graph:open') as Promise<IpcResult<'graph:open'>>,
  saveGraphFile: (request) =>
    ipcRenderer.invoke('graph:save', request) as Promise<IpcResult<'graph:save'>>,
  readFile: (path) => ipcRenderer.invoke('file:read', path) as Promise<IpcResult<'file:read'>>,
};

contextBridge.exposeInMainWorld('principia', api);
