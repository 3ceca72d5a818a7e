// The transport contract from the command line, as a script would use it: two .npy clouds loaded
// by load-npy, an entropic-ot node under a name of the user's choosing, ε set on the command line,
// the plan written by --save and read back; and a sweep over ε that shows the entropic cost
// falling to the exact one.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-nodes';
import { createRng } from '../../graph-nodes/math/rng';
import { encodeNpy, parseNpy } from '../../graph-nodes/math/npy';
import { sinkhornPlan } from './helpers/bridge-couplings';
import { principia } from './helpers/cli-process';

const N = 40;
const M = 30;
let folder: string;
let source: Float64Array;
let target: Float64Array;

function transportGraph(otId: string): GraphDocument {
  const at = { x: 0, y: 0 };
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      { id: 'mu', type: 'load-npy', typeVersion: 1, position: at, params: { path: 'mu.npy' } },
      { id: 'nu', type: 'load-npy', typeVersion: 1, position: at, params: { path: 'nu.npy' } },
      // ε = 5 in the file: the command line's ε = 0.1 must win.
      { id: otId, type: 'entropic-ot', typeVersion: 1, position: at, params: { epsilon: 5 } },
      { id: 'exact', type: 'exact-ot', typeVersion: 1, position: at, params: {} },
      { id: 'readout', type: 'metrics', typeVersion: 1, position: at, params: {} },
      { id: 'exact_readout', type: 'metrics', typeVersion: 1, position: at, params: {} },
    ],
    edges: [
      { from: { node: 'mu', port: 'samples' }, to: { node: otId, port: 'source' } },
      { from: { node: 'nu', port: 'samples' }, to: { node: otId, port: 'target' } },
      { from: { node: 'mu', port: 'samples' }, to: { node: 'exact', port: 'source' } },
      { from: { node: 'nu', port: 'samples' }, to: { node: 'exact', port: 'target' } },
      { from: { node: otId, port: 'plan' }, to: { node: 'readout', port: 'coupling' } },
      { from: { node: 'exact', port: 'plan' }, to: { node: 'exact_readout', port: 'coupling' } },
    ],
  };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-transport-'));
  const rng = createRng(11);
  // Scale ~2: a ring of sources and a shifted blob of targets.
  source = Float64Array.from({ length: N * 2 }, (_, k) =>
    k % 2 === 0 ? 2 * Math.cos(k) + 0.1 * rng.normal() : 2 * Math.sin(k) + 0.1 * rng.normal(),
  );
  target = Float64Array.from({ length: M * 2 }, () => 1 + rng.normal());
  await writeFile(join(folder, 'mu.npy'), encodeNpy(source, [N, 2]));
  await writeFile(join(folder, 'nu.npy'), encodeNpy(target, [M, 2]));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('principia run … --set ot.epsilon=0.1 --save ot.plan=plan.npy', () => {
  it.each(['ot', 'coupling_of_my_clouds'])(
    'writes the plan of node "%s" as float64 [n, m] matching an independent Sinkhorn',
    async (otId) => {
      const graphFile = join(folder, `${otId}.graph.json`);
      await writeFile(graphFile, JSON.stringify(transportGraph(otId)));
      const planFile = join(folder, `${otId}-plan.npy`);
      const result = await principia(
        'run',
        graphFile,
        '--set',
        `${otId}.epsilon=0.1`,
        '--save',
        `${otId}.plan=${planFile}`,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const saved = parseNpy(new Uint8Array(await readFile(planFile)), 'plan');
      expect(saved.shape).toEqual([N, M]);
      expect(saved.data).toBeInstanceOf(Float64Array);
      const plan = saved.data as Float64Array;
      const rows = new Float64Array(N);
      const columns = new Float64Array(M);
      plan.forEach((mass, k) => {
        rows[Math.floor(k / M)] = rows[Math.floor(k / M)]! + mass;
        columns[k % M] = columns[k % M]! + mass;
      });
      const rowError = rows.reduce((sum, r) => sum + Math.abs(r - 1 / N), 0);
      const columnError = columns.reduce((sum, c) => sum + Math.abs(c - 1 / M), 0);
      expect(rowError).toBeLessThanOrEqual(1e-9);
      expect(columnError).toBeLessThanOrEqual(1e-9);
      // Samples travel as float32 tensors, so the solver saw the points rounded to float32.
      const asLoaded = (points: Float64Array) => Float64Array.from(Float32Array.from(points));
      const oracle = sinkhornPlan(asLoaded(source), asLoaded(target), 2, 0.1, 3000);
      let largest = 0;
      plan.forEach((mass, k) => (largest = Math.max(largest, Math.abs(mass - oracle[k]!))));
      expect(largest).toBeLessThan(1e-10);
    },
  );

  it('names a missing node and refuses a plan saved from a port that is not there', async () => {
    const graphFile = join(folder, 'named.graph.json');
    await writeFile(graphFile, JSON.stringify(transportGraph('ot')));
    const wrongNode = await principia('run', graphFile, '--save', `nope.plan=${folder}/x.npy`);
    expect(wrongNode.code).not.toBe(0);
    expect(wrongNode.stderr).toContain('no node "nope"');
    const wrongPort = await principia('run', graphFile, '--save', `ot.potentials=${folder}/x.npy`);
    expect(wrongPort.code).not.toBe(0);
    expect(wrongPort.stderr).toContain('"plan", "coupling"');
  });
});

describe('principia sweep over ε', () => {
  it('reports transport cost falling towards the exact cost as ε → 0, and entropy rising as ε grows', async () => {
    const graphFile = join(folder, 'sweep.graph.json');
    await writeFile(graphFile, JSON.stringify(transportGraph('ot')));
    const sweepPoints = async (measure: string, epsilons: string) => {
      const sweep = await principia(
        'sweep',
        graphFile,
        '--set',
        `ot.epsilon=${epsilons}`,
        '--measure',
        measure,
        '--json',
      );
      expect(sweep.stderr).toBe('');
      expect(sweep.code).toBe(0);
      return (
        JSON.parse(sweep.stdout) as { points: { ok: boolean; metrics: Record<string, number> }[] }
      ).points;
    };
    const points = await sweepPoints('readout', '10,1,0.1,0.01,0.001');
    const [exact] = await sweepPoints('exact_readout', '0.001');
    const exactCost = exact!.metrics['transport_cost']!;
    expect(points.every((point) => point.ok)).toBe(true);
    const costs = points.map((point) => point.metrics['transport_cost']!);
    const entropies = points.map((point) => point.metrics['entropy']!);
    for (let k = 1; k < points.length; k++) {
      expect(costs[k]!).toBeLessThan(costs[k - 1]!);
      expect(entropies[k]!).toBeLessThan(entropies[k - 1]!);
    }
    // ε = 10 on data of scale 2 is close to the independent coupling: entropy near log n + log m.
    expect(entropies[0]!).toBeGreaterThan(Math.log(N) + Math.log(M) - 0.1);
    for (const point of points) expect(Math.abs(point.metrics['duality_gap']!)).toBeLessThan(1e-8);
    // The exact plan is the cheapest coupling; at ε = 1e-3 the entropic one is within ~ε log n.
    expect(costs.at(-1)!).toBeGreaterThan(exactCost);
    expect(costs.at(-1)! - exactCost).toBeLessThan(1e-3 * Math.log(N * M));
  });
});
