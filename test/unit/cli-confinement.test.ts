// A downloaded graph reads and writes only inside its own folder: paths that lead out are refused
// before anything runs, symlinks and special files when they are used, and the user widens this
// only on the command line. Ctrl-C ends a run within a second.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import { encodeNpy } from '../../graph-nodes/math/npy';
import { readWeights } from '../../graph-nodes/neural/weights-file';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { principia, REPO_ROOT } from './helpers/cli-process';

let root: string;
let graphFolder: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'principia-confine-'));
  graphFolder = join(root, 'download');
  await mkdir(graphFolder);
  await writeFile(
    join(graphFolder, 'points.npy'),
    encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]),
  );
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** load-npy → save-npy: a graph that copies one file to another. */
function copyGraph(from: string, to: string): GraphDocument {
  const at = { x: 0, y: 0 };
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      { id: 'load', type: 'load-npy', typeVersion: 1, position: at, params: { path: from } },
      { id: 'save', type: 'save-npy', typeVersion: 1, position: at, params: { path: to } },
    ],
    edges: [{ from: { node: 'load', port: 'samples' }, to: { node: 'save', port: 'value' } }],
  };
}

async function writeGraph(graph: GraphDocument): Promise<string> {
  const path = join(graphFolder, 'copy.graph.json');
  await writeFile(path, JSON.stringify(graph));
  return path;
}

describe('paths written in a graph', () => {
  it('are refused before anything runs when they lead out of its folder (exit 2)', async () => {
    const victim = join(root, 'victim.txt');
    await writeFile(victim, 'untouched');
    const graph = await writeGraph(copyGraph('points.npy', '../victim.txt'));
    const result = await principia('run', graph);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'node "save" param "path": the path "../victim.txt" cannot be used: it leads out of the graph\'s folder',
    );
    expect(await readFile(victim, 'utf8')).toBe('untouched');

    const absolute = await principia('run', await writeGraph(copyGraph('/dev/zero', 'out.npy')));
    expect(absolute.code).toBe(2);
    expect(absolute.stderr).toContain('the path "/dev/zero" cannot be used: it is absolute');
  });

  it('may reach a folder the user allows on the command line, and only that one', async () => {
    const outside = join(root, 'results');
    await mkdir(outside);
    const graph = await writeGraph(copyGraph('points.npy', '../results/copy.npy'));
    const allowed = await principia('run', graph, '--allow-write', outside);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect((await readFile(join(outside, 'copy.npy'))).byteLength).toBeGreaterThan(0);
    // Reading there is not writing there.
    const readOnly = await principia('run', graph, '--allow-read', outside);
    expect(readOnly.code).toBe(2);
  });

  it('given with --set are the user’s choice and may lie anywhere', async () => {
    const elsewhere = join(root, 'elsewhere.npy');
    await writeFile(elsewhere, encodeNpy(new Float32Array([5, 6]), [1, 2]));
    const graph = await writeGraph(copyGraph('../elsewhere.npy', 'copy.npy'));
    const result = await principia('run', graph, '--set', `load.path=${elsewhere}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the file host at run time', () => {
  async function runCopy(from: string, to = 'copy.npy') {
    await initNodeBackend('cpu');
    const executor = new Executor({ files: nodeFileHost(graphFolder) });
    try {
      const summary = await executor.run(compileGraph(copyGraph(from, to), catalogue));
      return summary.error?.message ?? '';
    } finally {
      executor.dispose();
    }
  }

  it('refuses symlinks that lead out of the folder, to files and through folders', async () => {
    const secret = join(root, 'secret.npy');
    await writeFile(secret, encodeNpy(new Float32Array([9, 9]), [1, 2]));
    await symlink(secret, join(graphFolder, 'innocent.npy'));
    expect(await runCopy('innocent.npy')).toMatch(
      /refusing ".*innocent\.npy": it resolves to .*secret\.npy, which is outside/,
    );
    await symlink(root, join(graphFolder, 'up'));
    expect(await runCopy('up/secret.npy')).toMatch(/which is outside/);
    // A write through a symlinked folder is refused the same way, and nothing is written.
    expect(await runCopy('points.npy', 'up/planted.npy')).toMatch(/which is outside/);
    await expect(readFile(join(root, 'planted.npy'))).rejects.toThrow();
  });

  it('reads regular files only: a device or a FIFO is refused at once, never read', async () => {
    await symlink('/dev/zero', join(graphFolder, 'zeros.npy'));
    // /dev/zero is outside the folder; a device inside it would be refused as a device.
    expect(await runCopy('zeros.npy')).toMatch(/outside/);
    execFileSync('mkfifo', [join(graphFolder, 'pipe.npy')]);
    const started = performance.now();
    expect(await runCopy('pipe.npy')).toMatch(/FIFO/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('a weights manifest', () => {
  it('names its binary beside itself: a "bin" that leads elsewhere is refused, nothing read', async () => {
    const manifest = JSON.parse(
      await readFile(join(REPO_ROOT, 'presets/weights/train-a-denoiser.json'), 'utf8'),
    ) as { bin: string };
    await writeFile(join(root, 'passwd'), 'root:x:0:0');
    for (const bin of ['../passwd', '/etc/passwd', 'sub/../../passwd']) {
      await writeFile(join(graphFolder, 'w.json'), JSON.stringify({ ...manifest, bin }));
      await expect(readWeights(nodeFileHost(graphFolder), 'w.json')).rejects.toThrow(
        `w.json: its "bin" is "${bin}", but it must be a file name beside the manifest`,
      );
    }
  });
});

describe('Ctrl-C', () => {
  it('ends a long run within a second, with exit code 130', async () => {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'principia.mjs'),
        'run',
        'presets/default.graph.json',
        '--set',
        'timesteps.steps=1000',
        '--set',
        'prior.count=20000',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // Let it load the engine and get going.
    await new Promise((done) => setTimeout(done, 4000));
    expect(child.exitCode).toBeNull();
    const interrupted = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(performance.now() - interrupted).toBeLessThan(1500);
    expect(code).toBe(130);
    expect(stderr).toContain('cancelled');
  }, 30_000);
});
