// A file a graph names that is not there fails with one message in every host — the CLI's disk, the
// desktop app's main process, the web build's server (a 404, or the index.html a single-page-app
// server answers unknown paths with) — "file not found: PATH (resolved from FOLDER)", and the nodes
// that read files pass it on unchanged instead of a parse error ("not JSON: Unexpected token '<'",
// "protobuf parsing failed").
import { copyFile, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DocumentGrants } from '../../app/document-grants';
import { FileAccess } from '../../app/file-access';
import {
  asFileNotFound,
  FileNotFoundError,
  isFileNotFound,
} from '../../graph-nodes/core/file-not-found';
import type { FileHost } from '../../graph-nodes/core/node-definition';
import { readParamFile } from '../../graph-nodes/core/param-files';
import { encodeNpy } from '../../graph-nodes/math/npy';
import { readWeights } from '../../graph-nodes/neural/weights-file';
import fashionMnist from '../../graph-nodes/nodes/data/fashion-mnist';
import loadNpy from '../../graph-nodes/nodes/data/load-npy';
import mlpNode from '../../graph-nodes/nodes/denoiser/mlp';
import onnxNode from '../../graph-nodes/nodes/denoiser/onnx';
import consistencyNode from '../../graph-nodes/nodes/flowmap/consistency';
import meanflowNode from '../../graph-nodes/nodes/flowmap/meanflow';
import { OutsideFolderError } from '../../graph-nodes/runtime/confined-files';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { presetFilesPlugin } from '../../renderer/build/preset-files';
import { isMissingFileResponse, readDocumentFile } from '../../renderer/files/document-files';
import { useFileStore } from '../../renderer/files/file-store';
import { principia, REPO_ROOT } from './helpers/cli-process';
import { makeTestContext } from './helpers/run-context';

const INDEX_HTML = '<!doctype html>\n<html lang="en"><head><title>Principia</title></head></html>';

let folder: string;
beforeEach(async () => {
  folder = await realpath(await mkdtemp(join(tmpdir(), 'principia-missing-')));
  await mkdir(join(folder, 'data'));
  await writeFile(join(folder, 'data', 'points.npy'), encodeNpy(Float32Array.of(1, 2), [1, 2]));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('FileNotFoundError', () => {
  it('says "file not found: PATH (resolved from FOLDER)", and only the path for an absolute one', () => {
    const error = new FileNotFoundError('weights/a.json', '/home/me/graphs');
    expect(error.message).toBe('file not found: weights/a.json (resolved from /home/me/graphs)');
    expect(error.name).toBe('FileNotFoundError');
    expect([error.path, error.folder]).toEqual(['weights/a.json', '/home/me/graphs']);
    expect(new FileNotFoundError('/abs/a.npy').message).toBe('file not found: /abs/a.npy');
    const advised = error.withHint('Train it first.');
    expect(advised).toBeInstanceOf(FileNotFoundError);
    expect(advised.message).toBe(
      'file not found: weights/a.json (resolved from /home/me/graphs). Train it first.',
    );
  });

  it('is recognised after crossing Comlink (name and message) and Electron IPC (text only)', () => {
    const original = new FileNotFoundError('m (v2).onnx', 'presets/');
    // Comlink rebuilds a thrown error as a plain Error with the same name and message.
    const comlink = Object.assign(new Error(original.message), { name: original.name });
    const rebuilt = asFileNotFound(comlink);
    expect(rebuilt).toBeInstanceOf(FileNotFoundError);
    expect(rebuilt?.message).toBe(original.message);
    expect([rebuilt?.path, rebuilt?.folder]).toEqual(['m (v2).onnx', 'presets/']);
    // Electron's ipcRenderer.invoke rejects with the main process's error as text.
    const ipc = new Error(`Error invoking remote method 'file:read': ${String(original)}`);
    expect(asFileNotFound(ipc)?.message).toBe(original.message);
    // Other errors are not taken for it, even when they quote the words.
    expect(isFileNotFound(new Error('not JSON: Unexpected token'))).toBe(false);
    expect(isFileNotFound(new Error('node "x": file not found: y'))).toBe(false);
    expect(isFileNotFound('file not found: y')).toBe(false);
  });
});

describe('the CLI host (nodeFileHost)', () => {
  it('names the path as written and the graph folder it was resolved from', async () => {
    const files = nodeFileHost(folder);
    expect(await files.read('data/points.npy')).toBeInstanceOf(Uint8Array);
    for (const path of ['data/none.npy', 'no-folder/none.npy', 'data/points.npy/inside.npy']) {
      const error = await files.read(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileNotFoundError);
      expect((error as Error).message).toBe(`file not found: ${path} (resolved from ${folder})`);
    }
  });

  it('names an absolute path alone, and keeps its refusals for paths that lead out', async () => {
    const absolute = join(folder, 'data', 'none.npy');
    await expect(nodeFileHost(folder).read(absolute)).rejects.toThrow(
      new FileNotFoundError(absolute),
    );
    await expect(nodeFileHost(folder, 'anywhere').read(absolute)).rejects.toThrow(
      `file not found: ${absolute}`,
    );
    await expect(nodeFileHost(join(folder, 'data')).read('../elsewhere.npy')).rejects.toThrow(
      OutsideFolderError,
    );
  });
});

describe('the desktop host (main process, file:read)', () => {
  interface FakeWindow {
    readonly id: number;
  }
  const window: FakeWindow = { id: 1 };

  it('throws FileNotFoundError for a missing file, also when its folder is gone', async () => {
    const presets = join(folder, 'presets');
    await mkdir(presets);
    const grants = new DocumentGrants<FakeWindow>();
    const access = new FileAccess(grants, [presets]);
    await writeFile(join(folder, 'pipeline.json'), '{}');
    await grants.grantGraphFile(window, join(folder, 'pipeline.json'));

    for (const missing of [
      join(folder, 'weights', 'none.json'),
      join(folder, 'data', 'none.npy'),
      join(presets, 'weights', 'none.onnx'),
    ]) {
      const error = await access.readData(window, missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileNotFoundError);
      expect((error as Error).message).toBe(`file not found: ${missing}`);
    }
    expect(await access.readData(window, join(folder, 'data', 'points.npy'))).toBeInstanceOf(
      Uint8Array,
    );
  });
});

describe('the web and desktop renderer host (readDocumentFile)', () => {
  function answer(body: string, status: number, type: string): Response {
    return new Response(body, { status, headers: { 'content-type': type } });
  }

  beforeEach(() => {
    vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:5173/' });
    vi.stubGlobal('window', {});
    useFileStore.setState({ location: { kind: 'untitled', name: 'x', folder: 'presets/' } });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("takes the dev server's index.html fallback and a 404 for a missing file", async () => {
    const requested: string[] = [];
    vi.stubGlobal('fetch', async (url: URL) => {
      requested.push(url.href);
      if (url.pathname.endsWith('/here.npy')) return answer('npy', 200, 'application/octet-stream');
      if (url.pathname.endsWith('.onnx')) return answer('not found', 404, 'text/plain');
      return answer(INDEX_HTML, 200, 'text/html');
    });

    expect(new TextDecoder().decode(await readDocumentFile('data/here.npy'))).toBe('npy');
    await expect(readDocumentFile('weights/none.json')).rejects.toThrow(
      new FileNotFoundError('weights/none.json', 'presets/'),
    );
    const error = await readDocumentFile('weights/none.onnx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect((error as Error).message).toBe(
      'file not found: weights/none.onnx (resolved from presets/)',
    );
    expect(requested).toContain('http://127.0.0.1:5173/presets/weights/none.json');

    // A graph with no folder (a dropped file) says so after the same first words.
    useFileStore.setState({ location: { kind: 'download', name: 'dropped.json' } });
    await expect(readDocumentFile('weights/none.json')).rejects.toThrow(
      /^file not found: weights\/none\.json\. This graph has no folder to read it from/,
    );
  });

  it('keeps other HTTP failures as they are', async () => {
    vi.stubGlobal('fetch', async () => answer('oops', 500, 'text/html'));
    await expect(readDocumentFile('data/x.npy')).rejects.toThrow(
      'cannot read "data/x.npy": HTTP 500 for presets/data/x.npy',
    );
    expect(isMissingFileResponse(answer('', 410, 'text/plain'), 'a.npy')).toBe(true);
    expect(isMissingFileResponse(answer('', 200, 'text/html; charset=utf-8'), 'a.json')).toBe(true);
    expect(isMissingFileResponse(answer('', 200, 'text/html'), 'docs/page.html')).toBe(false);
    expect(isMissingFileResponse(answer('', 200, 'application/json'), 'a.json')).toBe(false);
  });

  it("turns the desktop main process's IPC text back into the path and the document folder", async () => {
    const absolute = join(folder, 'weights', 'none.json');
    const readFile = vi.fn(async (path: string) => {
      throw new Error(
        `Error invoking remote method 'file:read': ${String(new FileNotFoundError(path))}`,
      );
    });
    vi.stubGlobal('window', { principia: { readFile } });
    useFileStore.setState({
      location: { kind: 'path', name: 'g.json', path: join(folder, 'g.json') },
    });
    const error = await readDocumentFile('weights/none.json').catch((e: unknown) => e);
    expect(readFile).toHaveBeenCalledWith(absolute);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect((error as Error).message).toBe(
      `file not found: weights/none.json (resolved from ${folder})`,
    );
    // Refusals still arrive as they were.
    readFile.mockRejectedValueOnce(new Error('refusing to read "x": it is a folder'));
    await expect(readDocumentFile('data')).rejects.toThrow(/refusing to read/);
  });
});

describe('the preset files server (vite dev server and vite preview)', () => {
  async function request(
    hook: 'configureServer' | 'configurePreviewServer',
    url: string,
  ): Promise<{ status: number; type: string | undefined; body: string; passed: boolean }> {
    const plugin = presetFilesPlugin(join(folder, 'presets'));
    const configResolved = plugin.configResolved as (config: unknown) => void;
    configResolved({ root: folder, build: { outDir: 'dist' } });
    let middleware: ((req: unknown, res: unknown, next: () => void) => void) | undefined;
    const server = { middlewares: { use: (handler: typeof middleware) => (middleware = handler) } };
    (plugin[hook] as (server: unknown) => void)(server);
    const headers: Record<string, string> = {};
    let body = '';
    let passed = false;
    const response = {
      statusCode: 200,
      setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
      end: (data?: string | Uint8Array) => (body = data === undefined ? '' : String(data)),
    };
    middleware!(
      { url } as IncomingMessage,
      response as unknown as ServerResponse,
      () => (passed = true),
    );
    return { status: response.statusCode, type: headers['content-type'], body, passed };
  }

  beforeEach(async () => {
    for (const base of [join(folder, 'presets'), join(folder, 'dist', 'presets')]) {
      await mkdir(join(base, 'weights'), { recursive: true });
      await writeFile(join(base, 'weights', 'here.json'), '{}');
      await writeFile(join(base, 'demo.graph.json'), '{}');
    }
  });

  it('answers a missing data file with a 404, never the index.html fallback', async () => {
    for (const hook of ['configureServer', 'configurePreviewServer'] as const) {
      const missing = await request(hook, '/presets/weights/none.onnx?x=1');
      expect(missing).toMatchObject({ status: 404, passed: false });
      expect(missing.body).toBe('file not found: presets/weights/none.onnx');
      // What is there, graphs and other URLs are served as before.
      expect((await request(hook, '/presets/demo.graph.json')).passed).toBe(true);
      expect((await request(hook, '/assets/index.js')).passed).toBe(true);
    }
    const served = await request('configureServer', '/presets/weights/here.json');
    expect(served).toMatchObject({ status: 200, type: 'application/octet-stream', body: '{}' });
    expect((await request('configurePreviewServer', '/presets/weights/here.json')).passed).toBe(
      true,
    );
  });
});

describe('the nodes that read files pass it on unchanged', () => {
  const notFound = (path: string) =>
    new RegExp(`^file not found: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(resolved from `);

  async function failure(run: () => unknown): Promise<Error> {
    const error = await Promise.resolve()
      .then(run)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(FileNotFoundError);
    return error as Error;
  }

  it('load-npy, fashion-mnist and onnx-denoiser, when running and when probing shapes', async () => {
    const files = nodeFileHost(folder);
    const npy = loadNpy.params.parse({ path: 'data/none.npy' });
    expect((await failure(() => loadNpy.run({}, makeTestContext(npy, { files })))).message).toBe(
      `file not found: data/none.npy (resolved from ${folder})`,
    );
    await failure(() => loadNpy.probeFacts!(npy, files));

    const fashion = fashionMnist.params.parse({ path: 'data/fashion.npy' });
    expect(
      (await failure(() => fashionMnist.run({}, makeTestContext(fashion, { files })))).message,
    ).toMatch(notFound('data/fashion.npy'));

    const onnx = onnxNode.params.parse({ path: 'weights/model.onnx' });
    const run = () =>
      onnxNode.run({ schedule: undefined as never }, makeTestContext(onnx, { files }));
    expect((await failure(run)).message).toBe(
      `file not found: weights/model.onnx (resolved from ${folder})`,
    );
    await failure(() => onnxNode.probeFacts!(onnx, files));
  });

  it('weights (mlp-denoiser, flow maps): the manifest or its binary, with how to train', async () => {
    const files = nodeFileHost(folder);
    const mlp = mlpNode.params.parse({ weights: 'weights/none.json' });
    const error = await failure(() =>
      mlpNode.run({ data: undefined }, makeTestContext(mlp, { files, nodeId: 'net' })),
    );
    expect(error.message).toBe(
      `file not found: weights/none.json (resolved from ${folder}). If this node has not been ` +
        'trained yet, train it (the Train action, or npx principia train GRAPH.json --node net)',
    );
    for (const node of [consistencyNode, meanflowNode]) {
      const params = node.params.parse({ weights: 'weights/flow.json' });
      const run = () => node.run({} as never, makeTestContext(params as never, { files }));
      expect((await failure(run)).message).toMatch(notFound('weights/flow.json'));
    }

    // A manifest whose binary is missing names the binary.
    await mkdir(join(folder, 'weights'));
    await copyFile(
      resolve(REPO_ROOT, 'presets/weights/train-a-denoiser.json'),
      join(folder, 'weights', 'lonely.json'),
    );
    const bin = await failure(() => readWeights(files, 'weights/lonely.json'));
    expect(bin.message).toMatch(notFound('weights/train-a-denoiser.bin'));
  });

  it('other read failures keep their "could not read" message', async () => {
    const failing: FileHost = {
      read: async () => {
        throw new Error('permission denied');
      },
      write: async () => undefined,
    };
    await expect(
      readParamFile(failing, 'a.npy', { param: 'path', kind: 'a .npy file' }),
    ).rejects.toThrow('could not read "a.npy": permission denied');
  });
});

describe('principia run: a missing file names the path and the folder', () => {
  it('for a missing .npy, ONNX model and weights manifest', async () => {
    const cases = [
      ['fashion-mnist-memorises', 'data', 'data/fashion-mnist-subset.npy'],
      ['bring-your-own-onnx', 'model', 'weights/two-moons-denoiser.onnx'],
      ['train-a-denoiser', 'denoiser', 'weights/train-a-denoiser.json'],
    ] as const;
    for (const [preset, node, path] of cases) {
      // The preset alone, without the files beside it in presets/.
      const graph = join(folder, `${preset}.graph.json`);
      await copyFile(resolve(REPO_ROOT, 'presets', `${preset}.graph.json`), graph);
      const result = await principia('run', graph);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(
        `${graph}: node "${node}": file not found: ${path} (resolved from ${folder})`,
      );
      expect(result.stderr).not.toMatch(/not JSON|protobuf|ENOENT|could not read/);
    }
  });
});
