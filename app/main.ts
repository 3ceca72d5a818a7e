// Electron main process: one locked-down window that shows the renderer, a CSP on every response,
// and the typed IPC handlers. All computation happens in the renderer's engine worker.
import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from './content-security-policy';
import { FileAccess } from './file-access';
import { registerIpcHandlers } from './ipc-handlers';

const here = fileURLToPath(new URL('.', import.meta.url));
// electron-vite sets this while `electron-vite dev` serves the renderer with hot reload.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererIndex = join(here, '../renderer/index.html');
const presetsFolder = join(here, '../../presets');

function isTrustedUrl(url: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  return url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).startsWith(join(here, '../renderer'));
}

function installContentSecurityPolicy(): void {
  const policy = contentSecurityPolicy({ allowDevServerSocket: Boolean(devServerUrl) });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
  // The app needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Principia',
    show: false,
    backgroundColor: '#12141a',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  // Links open in the user's browser; the app window itself never leaves the app.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });

  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
}

void app.whenReady().then(() => {
  installContentSecurityPolicy();
  registerIpcHandlers(new FileAccess([presetsFolder]), isTrustedUrl);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
