// Runs in the sandboxed preload: exposes exactly one function per IPC channel as
// `window.principia`. The renderer never sees ipcRenderer and cannot name a channel itself:
// every channel below is a literal checked against the maps in ipc-channels.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcResult, MenuCommand, PrincipiaDesktopApi } from './ipc-channels';

const api: PrincipiaDesktopApi = {
  platform: process.platform,
  openGraphFile: () => ipcRenderer.invoke('graph:open') as Promise<IpcResult<'graph:open'>>,
  openRecentGraphFile: (path) =>
    ipcRenderer.invoke('graph:open-recent', path) as Promise<IpcResult<'graph:open-recent'>>,
  saveGraphFile: (request) =>
    ipcRenderer.invoke('graph:save', request) as Promise<IpcResult<'graph:save'>>,
  readFile: (path) => ipcRenderer.invoke('file:read', path) as Promise<IpcResult<'file:read'>>,
  writeDataFile: (path, bytes) =>
    ipcRenderer.invoke('file:write', path, bytes) as Promise<IpcResult<'file:write'>>,
  readRecovery: () => ipcRenderer.invoke('recovery:read') as Promise<IpcResult<'recovery:read'>>,
  writeRecovery: (entry) =>
    ipcRenderer.invoke('recovery:write', entry) as Promise<IpcResult<'recovery:write'>>,
  clearRecovery: () => ipcRenderer.invoke('recovery:clear') as Promise<IpcResult<'recovery:clear'>>,
  reportDocumentState: (state) =>
    ipcRenderer.invoke('document:state', state) as Promise<IpcResult<'document:state'>>,
  confirmWindowClose: () =>
    ipcRenderer.invoke('window:close-confirmed') as Promise<IpcResult<'window:close-confirmed'>>,
  onMenuCommand: (listener) => {
    // The listener sees only the command, never the event (which would expose the sender).
    const forward = (_event: IpcRendererEvent, command: unknown) =>
      listener(command as MenuCommand);
    ipcRenderer.on('menu:command', forward);
    return () => ipcRenderer.removeListener('menu:command', forward);
  },
};

contextBridge.exposeInMainWorld('principia', api);
