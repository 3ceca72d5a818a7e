// The main process's IPC surface without Electron: every channel has a handler and a preload
// function using that literal channel, and the handlers refuse what the user did not choose.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-ipc-'));
  openChoice = undefined;
  saveChoice = undefined;
  saveDialogTitles = [];
  window = { closed: false };
  recent = await RecentFiles.load(join(folder, 'state', 'recent.json'));
  handlers = createIpcHandlers<FakeWindow>({
    files: new FileAccess(),
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
    await writeFile(path, '{"old": true}');
    openChoice = path;
    expect(await handlers['graph:open'](window)).toEqual({ path, text: '{"old": true}' });
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
    await writeFile(path, '{}');
    await expect(handlers['graph:open-recent'](window, path)).rejects.toThrow(/not a recent/);
    await recent.add(path);
    expect(await handlers['graph:open-recent'](window, path)).toEqual({ path, text: '{}' });
    await rm(path);
    await expect(handlers['graph:open-recent'](window, path)).rejects.toThrow(/cannot open/);
    expect(recent.list()).toEqual([]);
  });
});

describe('data files beside a graph', () => {
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
    // Not a recent graph, not writable; files beside it are readable.
    expect(recent.list()).toEqual([]);
    await expect(handlers['graph:save'](window, { text: 'x', path: image })).rejects.toThrow(
      /refusing to overwrite/,
    );
    await writeFile(join(folder, 'beside.npy'), new Uint8Array([1]));
    expect(await handlers['file:read'](window, join(folder, 'beside.npy'))).toEqual(
      new Uint8Array([1]),
    );

    const plain = join(folder, 'plain.png');
    await writeFile(plain, encodePng({ width: 1, height: 1, channels: 1, pixels }));
    openChoice = plain;
    await expect(handlers['graph:open'](window)).rejects.toThrow(
      /plain\.png is a PNG without a Principia graph/,
    );
  });

  it('reads and writes weights only inside a folder the user chose, never over a graph', async () => {
    const graph = join(folder, 'project', 'pipeline.graph.json');
    const weights = join(folder, 'project', 'weights', 'mlp.bin');
    const bytes = new Uint8Array([1, 2, 3, 250]);
    // Before the user opened anything there, nothing may be written or read.
    await expect(handlers['file:write'](window, weights, bytes)).rejects.toThrow(
      /save the graph in that folder first/,
    );
    await mkdir(join(folder, 'project'), { recursive: true });
    await writeFile(graph, '{}');
    openChoice = graph;
    await handlers['graph:open'](window);

    await handlers['file:write'](window, weights, bytes);
    expect(new Uint8Array(await readFile(weights))).toEqual(bytes);
    expect(await handlers['file:read'](window, weights)).toEqual(bytes);
    await expect(handlers['file:write'](window, graph, bytes)).rejects.toThrow(/graph file/);
    await expect(
      handlers['file:write'](window, join(folder, 'project', 'other.graph.json'), bytes),
    ).rejects.toThrow(/graph file/);
    await expect(
      handlers['file:write'](window, join(folder, 'project', 'run.sh'), bytes),
    ).rejects.toThrow(/\.json or \.bin/);
    await expect(
      handlers['file:write'](window, join(folder, 'elsewhere', 'w.bin'), bytes),
    ).rejects.toThrow(/save the graph in that folder first/);
    await expect(
      handlers['file:write'](window, weights, 'text' as unknown as Uint8Array),
    ).rejects.toThrow(/needs the bytes/);
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
  });

  it('passes checked document state on, and lets the window close when told', async () => {
    await handlers['document:state'](window, { name: 'a.json', dirty: true });
    expect(window.state).toEqual({ name: 'a.json', dirty: true });
    await expect(
      handlers['document:state'](window, { name: 'a.json', dirty: 'yes' } as never),
    ).rejects.toThrow();
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
