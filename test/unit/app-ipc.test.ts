// The main process's IPC surface without Electron: every channel has a handler and a preload
// function using that literal channel, and the handlers refuse what the user did not choose.
// What file:read and file:write allow in detail is app-file-access.test.ts's.
import { execFileSync } from 'node:child_process';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentGrants } from '../../app/document-grants';
import { FileAccess } from '../../app/file-access';
import { GRAPH_TEXT_KEYWORD } from '../../graph-nodes/core/png-graph';
import { encodePng } from '../../graph-nodes/math/png';
import { RecentFiles } from '../../app/files/recent-files';
import { RecoveryFile } from '../../app/files/recovery-file';
import { IPC_CHANNELS, MENU_COMMAND_CHANNEL, type DocumentState } from '../../app/ipc-channels';
import { createIpcHandlers, type IpcHandlers } from '../../app/ipc-handlers';
import { menuTemplate, type MenuItemSpec } from '../../app/menu-template';

interface FakeWindow {
  state?: DocumentState;
  closed: boolean;
}

let folder: string;
let openChoice: string | undefined;
let saveChoice: string | undefined;
let saveDialogTitles: string[];
let recent: RecentFiles;
let handlers: IpcHandlers<FakeWindow>;
let window: FakeWindow;

/** The smallest text that is a graph by content. */
const GRAPH = '{"format": "principia.graph", "version": 1, "nodes": [], "edges": []}';

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-ipc-'));
  openChoice = undefined;
  saveChoice = undefined;
  saveDialogTitles = [];
  window = { closed: false };
  recent = await RecentFiles.load(join(folder, 'state', 'recent.json'));
  const grants = new DocumentGrants<FakeWindow>();
  handlers = createIpcHandlers<FakeWindow>({
    grants,
    files: new FileAccess(grants),
    recent,
    recovery: new RecoveryFile(join(folder, 'state', 'recovery.json')),
    dialogs: {
      chooseGraphToOpen: async () => openChoice,
      chooseSavePath: async (_window, { title }) => {
        saveDialogTitles.push(title);
        return saveChoice;
      },
    },
    recentFilesChanged: () => undefined,
    setDocumentState: (target, state) => {
      target.state = state;
    },
    allowClose: (target) => {
      target.closed = true;
    },
  });
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('channels', () => {
  it('has a handler for every channel and nothing else', () => {
    expect(Object.keys(handlers).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('preload invokes each channel by its literal name, and only those', async () => {
    const preload = await readFile(join(__dirname, '../../app/preload.ts'), 'utf8');
    const invoked = [...preload.matchAll(/ipcRenderer\.invoke\(\s*'([^']+)'/g)].map((m) => m[1]);
    expect(invoked.sort()).toEqual([...IPC_CHANNELS].sort());
    // No channel passed through from the renderer: every invoke/on names a string literal.
    expect(preload).not.toMatch(/ipcRenderer\.(invoke|on|send|removeListener)\(\s*[^'\s]/);
    expect(preload).toContain(`ipcRenderer.on('${MENU_COMMAND_CHANNEL}'`);
  });
});

describe('graph files', () => {
  it('opens the chosen file, remembers it, and may then save over it', async () => {
    const path = join(folder, 'mine.json');
    await writeFile(path, GRAPH);
    openChoice = path;
    expect(await handlers['graph:open'](window)).toEqual({ path, text: GRAPH });
    expect(recent.list()).toEqual([path]);
    expect(await handlers['graph:save'](window, { text: 'new', path })).toEqual({ path });
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('refuses to overwrite a file no dialog chose', async () => {
    const path = join(folder, 'victim.json');
    await writeFile(path, 'precious');
    await expect(handlers['graph:save'](window, { text: 'x', path })).rejects.toThrow(/refusing/);
    expect(await readFile(path, 'utf8')).toBe('precious');
  });

  it('save without a path asks; export writes a copy that is not a recent file', async () => {
    saveChoice = join(folder, 'copy.json');
    expect(await handlers['graph:save'](window, { text: 'exported', purpose: 'export' })).toEqual({
      path: saveChoice,
    });
    expect(saveDialogTitles).toEqual(['Export graph as JSON']);
    expect(recent.list()).toEqual([]);
    expect(await readFile(saveChoice, 'utf8')).toBe('exported');
    saveChoice = undefined;
    expect(await handlers['graph:save'](window, { text: 'cancelled' })).toBeNull();
    expect(await readdir(folder)).not.toContain('graph.json');
  });

  it('opens recent files only from the list, and forgets one that has gone', async () => {
    const path = join(folder, 'recent.json');
    await writeFile(path, GRAPH);
    await expect(handlers['graph:open-recent'](window, path)).rejects.toThrow(/not a recent/);
    await recent.add(path);
    expect(await handlers['graph:open-recent'](window, path)).toEqual({ path, text: GRAPH });
    await rm(path);
    await expect(handlers['graph:open-recent'](window, path)).rejects.toThrow(/cannot open/);
    expect(recent.list()).toEqual([]);
  });
});

describe('what opening a graph grants', () => {
  it('opens a view exported as PNG as the graph it carries, never to be saved over', async () => {
    const image = join(folder, 'view.png');
    const graphText = '{"format": "principia.graph"}';
    const pixels = new Uint8Array([0]);
    await writeFile(
      image,
      encodePng({
        width: 1,
        height: 1,
        channels: 1,
        pixels,
        text: { [GRAPH_TEXT_KEYWORD]: graphText },
      }),
    );
    openChoice = image;
    expect(await handlers['graph:open'](window)).toEqual({
      path: image,
      text: graphText,
      fromImage: true,
    });
    // Not a recent graph, not writable; files beside it are readable, but nothing is writable.
    expect(recent.list()).toEqual([]);
    await expect(handlers['graph:save'](window, { text: 'x', path: image })).rejects.toThrow(
      /refusing to overwrite/,
    );
    await writeFile(join(folder, 'beside.npy'), new Uint8Array([1]));
    expect(await handlers['file:read'](window, join(folder, 'beside.npy'))).toEqual(
      new Uint8Array([1]),
    );
    await expect(
      handlers['file:write'](window, join(folder, 'weights.bin'), new Uint8Array([1])),
    ).rejects.toThrow(/opened from an image may only read/);
    expect(await readdir(folder)).not.toContain('weights.bin');

    const plain = join(folder, 'plain.png');
    await writeFile(plain, encodePng({ width: 1, height: 1, channels: 1, pixels }));
    openChoice = plain;
    await expect(handlers['graph:open'](window)).rejects.toThrow(
      /plain\.png is a PNG without a Principia graph/,
    );
  });

  it('decides by content: a .json that is not a graph is refused, a mislabelled graph opens', async () => {
    const notGraph = join(folder, 'weights.json');
    await writeFile(notGraph, '{"layers": []}');
    openChoice = notGraph;
    await expect(handlers['graph:open'](window)).rejects.toThrow(
      /cannot open weights\.json: it is not a Principia graph/,
    );
    await writeFile(notGraph, '{"format": "principia.graph",');
    await expect(handlers['graph:open'](window)).rejects.toThrow(/it is not valid JSON/);
    expect(recent.list()).toEqual([]);
    // Refused files grant nothing.
    await expect(handlers['file:read'](window, join(folder, 'weights.json'))).rejects.toThrow(
      /open or save a graph in its folder first/,
    );

    const named = join(folder, 'graph.png');
    await writeFile(named, GRAPH);
    openChoice = named;
    expect(await handlers['graph:open'](window)).toEqual({ path: named, text: GRAPH });
  });

  it('never reads without end from a chosen "graph" that is a device or a FIFO', async () => {
    const zeros = join(folder, 'zeros.graph.json');
    await symlink('/dev/zero', zeros);
    openChoice = zeros;
    await expect(handlers['graph:open'](window)).rejects.toThrow(/character device/);
    const fifo = join(folder, 'pipe.graph.json');
    execFileSync('mkfifo', [fifo]);
    openChoice = fifo;
    await expect(handlers['graph:open'](window)).rejects.toThrow(/FIFO/);
  });

  it('save over is only for this window’s document; Save As moves it, an export does not', async () => {
    const first = join(folder, 'first.json');
    await writeFile(first, GRAPH);
    openChoice = first;
    await handlers['graph:open'](window);

    const other: FakeWindow = { closed: false };
    await expect(handlers['graph:save'](other, { text: GRAPH, path: first })).rejects.toThrow(
      /refusing to overwrite/,
    );

    saveChoice = join(folder, 'copy.json');
    await handlers['graph:save'](window, { text: GRAPH, purpose: 'export' });
    await expect(handlers['graph:save'](window, { text: GRAPH, path: saveChoice })).rejects.toThrow(
      /refusing to overwrite/,
    );
    await handlers['graph:save'](window, { text: GRAPH, path: first });

    await mkdir(join(folder, 'moved'));
    saveChoice = join(folder, 'moved', 'second.json');
    await handlers['graph:save'](window, { text: GRAPH });
    await handlers['graph:save'](window, { text: 'second', path: saveChoice });
    expect(await readFile(saveChoice, 'utf8')).toBe('second');
    await expect(handlers['graph:save'](window, { text: GRAPH, path: first })).rejects.toThrow(
      /refusing to overwrite/,
    );
  });

  it('saves through a symlinked graph and keeps its mode', async () => {
    await mkdir(join(folder, 'real'));
    const real = join(folder, 'real', 'private.json');
    const link = join(folder, 'private.json');
    await writeFile(real, GRAPH, { mode: 0o600 });
    await symlink(real, link);
    openChoice = link;
    await handlers['graph:open'](window);
    await handlers['graph:save'](window, { text: 'saved', path: link });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('saved');
    expect((await stat(real)).mode & 0o777).toBe(0o600);
  });
});

describe('recovery and window state', () => {
  it('writes, reads and clears the recovery entry', async () => {
    const entry = { savedAt: 'now', source: 'graph.json', text: '{}' };
    expect(await handlers['recovery:read'](window)).toBeNull();
    await handlers['recovery:write'](window, entry);
    expect(await handlers['recovery:read'](window)).toEqual(entry);
    await handlers['recovery:clear'](window);
    expect(await handlers['recovery:read'](window)).toBeNull();
    // The audit's 64 MB source: the cap covers the whole entry, not just its text.
    const hugeSource = { ...entry, source: 'x'.repeat(64 * 1024 * 1024) };
    await expect(handlers['recovery:write'](window, hugeSource)).rejects.toThrow(
      /refusing a recovery entry/,
    );
    expect(await handlers['recovery:read'](window)).toBeNull();
  });

  it('passes checked document state on, and lets the window close when told', async () => {
    await handlers['document:state'](window, { name: 'a.json', dirty: true });
    expect(window.state).toEqual({ name: 'a.json', dirty: true });
    await expect(
      handlers['document:state'](window, { name: 'a.json', dirty: 'yes' } as never),
    ).rejects.toThrow();
    await expect(
      handlers['document:state'](window, { name: 'a.json', dirty: true, folder: 3 } as never),
    ).rejects.toThrow(/at most a folder/);
    await handlers['window:close-confirmed'](window);
    expect(window.closed).toBe(true);
  });
});

describe('menus', () => {
  function items(menu: readonly MenuItemSpec[]): MenuItemSpec[] {
    return menu.flatMap((item) => ('submenu' in item ? [item, ...items(item.submenu)] : [item]));
  }

  it('has File, Edit, View, Run and Help, with every file command', () => {
    const menus = menuTemplate({ platform: 'linux', recentFiles: [], isPackaged: true });
    expect(menus.map((menu) => menu.label)).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    const commands = items(menus.flatMap((menu) => menu.submenu))
      .filter((item) => 'send' in item)
      .map((item) => ('send' in item ? item.send.command : ''));
    for (const command of [
      'file:new',
      'file:open',
      'file:save',
      'file:save-as',
      'file:export-json',
      'view:presets',
      'run:run',
      'run:cancel',
    ]) {
      expect(commands).toContain(command);
    }
  });

  it('lists recent files, and accelerators never collide', () => {
    const menus = menuTemplate({
      platform: 'darwin',
      recentFiles: ['/a/one.json', '/b/two.json'],
      isPackaged: false,
    });
    expect(menus[0]!.label).toBe('Principia');
    const all = items(menus.flatMap((menu) => menu.submenu));
    const recentItems = all.filter(
      (item) => 'send' in item && item.send.command === 'file:open-recent',
    );
    expect(recentItems.map((item) => ('send' in item ? item.send : undefined))).toEqual([
      { command: 'file:open-recent', path: '/a/one.json' },
      { command: 'file:open-recent', path: '/b/two.json' },
    ]);
    const accelerators = all.flatMap((item) =>
      'accelerator' in item && item.accelerator ? [item.accelerator] : [],
    );
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });
});
