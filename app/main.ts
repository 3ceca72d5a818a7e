// Electron main process: one locked-down window that shows the renderer, a CSP on every response,
// native menus, and the typed IPC handlers. All computation happens in the renderer's engine
// worker. Every decision lives in a module tests drive without Electron: what a window's document
// may touch (document-grants.ts, file-access.ts), where it may navigate (navigation.ts), its
// options (window-options.ts); recent files, window bounds and the recovery file are in app/files/.
import { app, BrowserWindow, dialog, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, CROSS_ORIGIN_ISOLATION_HEADERS } from './content-security-policy';
import { DocumentGrants } from './document-grants';
import { FileAccess } from './file-access';
import { RecentFiles } from './files/recent-files';
import { RecoveryFile } from './files/recovery-file';
import { readWindowState, restoreBounds, writeWindowState } from './files/window-state';
import type { DocumentState } from './ipc-channels';
import { createIpcHandlers } from './ipc-handlers';
import { registerIpcHandlers } from './ipc-register';
import { installApplicationMenu, sendMenuCommand } from './menu';
import { decideNavigation, decideWindowOpen, isAppUrl } from './navigation';
import { RENDERER_ORIGIN } from './renderer-files';
import { registerRendererScheme, serveRenderer } from './renderer-protocol';
import { mainWindowOptions } from './window-options';

const here = fileURLToPath(new URL('.', import.meta.url));
// electron-vite sets this while `electron-vite dev` serves the renderer with hot reload.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const rendererFolder = join(here, '../renderer');
const presetsFolder = join(here, '../../presets');
const policy = contentSecurityPolicy({ allowDevServerSocket: Boolean(devServerUrl) });

registerRendererScheme();

const appOrigin = devServerUrl ? new URL(devServerUrl).origin : RENDERER_ORIGIN;

function isTrustedUrl(url: string): boolean {
  return isAppUrl(url, appOrigin);
}

/** Per window, per document: what its renderer may read and write (document-grants.ts). */
const grants = new DocumentGrants<BrowserWindow>();

function installContentSecurityPolicy(): void {
  // Covers the dev server; app:// responses get the same header from serveRenderer.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [policy],
        ...Object.fromEntries(
          Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS).map(([name, value]) => [name, [value]]),
        ),
      },
    });
  });
  // The app needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
}

const GRAPH_FILTERS = [{ name: 'Principia graph', extensions: ['json'] }];
/** Open also takes a view exported as PNG, which carries its graph. */
const OPEN_FILTERS = [
  { name: 'Principia graph or exported view', extensions: ['json', 'png'] },
  ...GRAPH_FILTERS,
];
const userData = () => app.getPath('userData');
const windowStatePath = () => join(userData(), 'window-state.json');

/** Per window: what its document is called, whether it has unsaved changes, whether it may close. */
const documents = new Map<BrowserWindow, DocumentState & { closeAllowed: boolean }>();

function setDocumentState(window: BrowserWindow, state: DocumentState): void {
  const entry = documents.get(window);
  documents.set(window, { ...state, closeAllowed: entry?.closeAllowed ?? false });
  window.setTitle(`${state.dirty ? '• ' : ''}${state.name} — Principia`);
  window.setDocumentEdited(state.dirty);
}

function allowClose(window: BrowserWindow): void {
  const entry = documents.get(window);
  if (entry) entry.closeAllowed = true;
  window.close();
}

/** Unsaved changes: keep the window and let the renderer ask Save / Don't save / Cancel. */
function guardUnsavedChanges(window: BrowserWindow): void {
  window.on('close', (event) => {
    const entry = documents.get(window);
    if (!entry?.dirty || entry.closeAllowed) return;
    event.preventDefault();
    sendMenuCommand(window, { command: 'window:close' });
  });
  window.on('closed', () => documents.delete(window));
}

async function rememberWindowBounds(window: BrowserWindow): Promise<void> {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (window.isDestroyed()) return;
    void writeWindowState(windowStatePath(), {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    }).catch(() => undefined);
  };
  const saveSoon = () => {
    clearTimeout(pending);
    pending = setTimeout(save, 500);
  };
  // One call per event: Electron's own typings overload `on` per event name, not for a union.
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', () => {
    clearTimeout(pending);
    save();
  });
}

function followLink(decision: 'open-externally' | 'refuse', url: string): void {
  if (decision === 'open-externally') void shell.openExternal(url);
  else console.warn(`refused to open ${JSON.stringify(url)}: not on the external link allowlist`);
}

async function createWindow(): Promise<void> {
  const stored = await readWindowState(windowStatePath());
  const workAreas = [
    screen.getPrimaryDisplay().workArea,
    ...screen.getAllDisplays().map((display) => display.workArea),
  ];
  const window = new BrowserWindow(
    mainWindowOptions(restoreBounds(stored?.bounds, workAreas), join(here, '../preload/index.cjs')),
  );
  window.once('ready-to-show', () => {
    if (stored?.maximized) window.maximize();
    window.show();
  });
  guardUnsavedChanges(window);
  void rememberWindowBounds(window);
  // What the window's document was granted ends with the window.
  window.on('closed', () => grants.drop(window));

  // The window never leaves the app; allowlisted documentation opens in the user's browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    followLink(decideWindowOpen(url), url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, appOrigin);
    if (decision === 'stay') return;
    event.preventDefault();
    followLink(decision, url);
  });

  void window.loadURL(devServerUrl ?? `${RENDERER_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  installContentSecurityPolicy();
  if (!devServerUrl) serveRenderer(rendererFolder, policy);

  const recent = await RecentFiles.load(join(userData(), 'recent-files.json'));
  const installMenu = () =>
    installApplicationMenu(
      { platform: process.platform, recentFiles: recent.list(), isPackaged: app.isPackaged },
      {
        clearRecent: () => {
          app.clearRecentDocuments();
          void recent.clear().then(installMenu);
        },
        about: () => {
          const window = BrowserWindow.getFocusedWindow();
          if (!window) return;
          void dialog.showMessageBox(window, {
            type: 'info',
            title: 'About Principia',
            message: `Principia ${app.getVersion()}`,
            detail: 'A workbench for composing, running and understanding diffusion pipelines.',
          });
        },
      },
    );
  installMenu();

  const handlers = createIpcHandlers<BrowserWindow>({
    grants,
    // The bundled presets are readable from every window and writable from none.
    files: new FileAccess(grants, [presetsFolder]),
    recent,
    recovery: new RecoveryFile(join(userData(), 'recovery.json')),
    dialogs: {
      chooseGraphToOpen: async (window) => {
        const choice = await dialog.showOpenDialog(window, {
          title: 'Open graph',
          filters: OPEN_FILTERS,
          properties: ['openFile'],
        });
        return choice.canceled ? undefined : choice.filePaths[0];
      },
      chooseSavePath: async (window, { title, defaultName }) => {
        const choice = await dialog.showSaveDialog(window, {
          title,
          defaultPath: defaultName,
          filters: GRAPH_FILTERS,
        });
        return choice.canceled ? undefined : choice.filePath;
      },
    },
    recentFilesChanged: () => {
      const latest = recent.list()[0];
      if (latest) app.addRecentDocument(latest);
      installMenu();
    },
    setDocumentState,
    allowClose,
  });
  registerIpcHandlers(handlers, isTrustedUrl);

  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
}

void start();

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
