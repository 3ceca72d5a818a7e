// The desktop build, checked without Electron's binary (which these machines cannot download):
// the built main bundle starts against a fake `electron` module and wires what it should (the
// app:// scheme, one handler per typed IPC channel, a locked-down window with the built preload,
// the built renderer, the bundled presets); the built preload, run as a sandboxed preload would
// be, exposes exactly PrincipiaDesktopApi; and `npm start` falls back to the browser build, on the
// next free port when its port is busy. `npm test` builds out/ first (npm run build:desktop); run
// alone, this file builds it when out/ is missing or older than app/.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  IPC_CHANNELS,
  MENU_COMMAND_CHANNEL,
  type IpcChannel,
  type MenuCommand,
  type PrincipiaDesktopApi,
} from '../../app/ipc-channels';
import { RENDERER_ORIGIN } from '../../app/renderer-files';
import { SECURE_WEB_PREFERENCES } from '../../app/window-options';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainBundle = join(root, 'out/main/index.js');
const preloadBundle = join(root, 'out/preload/index.cjs');
const rendererIndex = join(root, 'out/renderer/index.html');

/** Builds out/ when it is missing or older than what it is built from. */
function ensureDesktopBuild(): void {
  const sources = [join(root, 'electron.vite.config.ts'), join(root, 'package.json')];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else sources.push(path);
    }
  };
  walk(join(root, 'app'));
  const newestSource = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  const built = [mainBundle, preloadBundle, rendererIndex];
  if (built.every((path) => existsSync(path) && statSync(path).mtimeMs >= newestSource)) return;
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], {
    cwd: root,
    stdio: 'pipe',
  });
}

// ---------------------------------------------------------------------------------------------
// A fake of the part of Electron the main process uses, recording what the bundle does with it.

interface FakeWebContents {
  readonly id: number;
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' | 'allow' };
  readonly listeners: Map<string, (...args: never[]) => void>;
}
interface FakeWindow {
  readonly options: { webPreferences?: Record<string, unknown> };
  readonly webContents: FakeWebContents;
  readonly loaded: string[];
}
type IpcListener = (
  event: { sender: FakeWebContents; senderFrame: { url: string } | null },
  ...args: unknown[]
) => Promise<unknown>;

const electron = vi.hoisted(() => {
  const state = {
    /** Calls in order, by name, so "before the app is ready" can be checked. */
    calls: [] as string[],
    userData: '',
    schemes: [] as Array<{ scheme: string; privileges?: Record<string, boolean> }>,
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, IpcListener>(),
    windows: [] as FakeWindow[],
    headerListeners: [] as Array<
      (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void
    >,
    permissionHandlers: [] as Array<
      (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
    >,
    menus: 0,
  };
  const workArea = { x: 0, y: 0, width: 1920, height: 1080 };

  class BrowserWindow {
    static all: BrowserWindow[] = [];
    readonly webContents: FakeWebContents;
    readonly loaded: string[] = [];
    constructor(readonly options: FakeWindow['options']) {
      state.calls.push('new BrowserWindow');
      const contents = {
        id: BrowserWindow.all.length + 1,
        listeners: new Map(),
        setWindowOpenHandler: (handler: FakeWebContents['windowOpenHandler']) => {
          contents.windowOpenHandler = handler;
        },
        on: (event: string, listener: (...args: never[]) => void) => {
          contents.listeners.set(event, listener);
        },
        getURL: () => this.loaded.at(-1) ?? '',
        send: () => undefined,
      } as FakeWebContents & Record<string, unknown>;
      this.webContents = contents;
      BrowserWindow.all.push(this);
      state.windows.push(this);
    }
    async loadURL(url: string) {
      state.calls.push('loadURL');
      this.loaded.push(url);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    show() {}
    close() {}
    maximize() {}
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    getNormalBounds() {
      return workArea;
    }
    setTitle() {}
    setDocumentEdited() {}
    static getAllWindows() {
      return BrowserWindow.all;
    }
    static getFocusedWindow() {
      return BrowserWindow.all[0] ?? null;
    }
    static fromWebContents(contents: FakeWebContents) {
      return BrowserWindow.all.find((window) => window.webContents === contents) ?? null;
    }
  }

  const module = {
    app: {
      isPackaged: false,
      whenReady: async () => {
        state.calls.push('app.whenReady');
      },
      on: () => undefined,
      quit: () => undefined,
      getPath: () => state.userData,
      getVersion: () => '0.0.0-test',
      addRecentDocument: () => undefined,
      clearRecentDocuments: () => undefined,
    },
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: () => {
        state.menus += 1;
      },
    },
    dialog: {
      showMessageBox: async () => ({ response: 0 }),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    ipcMain: {
      handle: (channel: string, listener: IpcListener) => {
        state.calls.push(`ipcMain.handle ${channel}`);
        state.ipcHandlers.set(channel, listener);
      },
    },
    net: {
      // Electron's net.fetch reads file:// URLs; Node's fetch does not.
      fetch: async (url: string) => {
        const { readFile } = await import('node:fs/promises');
        const { fileURLToPath: toPath } = await import('node:url');
        return new Response(await readFile(toPath(url)), { status: 200 });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: typeof state.schemes) => {
        state.calls.push('protocol.registerSchemesAsPrivileged');
        state.schemes.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        state.protocolHandlers.set(scheme, handler);
      },
    },
    screen: {
      getPrimaryDisplay: () => ({ workArea }),
      getAllDisplays: () => [{ workArea }],
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (listener: (typeof state.headerListeners)[number]) => {
            state.headerListeners.push(listener);
          },
        },
        setPermissionRequestHandler: (handler: (typeof state.permissionHandlers)[number]) => {
          state.permissionHandlers.push(handler);
        },
      },
    },
    shell: { openExternal: async () => undefined },
  };
  return { state, module };
});

vi.mock('electron', () => electron.module);

describe('the built main bundle', () => {
  const { state } = electron;
  let window: FakeWindow;

  beforeAll(async () => {
    ensureDesktopBuild();
    state.userData = mkdtempSync(join(tmpdir(), 'principia-desktop-build-'));
    delete process.env['ELECTRON_RENDERER_URL'];
    await import(/* @vite-ignore */ pathToFileURL(mainBundle).href);
    await vi.waitFor(() => expect(state.windows[0]?.loaded).toHaveLength(1), { timeout: 10_000 });
    window = state.windows[0]!;
  });

  afterAll(() => {
    rmSync(state.userData, { recursive: true, force: true });
  });

  it('imports, registering the app:// scheme before the app is ready', () => {
    expect(state.schemes).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
      },
    ]);
    expect(state.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(
      state.calls.indexOf('app.whenReady'),
    );
  });

  it('handles exactly the typed IPC channels, from Principia pages only', async () => {
    expect([...state.ipcHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    const readRecovery = state.ipcHandlers.get('recovery:read')!;
    await expect(
      readRecovery({ sender: window.webContents, senderFrame: { url: 'https://example.com/' } }),
    ).rejects.toThrow(/refused: not sent by a Principia window/);
    await expect(
      readRecovery({ sender: window.webContents, senderFrame: { url: `${RENDERER_ORIGIN}/` } }),
    ).resolves.toBeNull();
  });

  it('opens one locked-down window with the built preload, showing the built renderer', () => {
    expect(state.windows).toHaveLength(1);
    expect(window.options.webPreferences).toEqual({
      preload: preloadBundle,
      ...SECURE_WEB_PREFERENCES,
    });
    expect(existsSync(preloadBundle)).toBe(true);
    expect(window.loaded).toEqual([`${RENDERER_ORIGIN}/index.html`]);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
    expect(state.menus).toBeGreaterThan(0);
  });

  it('serves out/renderer over app:// with the Content-Security-Policy', async () => {
    const serve = state.protocolHandlers.get('app')!;
    const page = await serve(new Request(`${RENDERER_ORIGIN}/index.html`));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(rendererIndex, 'utf8'));
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'self'; /);
    expect((await serve(new Request(`${RENDERER_ORIGIN}/no-such-file.js`))).status).toBe(404);
  });

  it('sets the CSP on every response and grants no permission', () => {
    let headers: Record<string, string[]> | undefined;
    state.headerListeners[0]!({ url: `${RENDERER_ORIGIN}/`, responseHeaders: {} }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers?.['Content-Security-Policy']?.[0]).toMatch(/^default-src 'self'; /);
    let granted: boolean | undefined;
    state.permissionHandlers[0]!(window.webContents, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
  });

  it('reads the bundled presets from where the repository keeps them', async () => {
    const labels = join(root, 'presets/data/fashion-mnist-subset-labels.npy');
    const readFile = state.ipcHandlers.get('file:read')!;
    const bytes = await readFile(
      { sender: window.webContents, senderFrame: { url: `${RENDERER_ORIGIN}/index.html` } },
      labels,
    );
    expect(Buffer.from(bytes as Uint8Array).equals(readFileSync(labels))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The preload, run the way Electron runs a sandboxed preload: a CommonJS function whose `require`
// knows only a few modules, in a context with a reduced `process`.

/** What `require` offers a sandboxed preload (Electron's "sandbox" docs). */
const SANDBOXED_PRELOAD_MODULES = ['electron', 'events', 'timers', 'url'];

type InvokeMember = Exclude<keyof PrincipiaDesktopApi, 'platform' | 'onMenuCommand'>;

/**
 * Every function of the typed API that invokes a channel, with sample arguments. The mapped type
 * makes this list exactly the API's: a member added to or removed from PrincipiaDesktopApi fails
 * the typecheck until it is listed here.
 */
const INVOKE_CALLS: {
  readonly [K in InvokeMember]: {
    readonly channel: IpcChannel;
    readonly args: Parameters<PrincipiaDesktopApi[K]>;
  };
} = {
  openGraphFile: { channel: 'graph:open', args: [] },
  openRecentGraphFile: { channel: 'graph:open-recent', args: ['/graphs/a.graph.json'] },
  saveGraphFile: {
    channel: 'graph:save',
    args: [{ text: '{}', path: '/graphs/a.graph.json', purpose: 'save' }],
  },
  readFile: { channel: 'file:read', args: ['/graphs/x.npy'] },
  writeDataFile: { channel: 'file:write', args: ['/graphs/w.bin', new Uint8Array([1, 2, 3])] },
  readRecovery: { channel: 'recovery:read', args: [] },
  writeRecovery: {
    channel: 'recovery:write',
    args: [{ savedAt: '2025-01-01T00:00:00.000Z', source: 'default', text: '{}' }],
  },
  clearRecovery: { channel: 'recovery:clear', args: [] },
  reportDocumentState: {
    channel: 'document:state',
    args: [{ name: 'a.graph.json', dirty: true, folder: '/graphs' }],
  },
  confirmWindowClose: { channel: 'window:close-confirmed', args: [] },
};

function runPreload() {
  const required: string[] = [];
  const exposed: Array<{ key: string; api: unknown }> = [];
  const invoked: unknown[][] = [];
  const listening = new Map<string, (...args: unknown[]) => void>();
  const removed: Array<{ channel: string; listener: unknown }> = [];
  const fakeElectron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }),
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return `answer to ${String(args[0])}`;
      },
      on: (channel: string, listener: (...args: unknown[]) => void) =>
        listening.set(channel, listener),
      removeListener: (channel: string, listener: unknown) => removed.push({ channel, listener }),
    },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return fakeElectron;
    throw new Error(`a sandboxed preload cannot require "${name}"`);
  };
  const module = { exports: {} };
  const source = readFileSync(preloadBundle, 'utf8');
  const wrapper = runInNewContext(
    `(function (exports, require, module, __filename, __dirname) {\n${source}\n})`,
    { process: { platform: 'test-os' } },
    { filename: preloadBundle },
  ) as (...args: unknown[]) => void;
  wrapper(module.exports, sandboxRequire, module, preloadBundle, dirname(preloadBundle));
  return { required, exposed, invoked, listening, removed };
}

describe('the built preload', () => {
  beforeAll(() => ensureDesktopBuild());

  it('requires only what a sandboxed preload may, and exposes window.principia', () => {
    const { required, exposed } = runPreload();
    expect(required.every((name) => SANDBOXED_PRELOAD_MODULES.includes(name))).toBe(true);
    expect(exposed.map(({ key }) => key)).toEqual(['principia']);
  });

  it('exposes exactly the typed API: a function per channel, the platform, menu commands', () => {
    const api = runPreload().exposed[0]!.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(
      [...Object.keys(INVOKE_CALLS), 'platform', 'onMenuCommand'].sort(),
    );
    expect(
      Object.values(INVOKE_CALLS)
        .map(({ channel }) => channel)
        .sort(),
    ).toEqual([...IPC_CHANNELS].sort());
    expect(api['platform']).toBe('test-os');
    for (const name of [...Object.keys(INVOKE_CALLS), 'onMenuCommand'])
      expect(typeof api[name], name).toBe('function');
  });

  it('passes each call to its channel with exactly its arguments, and back', async () => {
    const { exposed, invoked } = runPreload();
    const api = exposed[0]!.api as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const [name, { channel, args }] of Object.entries(INVOKE_CALLS)) {
      // Extra arguments from a careless caller must not reach main.
      await expect(api[name]!(...args, 'extra')).resolves.toBe(`answer to ${channel}`);
      expect(invoked.at(-1), name).toEqual([channel, ...args]);
    }
  });

  it('forwards menu commands without the event, and stops when asked', () => {
    const { exposed, listening, removed } = runPreload();
    const api = exposed[0]!.api as PrincipiaDesktopApi;
    const received: unknown[][] = [];
    const stop = api.onMenuCommand((...args: unknown[]) => received.push(args));
    expect([...listening.keys()]).toEqual([MENU_COMMAND_CHANNEL]);
    const command: MenuCommand = { command: 'file:save' };
    listening.get(MENU_COMMAND_CHANNEL)!({ senderId: 0, sender: 'secret' }, command);
    expect(received).toEqual([[command]]);
    stop();
    expect(removed).toEqual([
      { channel: MENU_COMMAND_CHANNEL, listener: listening.get(MENU_COMMAND_CHANNEL) },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Installing Electron, and `npm start` without its binary.

describe('Electron on every install', () => {
  it('is a dev dependency whose package runs nothing at install (binary on first use)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    expect(manifest.devDependencies?.['electron']).toBeDefined();
    expect(manifest.optionalDependencies?.['electron']).toBeUndefined();
    const require = createRequire(import.meta.url);
    const electronManifest = JSON.parse(
      readFileSync(require.resolve('electron/package.json'), 'utf8'),
    ) as { scripts?: Record<string, string> };
    for (const script of ['preinstall', 'install', 'postinstall'])
      expect(electronManifest.scripts ?? {}).not.toHaveProperty(script);
  });
});

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

/** Runs scripts/start.mjs until it prints the browser URL. */
function startApp(args: string[], env: Record<string, string | undefined>): Promise<Started> {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 45 s:\n${output}`)), 45_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/u.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`));
    });
  });
}

const running: ChildProcess[] = [];

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** The app's page, as the dev server serves it. */
async function expectServesTheApp(url: string): Promise<void> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain('<title>Principia</title>');
  expect(html).toContain('<div id="root">');
}

describe('npm start without Electron', () => {
  const noBinary = mkdtempSync(join(tmpdir(), 'principia-no-electron-'));
  // Electron's own override of where its binary lives: an empty folder is a missing binary,
  // and nothing is downloaded.
  const missingBinary = { ELECTRON_OVERRIDE_DIST_PATH: noBinary };

  afterAll(async () => {
    await Promise.all(running.map(stop));
    rmSync(noBinary, { recursive: true, force: true });
  });

  it('serves the browser build when the binary is missing, on the port asked for', async () => {
    const port = await freePort();
    const app = await startApp(['--port', String(port)], missingBinary);
    try {
      expect(app.url).toBe(`http://127.0.0.1:${port}/`);
      expect(app.output()).toContain('Principia runs in the browser instead');
      expect(app.output()).toContain('its binary is missing');
      await expectServesTheApp(app.url);
    } finally {
      await stop(app.child);
    }
    // Stopped by SIGTERM: Vite's own handler exits with 143 (128 + 15), ours with 0.
    expect([0, 143]).toContain(app.child.exitCode);
  });

  const electronFolder = dirname(createRequire(import.meta.url).resolve('electron'));
  const binaryInstalled =
    existsSync(join(electronFolder, 'path.txt')) &&
    existsSync(
      join(electronFolder, 'dist', readFileSync(join(electronFolder, 'path.txt'), 'utf8')),
    );

  it.skipIf(binaryInstalled)(
    'serves the browser build when the binary cannot be downloaded',
    async () => {
      const cache = mkdtempSync(join(tmpdir(), 'principia-electron-cache-'));
      try {
        // A mirror nothing listens on: the download fails at once, as it does offline.
        const app = await startApp(['--port', String(await freePort())], {
          ELECTRON_OVERRIDE_DIST_PATH: undefined,
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
          electron_config_cache: cache,
        });
        try {
          expect(app.output()).toContain('could not be downloaded');
          await expectServesTheApp(app.url);
        } finally {
          await stop(app.child);
        }
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    },
  );

  it('takes the next free port when 5173 is busy, and prints it', async () => {
    const dummy: Server = createHttpServer((_request, response) => response.end('not Principia'));
    const occupied = await new Promise<boolean>((resolve) => {
      dummy.once('error', () => resolve(false)); // already busy: just as good
      dummy.listen(5173, '127.0.0.1', () => resolve(true));
    });
    try {
      const app = await startApp([], missingBinary);
      try {
        const port = Number(new URL(app.url).port);
        expect(port).toBeGreaterThan(5173);
        expect(app.output()).toContain(`Port 5173 is busy; using ${port}.`);
        await expectServesTheApp(app.url);
      } finally {
        await stop(app.child);
      }
    } finally {
      if (occupied) await new Promise((resolve) => dummy.close(resolve));
    }
  });
});
