// The native menus as plain data: File, Edit, View, Run, Help. Items either send a typed
// MenuCommand to the renderer or name an Electron role (clipboard, zoom, full screen); main turns
// this into an Electron menu (menu.ts), and tests read it without Electron.
import { basename } from 'node:path';
import type { MenuCommand } from './ipc-channels';

export type MenuRole =
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'quit'
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'minimize'
  | 'close';

export type MenuItemSpec =
  | { readonly type: 'separator' }
  | {
      readonly label: string;
      readonly accelerator?: string;
      readonly send: MenuCommand;
      readonly enabled?: boolean;
    }
  | { readonly label?: string; readonly accelerator?: string; readonly role: MenuRole }
  | {
      readonly label: string;
      readonly action: 'clear-recent' | 'about';
      readonly enabled?: boolean;
    }
  | { readonly label: string; readonly submenu: readonly MenuItemSpec[] };

export interface MenuSpec {
  readonly label: string;
  readonly submenu: readonly MenuItemSpec[];
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly recentFiles: readonly string[];
  /** Developer tools only while developing. */
  readonly isPackaged: boolean;
}

const separator = { type: 'separator' } as const;

function recentFilesMenu(recentFiles: readonly string[]): MenuItemSpec {
  const entries: MenuItemSpec[] = recentFiles.map((path) => ({
    // Name first so the list scans quickly; the full path tells same-named files apart.
    label: `${basename(path)} — ${path}`,
    send: { command: 'file:open-recent', path },
  }));
  if (entries.length === 0)
    entries.push({ label: 'No recent files', action: 'clear-recent', enabled: false });
  else entries.push(separator, { label: 'Clear recent files', action: 'clear-recent' });
  return { label: 'Open Recent', submenu: entries };
}

export function menuTemplate(options: MenuOptions): MenuSpec[] {
  const isMac = options.platform === 'darwin';
  const menus: MenuSpec[] = [];
  if (isMac) {
    menus.push({
      label: 'Principia',
      submenu: [
        { role: 'about' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  menus.push(
    {
      label: 'File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+N', send: { command: 'file:new' } },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', send: { command: 'file:open' } },
        recentFilesMenu(options.recentFiles),
        { label: 'Presets…', accelerator: 'CmdOrCtrl+Shift+O', send: { command: 'view:presets' } },
        separator,
        { label: 'Save', accelerator: 'CmdOrCtrl+S', send: { command: 'file:save' } },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', send: { command: 'file:save-as' } },
        {
          label: 'Export JSON…',
          accelerator: 'CmdOrCtrl+E',
          send: { command: 'file:export-json' },
        },
        separator,
        isMac ? { role: 'close' } : { role: 'quit', label: 'Exit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        // Sent to the renderer, which undoes a text field's typing or the graph edit as fits.
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', send: { command: 'edit:undo' } },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', send: { command: 'edit:redo' } },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Presets Gallery', send: { command: 'view:presets' } },
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
        ...(options.isPackaged ? [] : [separator, { role: 'toggleDevTools' } as const]),
      ],
    },
    {
      label: 'Run',
      submenu: [
        { label: 'Run', accelerator: 'CmdOrCtrl+Enter', send: { command: 'run:run' } },
        { label: 'Cancel', accelerator: 'CmdOrCtrl+.', send: { command: 'run:cancel' } },
      ],
    },
    {
      label: 'Help',
      submenu: [{ label: 'About Principia', action: 'about' }],
    },
  );
  return menus;
}
