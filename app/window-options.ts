// The main window's options as data, so a test can hold the security settings to account: the
// renderer runs sandboxed and isolated from the preload, without Node, with web security on.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { MIN_WINDOW_SIZE } from './files/window-state';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies WebPreferences;

export function mainWindowOptions(
  bounds: { x?: number; y?: number; width: number; height: number },
  preloadPath: string,
): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Principia',
    show: false,
    backgroundColor: '#12141a',
    webPreferences: { preload: preloadPath, ...SECURE_WEB_PREFERENCES },
  };
}
