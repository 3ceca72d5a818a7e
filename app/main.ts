// Electron main process: one locked-down window that shows the renderer, a CSP on every response,
// and the typed IPC handlers. All computation happens in the renderer's engine worker.
import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from './content-security-policy';
import { FileAccess } from './file-access';
import { registerIpcHandlers } from './ipc-handlers';
import { RENDERER_ORIGIN, registerRendererScheme, serveRenderer } from './renderer-protocol';

const here = fileURLToPath(new URL('.', import.meta.url));
// electron-vite sets this while `electron-vite dev` serves the renderer with hot reload.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererFolder = join(here, '../renderer');
const presetsFolder = join(here, '../../presets');
const policy = contentSecurityPolicy({ allowDevServerSocket: Boolean(devServerUrl) });

registerRendererScheme();

// Compared as a prefix: Node's URL reports the origin of a custom scheme as "null".
const appUrlPrefix = `${devServerUrl ? new URL(devServerUrl).origin : RENDERER_ORIGIN}/`;

function isTrustedUrl(url: string): boolean {
  return url.startsWith(appUrlPrefix);
}

function installContentSecurityPolicy(): void {
  // Covers the dev server; app:// responses get the same header from serveRenderer.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
  // The app needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
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

  void window.loadURL(devServerUrl ?? `${RENDERER_ORIGIN}/index.html`);
}

void app.whenReady().then(() => {
  installContentSecurityPolicy();
  if (!devServerUrl) serveRenderer(rendererFolder, policy);
  registerIpcHandlers(new FileAccess([presetsFolder]), isTrustedUrl);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
