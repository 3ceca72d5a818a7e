// file:read and file:write as a hostile graph or downloaded folder would use them: grants belong
// to one window and one document, real paths decide (symlinks out, devices and FIFOs refused), the
// bundled presets are read-only, and weights never replace a file that holds a graph.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentGrants, isGrantedDocument } from '../../app/document-grants';
import { FileAccess } from '../../app/file-access';
import { GRAPH_TEXT_KEYWORD } from '../../graph-nodes/core/png-graph';
import { encodePng } from '../../graph-nodes/math/png';

interface FakeWindow {
  readonly id: number;
}

const GRAPH = '{"format": "principia.graph", "version": 1, "nodes": [], "edges": []}';
const bytes = new Uint8Array([1, 2, 3]);

let base: string;
let project: string;
let graph: string;
let presets: string;
let home: string;
let grants: DocumentGrants<FakeWindow>;
let files: FileAccess<FakeWindow>;
const window: FakeWindow = { id: 1 };
const otherWindow: FakeWindow = { id: 2 };

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'principia-access-')));
  project = join(base, 'project');
  presets = join(base, 'presets');
  home = join(base, 'home');
  for (const folder of [project, presets, home]) await mkdir(folder);
  graph = join(project, 'pipeline.json');
  await writeFile(graph, GRAPH);
  await writeFile(join(project, 'points.npy'), bytes);
  await writeFile(join(presets, 'moons.npy'), bytes);
  await writeFile(join(home, 'id_rsa.npy'), 'PRIVATE KEY');
  grants = new DocumentGrants<FakeWindow>();
  files = new FileAccess(grants, [presets]);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('grants per window and per document', () => {
  it('reads nothing before a graph is opened, except the bundled presets', async () => {
    await expect(files.readData(window, join(project, 'points.npy'))).rejects.toThrow(
      /open or save a graph in its folder first/,
    );
    expect(await files.readData(window, join(presets, 'moons.npy'))).toEqual(bytes);
  });

  it("belong to the window that opened the graph, not to the session's other windows", async () => {
    await grants.grantGraphFile(window, graph);
    expect(await files.readData(window, join(project, 'points.npy'))).toEqual(bytes);
    await expect(files.readData(otherWindow, join(project, 'points.npy'))).rejects.toThrow(
      /open or save a graph in its folder first/,
    );
    await expect(files.writeData(otherWindow, join(project, 'weights.bin'), bytes)).rejects.toThrow(
      /save the graph in that folder first/,
    );
  });

  it('do not accumulate: opening another graph drops the first folder', async () => {
    await grants.grantGraphFile(window, graph);
    const elsewhere = join(base, 'downloads', 'evil.json');
    await mkdir(join(base, 'downloads'));
    await writeFile(elsewhere, GRAPH);
    await grants.grantGraphFile(window, elsewhere);
    await expect(files.readData(window, join(project, 'points.npy'))).rejects.toThrow(
      `refusing "${join(project, 'points.npy')}": it resolves to ${join(project, 'points.npy')}, which is outside ${join(base, 'downloads')}`,
    );
  });

  it('are dropped when the window shows another document, or closes', async () => {
    await grants.grantGraphFile(window, graph);
    // The same document, saved or edited: kept.
    grants.documentReported(window, { name: 'pipeline.json', dirty: true });
    grants.documentReported(window, { name: 'pipeline.json', dirty: false, folder: project });
    expect(await files.readData(window, join(project, 'points.npy'))).toEqual(bytes);
    // A same-named file dropped on the window has no folder: another document.
    grants.documentReported(window, { name: 'pipeline.json', dirty: false, folder: null });
    await expect(files.readData(window, join(project, 'points.npy'))).rejects.toThrow(
      /open or save a graph/,
    );

    await grants.grantGraphFile(window, graph);
    grants.documentReported(window, { name: 'untitled.graph.json', dirty: false });
    expect(grants.get(window)).toBeUndefined();

    await grants.grantGraphFile(window, graph);
    grants.drop(window); // what main does when the window closes
    await expect(files.writeData(window, join(project, 'weights.bin'), bytes)).rejects.toThrow(
      /save the graph in that folder first/,
    );
  });

  it('judge the reported document by name and, when reported, folder', async () => {
    await grants.grantImage(window, join(project, 'view.png'));
    const grant = grants.get(window)!;
    expect(grant.writable).toBe(false);
    expect(isGrantedDocument(grant, { name: 'view.graph.json', dirty: true })).toBe(true);
    expect(
      isGrantedDocument(grant, { name: 'view.graph.json', dirty: true, folder: project }),
    ).toBe(true);
    expect(isGrantedDocument(grant, { name: 'view.png', dirty: false })).toBe(false);
    expect(
      isGrantedDocument(grant, { name: 'view.graph.json', dirty: false, folder: 'presets/' }),
    ).toBe(false);
  });

  it('stop a read still running for a document that was dropped', async () => {
    const huge = join(project, 'huge.npy');
    execFileSync('truncate', ['-s', '900M', huge]);
    await grants.grantGraphFile(window, graph);
    const reading = files.readData(window, huge);
    setTimeout(() => grants.drop(window), 20);
    await expect(reading).rejects.toThrow(/the document was closed/);
  });

  it('are stored as real paths: a graph opened through a symlinked folder reads beside it', async () => {
    const linked = join(base, 'linked-project');
    await symlink(project, linked);
    await grants.grantGraphFile(window, join(linked, 'pipeline.json'));
    expect(grants.get(window)!.folder).toBe(project);
    expect(await files.readData(window, join(linked, 'points.npy'))).toEqual(bytes);
    expect(await files.mayOverwriteGraph(window, graph)).toBe(true);
    expect(await files.mayOverwriteGraph(window, join(linked, 'pipeline.json'))).toBe(true);
    expect(await files.mayOverwriteGraph(window, join(project, 'points.npy'))).toBe(false);
  });
});

describe('file:read of hostile folders', () => {
  beforeEach(async () => {
    await grants.grantGraphFile(window, graph);
  });

  it('refuses a symlink out of the folder, naming the path, its target and the folder', async () => {
    await symlink(join(home, 'id_rsa.npy'), join(project, 'points-link.npy'));
    await expect(files.readData(window, join(project, 'points-link.npy'))).rejects.toThrow(
      `refusing "${join(project, 'points-link.npy')}": it resolves to ${join(home, 'id_rsa.npy')}, which is outside ${project}`,
    );
  });

  it('refuses a symlinked folder out, and `..` out', async () => {
    await symlink(home, join(project, 'data'));
    await expect(files.readData(window, join(project, 'data', 'id_rsa.npy'))).rejects.toThrow(
      /outside/,
    );
    await expect(files.readData(window, `${project}/../home/id_rsa.npy`)).rejects.toThrow(
      /outside/,
    );
  });

  it('refuses /dev/zero inside the folder (through a symlink) and a FIFO', async () => {
    await symlink('/dev/zero', join(project, 'zeros.npy'));
    await expect(files.readData(window, join(project, 'zeros.npy'))).rejects.toThrow(
      /resolves to \/dev\/zero, which is outside/,
    );
    execFileSync('mkfifo', [join(project, 'pipe.npy')]);
    await expect(files.readData(window, join(project, 'pipe.npy'))).rejects.toThrow(
      `refusing "${join(project, 'pipe.npy')}": it is a FIFO (named pipe), not a regular file`,
    );
    await mkdir(join(project, 'folder.npy'));
    await expect(files.readData(window, join(project, 'folder.npy'))).rejects.toThrow(
      /it is a folder/,
    );
  });

  it('refuses files over the size limit, relative paths and other extensions', async () => {
    const small = new FileAccess(grants, [], { maxReadBytes: 2, maxWriteBytes: 2 });
    await expect(small.readData(window, join(project, 'points.npy'))).rejects.toThrow(
      /holds 3 bytes and the limit is 2 bytes/,
    );
    await expect(files.readData(window, 'points.npy')).rejects.toThrow(/must be absolute/);
    await writeFile(join(project, 'notes.txt'), 'x');
    await expect(files.readData(window, join(project, 'notes.txt'))).rejects.toThrow(
      /only \.npy, \.json/,
    );
    await symlink(join(project, 'notes.txt'), join(project, 'notes.npy'));
    await expect(files.readData(window, join(project, 'notes.npy'))).rejects.toThrow(
      /it leads to .*notes\.txt/,
    );
  });
});

describe('file:write of trained weights', () => {
  beforeEach(async () => {
    await grants.grantGraphFile(window, graph);
  });

  it('writes .json and .bin inside the document folder, making subfolders', async () => {
    const target = join(project, 'weights', 'mlp.bin');
    expect(await files.writeData(window, target, bytes)).toBe(target);
    expect(new Uint8Array(await readFile(target))).toEqual(bytes);
    await files.writeData(window, target, new Uint8Array([9]));
    expect(new Uint8Array(await readFile(target))).toEqual(new Uint8Array([9]));
  });

  it('never writes into the bundled presets', async () => {
    await expect(files.writeData(window, join(presets, 'moons.bin'), bytes)).rejects.toThrow(
      /outside/,
    );
    grants.drop(window);
    await expect(files.writeData(window, join(presets, 'moons.bin'), bytes)).rejects.toThrow(
      /save the graph in that folder first/,
    );
    // Not even when a preset was opened from that folder through the Open dialog.
    const preset = join(presets, 'default.graph.json');
    await writeFile(preset, GRAPH);
    await grants.grantGraphFile(window, preset);
    expect(await files.readData(window, join(presets, 'moons.npy'))).toEqual(bytes);
    await expect(files.writeData(window, join(presets, 'moons.bin'), bytes)).rejects.toThrow(
      /the bundled presets are read-only/,
    );
    expect(await files.mayOverwriteGraph(window, preset)).toBe(false);
  });

  it('never replaces a file that holds a graph, whatever it is called', async () => {
    await expect(files.writeData(window, graph, bytes)).rejects.toThrow(/it holds a graph/);
    const disguised = join(project, 'mlp.bin');
    await writeFile(disguised, `  \n${GRAPH}`);
    await expect(files.writeData(window, disguised, bytes)).rejects.toThrow(/it holds a graph/);
    const inPng = join(project, 'view.bin');
    await writeFile(
      inPng,
      encodePng({
        width: 1,
        height: 1,
        channels: 1,
        pixels: new Uint8Array([0]),
        text: { [GRAPH_TEXT_KEYWORD]: GRAPH },
      }),
    );
    await expect(files.writeData(window, inPng, bytes)).rejects.toThrow(/it holds a graph/);
    expect(await readFile(graph, 'utf8')).toBe(GRAPH);
    // Weights manifests are JSON too, and may be replaced.
    const manifest = join(project, 'mlp.json');
    await writeFile(manifest, '{"format": "principia.weights"}');
    await files.writeData(window, manifest, bytes);
  });

  it('refuses symlinks out, symlinks to other kinds of file, and special files', async () => {
    await symlink(join(home, 'id_rsa.npy'), join(project, 'planted.bin'));
    await expect(files.writeData(window, join(project, 'planted.bin'), bytes)).rejects.toThrow(
      /outside/,
    );
    expect(await readFile(join(home, 'id_rsa.npy'), 'utf8')).toBe('PRIVATE KEY');
    await symlink(home, join(project, 'out'));
    await expect(files.writeData(window, join(project, 'out', 'w.bin'), bytes)).rejects.toThrow(
      /outside/,
    );
    await writeFile(join(project, 'run.sh'), 'echo hi');
    await symlink(join(project, 'run.sh'), join(project, 'script.bin'));
    await expect(files.writeData(window, join(project, 'script.bin'), bytes)).rejects.toThrow(
      /weights go in \.json or \.bin files/,
    );
    execFileSync('mkfifo', [join(project, 'pipe.bin')]);
    await expect(files.writeData(window, join(project, 'pipe.bin'), bytes)).rejects.toThrow(
      /it is a FIFO/,
    );
    await expect(files.writeData(window, join(project, 'run.sh'), bytes)).rejects.toThrow(
      /weights go in/,
    );
  });

  it('refuses writes over the size limit', async () => {
    const small = new FileAccess(grants, [], { maxReadBytes: 2, maxWriteBytes: 2 });
    await expect(small.writeData(window, join(project, 'w.bin'), bytes)).rejects.toThrow(
      /3 bytes is over the limit of 2/,
    );
  });
});
