// The CLI as users run it: a child process per command line, checked by exit code, output and
// the files it writes. Spawns are slow (~1 s each), so each one checks as much as it can.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../graph-nodes/math/npy';
import { principia, REPO_ROOT, spawnAndCollect } from './helpers/cli-process';

// CI clones the repository with shared/ beside it.
const REFERENCE_DIR = join(REPO_ROOT, '..', 'shared', 'reference', 'kdiffusion-gmm');
const FIXTURE = 'test/fixtures/kdiffusion-gmm.graph.json';
const HEUN_10_COMMAND = (out: string, noise: string) => [
  'principia',
  'run',
  FIXTURE,
  `--set`,
  `noise.path=${noise}`,
  '--set',
  'timesteps.steps=10',
  '--set',
  'solver.algorithm=heun',
  '--save',
  `solver.samples=${out}`,
];

async function readPoints(file: string): Promise<{ shape: number[]; data: ArrayLike<number> }> {
  return parseNpy(new Uint8Array(await readFile(file)), file);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'principia-cli-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('principia run on the k-diffusion fixture', () => {
  it('reproduces k-diffusion heun with 10 steps to 1e-3 (npx, file params relative to cwd)', async () => {
    const out = join(outDir, 'heun_10.npy');
    // Relative to the repo root (the cwd), not to the graph file: --set paths follow the shell.
    const noise = '../shared/reference/kdiffusion-gmm/x_T.npy';
    expect(resolve(REPO_ROOT, noise)).toBe(join(REFERENCE_DIR, 'x_T.npy'));

    const result = await spawnAndCollect('npx', HEUN_10_COMMAND(out, noise));

    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^solver\s+solver\s+done\s+[\d.]+\s+19$/m);
    expect(result.stdout).toContain(`saved solver.samples → ${out}`);
    const ours = await readPoints(out);
    const reference = await readPoints(join(REFERENCE_DIR, 'heun_10.npy'));
    expect(ours.shape).toEqual([256, 2]);
    expect(maxAbsDiff(ours.data, reference.data)).toBeLessThanOrEqual(1e-3);
  });

  it('prints a JSON summary and gives the same samples on the cpu backend', async () => {
    const wasmOut = join(outDir, 'heun_10.npy');
    const cpuOut = join(outDir, 'heun_10_cpu.npy');
    // noise.path stays as the graph wrote it: relative to the graph file's directory.
    const result = await principia(
      'run',
      FIXTURE,
      '--set',
      'timesteps.steps=10',
      '--set',
      'solver.algorithm=heun',
      '--save',
      `solver.samples=${cpuOut}`,
      '--backend',
      'cpu',
      '--json',
    );

    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      backend: string;
      ms: number;
      nodes: Record<string, { status: string; ms: number; nfe: number }>;
      saved: { nodeId: string; port: string; file: string }[];
    };
    expect(summary.ok).toBe(true);
    expect(summary.backend).toBe('cpu');
    expect(summary.ms).toBeGreaterThan(0);
    expect(Object.keys(summary.nodes).sort()).toEqual(
      ['denoiser', 'noise', 'schedule', 'solver', 'timesteps'].sort(),
    );
    for (const node of Object.values(summary.nodes)) {
      expect(node.status).toBe('done');
      expect(node.ms).toBeGreaterThanOrEqual(0);
    }
    expect(summary.nodes.solver?.nfe).toBe(19);
    expect(summary.nodes.noise?.nfe).toBe(0);
    expect(summary.saved).toEqual([
      expect.objectContaining({ nodeId: 'solver', port: 'samples', file: cpuOut }),
    ]);
    // The previous test wrote the wasm result.
    const wasm = await readPoints(wasmOut);
    const cpu = await readPoints(cpuOut);
    expect(maxAbsDiff(cpu.data, wasm.data)).toBeLessThanOrEqual(1e-4);
  });
});

// Independent processes: run them side by side to keep the wall time down.
describe.concurrent('principia run: bad input exits 2 and says where', () => {
  it('malformed JSON names the file and the line', async ({ expect }) => {
    const graph = join(outDir, 'malformed.graph.json');
    await writeFile(graph, '{\n  "format": "principia.graph",\n  nodes: []\n}\n');
    const result = await principia('run', graph);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(graph);
    expect(result.stderr).toMatch(/not valid JSON at line 3/);
    expect(result.stdout).toBe('');
  });

  it('an unknown node type names the file and the node', async ({ expect }) => {
    const fixture = JSON.parse(await readFile(join(REPO_ROOT, FIXTURE), 'utf8')) as {
      nodes: { id: string; type: string }[];
    };
    fixture.nodes.find((node) => node.id === 'solver')!.type = 'warp-drive';
    const graph = join(outDir, 'unknown-type.graph.json');
    await writeFile(graph, JSON.stringify(fixture));
    const result = await principia('run', graph);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${graph}: node "solver": unknown node type "warp-drive"`);
  });

  it('--set on a node that does not exist names the file and the node', async ({ expect }) => {
    const result = await principia('run', FIXTURE, '--set', 'sampler.steps=10');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${FIXTURE}: node "sampler"`);
    expect(result.stderr).toContain('"timesteps"'); // lists the nodes there are
  });

  it('a bad param value names the file, the node and the param', async ({ expect }) => {
    const result = await principia('run', FIXTURE, '--set', 'timesteps.steps=-4');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${FIXTURE}: node "timesteps" param "steps"`);
  });

  it('--save on an output that does not exist names the node and the port', async ({ expect }) => {
    const result = await principia('run', FIXTURE, '--save', `solver.sample=${outDir}/x.npy`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${FIXTURE}: node "solver" port "sample"`);
    expect(result.stderr).toContain('"samples"'); // suggests the outputs there are
  });

  it('a bad command line says what is wrong', async ({ expect }) => {
    const result = await principia('run', FIXTURE, '--backend', 'webgpu');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--backend must be one of wasm, cpu');
  });
});

describe('principia run: a node failing while running exits 1', () => {
  it('names the node and the missing file', async () => {
    const result = await principia(
      'run',
      FIXTURE,
      '--set',
      'noise.path=no/such/file.npy',
      '--json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${FIXTURE}: node "noise"`);
    expect(result.stderr).toContain(resolve(REPO_ROOT, 'no/such/file.npy'));
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      nodes: Record<string, { status: string }>;
      error: { nodeId: string };
    };
    expect(summary.ok).toBe(false);
    expect(summary.error.nodeId).toBe('noise');
    expect(summary.nodes.noise?.status).toBe('failed');
    expect(summary.nodes.solver?.status).toBe('skipped');
  });
});

describe('principia nodes and --help', () => {
  it('nodes --json lists the catalogue with param schemas', async () => {
    const result = await principia('nodes', '--json');
    expect(result.code, result.stderr).toBe(0);
    const entries = JSON.parse(result.stdout) as {
      type: string;
      version: number;
      kind: string;
      inputs: object;
      outputs: object;
      params: { type?: string; properties?: Record<string, { widget?: string }> };
    }[];
    const types = entries.map((entry) => entry.type);
    expect(types).toContain('solver');
    expect(types).toContain('karras-timesteps');
    const loadNpy = entries.find((entry) => entry.type === 'load-npy');
    expect(loadNpy?.params.properties?.path?.widget).toBe('file'); // .meta() hints survive
    const solver = entries.find((entry) => entry.type === 'solver');
    expect(solver?.kind).toBe('solver');
    expect(Object.keys(solver?.outputs ?? {})).toContain('samples');
  });

  it('--help prints usage and exits 0', async () => {
    const result = await principia('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('principia run GRAPH.json');
    expect(result.stdout).toContain('--save NODE.PORT=FILE');
  });
});
