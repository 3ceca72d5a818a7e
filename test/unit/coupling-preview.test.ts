// The coupling's way to the screen: the worker cuts π down to its heaviest entries (a bounded
// heap, the same as a full sort), a block-mean heat map (mass kept, input order) and the points'
// plane positions; the dock scales line opacity and heat colours as it says; a Schrödinger
// bridge's frames carry their kind into the run store; and an entropic plan from the engine comes
// out of the preview with its heaviest pairs and values intact.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import type { Coupling } from '../../graph-nodes/core/values';
import { createRng } from '../../graph-nodes/math/rng';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import {
  couplingPreviewBuffers,
  couplingPreviewOf,
  heaviestByHeap,
  heaviestEntries,
  MAX_PLAN_LINES,
  planLines,
  planHeatMap,
  planePoints,
} from '../../renderer/engine/coupling-preview';
import type { FramePointsEvent } from '../../renderer/engine/engine-protocol';
import { framePointsEvent } from '../../renderer/engine/frame-points';
import { nodePreviewOf } from '../../renderer/engine/preview-data';
import {
  heatLevel,
  heatMapRect,
  heatMapRgba,
  LOG_DECADES,
  opacityScale,
} from '../../renderer/preview/coupling-drawing';
import { runStore, useRunStore } from '../../renderer/run/run-store';

function randomPlan(n: number, m: number, seed: number, zeros = 0): Float64Array {
  const rng = createRng(seed);
  const plan = Float64Array.from({ length: n * m }, () =>
    rng.uniform() < zeros ? 0 : rng.uniform(),
  );
  const total = plan.reduce((sum, value) => sum + value, 0);
  return plan.map((value) => value / total);
}

/** The k heaviest by a full sort: what the heap must agree with. */
function sortedEntries(plan: Float64Array, m: number, k: number) {
  return Array.from(plan, (mass, index) => ({ mass, index }))
    .filter((entry) => entry.mass > 0)
    .sort((a, b) => b.mass - a.mass || a.index - b.index)
    .slice(0, k)
    .map(({ mass, index }) => ({ i: Math.floor(index / m), j: index % m, mass }));
}

function coupling(
  n: number,
  m: number,
  dim: number,
  plan: Float64Array,
  shape: number[] = [dim],
): Coupling {
  const rng = createRng(5);
  return {
    source: Float64Array.from({ length: n * dim }, () => rng.normal()),
    target: Float64Array.from({ length: m * dim }, () => rng.normal()),
    n,
    m,
    dim,
    shape,
    plan,
    epsilon: 0.5,
    reference: { kind: 'brownian' },
    values: { transport_cost: 1.25, entropy: 3.5, iterations: 12 },
  };
}

describe('the heaviest entries of a plan', () => {
  it('agree with a full sort, heaviest first, with their row and column (selection and heap)', () => {
    for (const [n, m, k, zeros] of [
      [40, 30, 50, 0],
      [17, 23, 391, 0.3],
      [5, 7, 1, 0],
      [64, 64, 4096, 0.5],
      [300, 200, 20_000, 0.1],
    ] as const) {
      const plan = randomPlan(n, m, n * m + k, zeros);
      // Quantised masses: many ties, broken by index.
      const tied = plan.map((mass) => Math.round(mass * n * m * 4) / (n * m * 4));
      for (const values of [plan, tied]) {
        const expected = sortedEntries(values, m, k);
        for (const find of [heaviestEntries, heaviestByHeap]) {
          const entries = find(values, n, m, k);
          expect(Array.from(entries.mass)).toEqual(expected.map((entry) => entry.mass));
          expect(Array.from(entries.rows)).toEqual(expected.map((entry) => entry.i));
          expect(Array.from(entries.cols)).toEqual(expected.map((entry) => entry.j));
          expect(entries.support).toBe(values.filter((mass) => mass > 0).length);
        }
      }
    }
  });

  it('leave out zeros, take every entry when k exceeds the support, and break ties by index', () => {
    const plan = new Float64Array([0, 0.25, 0, 0.25, 0.25, 0, 0.25, 0]);
    for (const find of [heaviestEntries, heaviestByHeap]) {
      const entries = find(plan, 2, 4, 100);
      expect(entries.support).toBe(4);
      expect(Array.from(entries.rows)).toEqual([0, 0, 1, 1]);
      expect(Array.from(entries.cols)).toEqual([1, 3, 0, 2]);
      expect(find(plan, 2, 4, 2).cols).toEqual(new Int32Array([1, 3]));
      expect(find(plan, 2, 4, 5).cols).toEqual(new Int32Array([1, 3, 0, 2]));
      expect(find(plan, 2, 4, 0).mass.length).toBe(0);
      expect(find(new Float64Array(6), 2, 3, 5).support).toBe(0);
      expect(find(new Float64Array(6), 2, 3, 5).mass.length).toBe(0);
    }
  });

  it('keep a permutation plan whole (the exact plan: n entries of 1/n)', () => {
    const n = 300;
    const plan = new Float64Array(n * n);
    for (let i = 0; i < n; i++) plan[i * n + ((i * 7) % n)] = 1 / n;
    const entries = heaviestEntries(plan, n, n, MAX_PLAN_LINES);
    expect(entries.mass.length).toBe(n);
    entries.rows.forEach((i, k) => expect(entries.cols[k]).toBe((i * 7) % n));
  });
});

describe('the lines drawn of a plan', () => {
  it('are the heaviest overall and each point’s own heaviest, heaviest first, at most k', () => {
    // Rows 0–9 spread their mass evenly; the others over 8 targets each, 10 times as densely, so
    // the heaviest entries overall are all theirs.
    const n = 100;
    const m = 80;
    const plan = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < (i < 10 ? m : 8); t++) {
        plan[i * m + ((i + t) % m)] = i < 10 ? 1 / (n * m) : (1 + 1e-3 * t) / 8.028 / n;
      }
    }
    const k = 1200;
    const lines = planLines(plan, n, m, k);
    expect([lines.perSource, lines.perTarget]).toEqual([3, 3]);
    expect(lines.mass.length).toBeLessThanOrEqual(k);
    for (let r = 1; r < lines.mass.length; r++) {
      expect(lines.mass[r]!).toBeLessThanOrEqual(lines.mass[r - 1]!);
    }
    const drawn = new Set(Array.from(lines.rows, (i, r) => i * m + lines.cols[r]!));
    for (const { i, j } of sortedEntries(plan, m, k / 2)) expect(drawn.has(i * m + j)).toBe(true);
    for (let i = 0; i < n; i++) {
      const row = Array.from(plan.subarray(i * m, (i + 1) * m));
      const top = sortedEntries(Float64Array.from(row), m, lines.perSource);
      for (const { j } of top) expect(drawn.has(i * m + j)).toBe(true);
    }
    for (let j = 0; j < m; j++) {
      const column = Float64Array.from({ length: n }, (_, i) => plan[i * m + j]!);
      for (const { i } of sortedEntries(column, 1, lines.perTarget)) {
        expect(drawn.has(i * m + j)).toBe(true);
      }
    }
    // The evenly spread rows are drawn at all only thanks to their quota.
    expect(Array.from(lines.rows).filter((i) => i < 10).length).toBeGreaterThanOrEqual(30);
    expect(Array.from(heaviestEntries(plan, n, m, k / 2).rows).some((i) => i < 10)).toBe(false);
  });

  it('are every positive entry of a plan with no more entries than lines', () => {
    const plan = randomPlan(30, 40, 9, 0.3);
    const lines = planLines(plan, 30, 40, 2000);
    expect([lines.perSource, lines.perTarget]).toEqual([0, 0]);
    expect(Array.from(lines.mass)).toEqual(Array.from(heaviestEntries(plan, 30, 40, 2000).mass));
  });
});

describe('the heat map of a plan', () => {
  it('is the plan itself when it fits', () => {
    const plan = randomPlan(6, 9, 1);
    const heat = planHeatMap(plan, 6, 9, 16);
    expect([heat.rows, heat.cols, heat.rowBlock, heat.colBlock]).toEqual([6, 9, 1, 1]);
    expect(Array.from(heat.values)).toEqual(Array.from(plan, Math.fround));
  });

  it('takes block means over whole blocks, in input order, keeping the mass', () => {
    const n = 500;
    const m = 301;
    const plan = randomPlan(n, m, 2);
    const heat = planHeatMap(plan, n, m, 256);
    // 500 rows in blocks of 2 (250 cells), 301 columns in blocks of 2 (151, the last of one).
    expect([heat.rows, heat.cols, heat.rowBlock, heat.colBlock]).toEqual([250, 151, 2, 2]);
    let mass = 0;
    for (let r = 0; r < heat.rows; r++) {
      for (let c = 0; c < heat.cols; c++) {
        const width = Math.min(2, m - 2 * c);
        mass += heat.values[r * heat.cols + c]! * 2 * width;
      }
    }
    expect(mass).toBeCloseTo(1, 5);
    const block = (plan[0]! + plan[1]! + plan[m]! + plan[m + 1]!) / 4;
    expect(heat.values[0]).toBeCloseTo(block, 12);
    const lastColumn = (plan[m - 1]! + plan[2 * m - 1]!) / 2;
    expect(heat.values[heat.cols - 1]).toBeCloseTo(lastColumn, 12);
  });

  it('colours linear or log mass, and empty cells as the background', () => {
    expect(heatLevel(0.5, 1, false)).toBe(0.5);
    expect(heatLevel(1, 1, true)).toBe(1);
    expect(heatLevel(10 ** -(LOG_DECADES / 2), 1, true)).toBeCloseTo(0.5, 12);
    expect(heatLevel(1e-20, 1, true)).toBe(0);
    expect(heatLevel(0, 1, true)).toBe(0);
    const rgba = heatMapRgba(
      { rows: 1, cols: 3, rowBlock: 1, colBlock: 1, values: new Float32Array([0, 0.5, 1]) },
      false,
    );
    expect(Array.from(rgba.subarray(0, 4))).toEqual([13, 15, 20, 255]);
    // Viridis: dark violet-blue up to yellow.
    expect(Array.from(rgba.subarray(8, 11))).toEqual([253, 231, 37]);
    const rect = heatMapRect({ rows: 100, cols: 50 }, 400, 300, 10);
    // 2.8 px a cell would fit; whole pixels keep every cell the same size.
    expect(rect).toEqual({ x: 150, y: 50, width: 100, height: 200 });
  });

  it('scales line opacity down alike when the mass spreads over many lines', () => {
    expect(opacityScale(new Float64Array(300).fill(1 / 300), 1 / 300)).toBe(1);
    // 20 000 lines carrying all the mass share the ink; carrying a fifth of it, a fifth as much.
    const spread = opacityScale(new Float64Array(20_000).fill(5e-5), 5e-5);
    expect(spread).toBeCloseTo(0.1, 12);
    expect(opacityScale(new Float64Array(20_000).fill(1e-5), 1e-5)).toBeCloseTo(0.02, 12);
    expect(opacityScale(new Float64Array(20_000).fill(1e-6), 1e-6)).toBe(0.02);
  });
});

describe('the preview of a coupling', () => {
  it('sends segments between the pairs’ first two coordinates, its values and the heat map', () => {
    const n = 30;
    const m = 20;
    const plan = randomPlan(n, m, 3, 0.2);
    const value = coupling(n, m, 3, plan);
    const preview = couplingPreviewOf(value, { lines: 50 });
    const expected = sortedEntries(plan, m, 50);
    expect(preview.lines.mass.length).toBe(50);
    expect(preview.maxMass).toBe(expected[0]!.mass);
    expect(preview.shownMass).toBeCloseTo(
      expected.reduce((sum, entry) => sum + entry.mass, 0),
      12,
    );
    expected.forEach(({ i, j }, k) => {
      expect(preview.lines.segments[4 * k]).toBe(Math.fround(value.source[3 * i]!));
      expect(preview.lines.segments[4 * k + 1]).toBe(Math.fround(value.source[3 * i + 1]!));
      expect(preview.lines.segments[4 * k + 2]).toBe(Math.fround(value.target[3 * j]!));
      expect(preview.lines.segments[4 * k + 3]).toBe(Math.fround(value.target[3 * j + 1]!));
    });
    expect(preview.source.length).toBe(2 * n);
    expect(preview.target[1]).toBe(Math.fround(value.target[1]!));
    expect(preview.values).toEqual(value.values);
    expect(preview.epsilon).toBe(0.5);
    expect(preview.pairImages).toBeUndefined();
    expect([preview.heat.rows, preview.heat.cols]).toEqual([n, m]);
    // Every buffer it holds can be moved across the worker boundary, and none is the plan's.
    const buffers = couplingPreviewBuffers(preview);
    expect(buffers).not.toContain(plan.buffer);
    expect(new Set(buffers).size).toBe(buffers.length);
  });

  it('stays bounded however large the plan: lines, points and heat cells are capped', () => {
    const n = 1500;
    const m = 1000;
    const plan = new Float64Array(n * m).fill(1 / (n * m));
    const preview = couplingPreviewOf(coupling(n, m, 2, plan));
    expect(preview.lines.mass.length).toBeLessThanOrEqual(MAX_PLAN_LINES);
    expect(preview.lines.mass.length).toBeGreaterThan(MAX_PLAN_LINES / 2);
    expect(preview.heat.values.length).toBeLessThanOrEqual(256 * 256);
    expect(preview.support).toBe(n * m);
    const bytes = couplingPreviewBuffers(preview).reduce(
      (sum, buffer) => sum + buffer.byteLength,
      0,
    );
    expect(bytes).toBeLessThan(plan.byteLength / 10);
  });

  it('draws 1-D points on two levels and sends image pairs for image-shaped points', () => {
    const plan = randomPlan(4, 5, 4);
    const line = couplingPreviewOf(coupling(4, 5, 1, plan));
    expect(Array.from(line.source.filter((_, k) => k % 2 === 1))).toEqual([0, 0, 0, 0]);
    expect(Array.from(line.target.filter((_, k) => k % 2 === 1))).toEqual([1, 1, 1, 1, 1]);
    expect(line.lines.segments[3]).toBe(1);

    const images = couplingPreviewOf(coupling(4, 5, 16, plan, [1, 4, 4]));
    const top = sortedEntries(plan, 5, 8);
    expect(images.pairImages?.source.count).toBe(8);
    expect(images.pairImages?.source.shape).toEqual([1, 4, 4]);
    const source = coupling(4, 5, 16, plan).source;
    expect(Array.from(images.pairImages!.source.values.subarray(16, 32))).toEqual(
      Array.from(source.subarray(16 * top[1]!.i, 16 * top[1]!.i + 16), Math.fround),
    );
  });

  it('spreads the points it sends through a cloud larger than the cap', () => {
    const points = Float64Array.from({ length: 20 }, (_, k) => k);
    expect(Array.from(planePoints(points, 10, 2, 0, 4))).toEqual([0, 1, 4, 5, 10, 11, 14, 15]);
  });

  it('sends the dual potentials of the points it sends, in the same order', () => {
    const plan = new Float64Array(10 * 6).fill(1 / 60);
    const f = Float64Array.from({ length: 10 }, (_, i) => 10 + i);
    const g = Float64Array.from({ length: 6 }, (_, j) => -j);
    const preview = couplingPreviewOf({ ...coupling(10, 6, 2, plan), f, g }, { points: 4 });
    // Points 0, 2, 5, 7 of the sources (planePoints' rows) and 0, 1, 3, 4 of the targets.
    expect(Array.from(preview.potentials!.f)).toEqual([10, 12, 15, 17]);
    expect(Array.from(preview.potentials!.g)).toEqual([-0, -1, -3, -4]);
    expect(couplingPreviewOf(coupling(10, 6, 2, plan)).potentials).toBeUndefined();
    expect(couplingPreviewBuffers(preview)).toContain(preview.potentials!.f.buffer);
  });
});

describe('a Schrödinger bridge’s frames', () => {
  beforeEach(() => {
    useRunStore.setState({ trajectories: {}, nodes: {}, runCount: 0, phase: 'idle' });
  });

  it('say they are a bridge’s, and the run store keeps the kind on the trajectory', () => {
    const frame = {
      step: 0,
      t: 0,
      sigmaTilde: 1,
      alpha: 1,
      x: new Float32Array(8),
      x0hat: new Float32Array(8),
    };
    const event: FramePointsEvent = framePointsEvent(
      'bridge',
      frame,
      { dim: 2, shape: [2] },
      'bridge',
    );
    expect(event.kind).toBe('bridge');
    expect(framePointsEvent('solver', frame, { dim: 2, shape: [2] }).kind).toBeUndefined();
    runStore.begin();
    runStore.apply(event, { ...event, step: 1, t: 0.5, sigmaTilde: 0.5 });
    const record = useRunStore.getState().trajectories['bridge']!;
    expect(record.kind).toBe('bridge');
    expect(record.frames.map((entry) => entry.t)).toEqual([0, 0.5]);
    expect('kind' in record.frames[0]!).toBe(false);
  });
});

describe('a coupling’s picture sent ahead of the run’s result', () => {
  it('reaches the run store at once, marked with the run it came from', () => {
    useRunStore.setState({ nodePreviews: {}, previewRuns: {}, runCount: 0, phase: 'idle' });
    runStore.begin();
    runStore.begin();
    const preview = couplingPreviewOf(coupling(3, 4, 2, randomPlan(3, 4, 6)));
    runStore.apply({ type: 'node-preview', nodeId: 'ot', preview });
    expect(useRunStore.getState().nodePreviews['ot']).toBe(preview);
    expect(useRunStore.getState().previewRuns['ot']).toBe(2);
    // The result, which no longer carries it, keeps it.
    runStore.finish(
      { ok: true, cancelled: false, ms: 1, nodes: { ot: { status: 'done', ms: 1, nfe: 0 } } },
      {},
    );
    expect(useRunStore.getState().nodePreviews['ot']).toBe(preview);
  });
});

describe('an entropic plan from the engine', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reaches the preview with its heaviest pairs and its values', async () => {
    const document: GraphDocument = {
      format: 'principia.graph',
      version: 1,
      nodes: [
        {
          id: 'source',
          type: 'toy-data-2d',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { shape: 'two_moons', count: 60, seed: 0 },
        },
        {
          id: 'target',
          type: 'toy-data-2d',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { shape: 'eight_gaussians', count: 50, seed: 1 },
        },
        {
          id: 'ot',
          type: 'entropic-ot',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { epsilon: 0.05 },
        },
      ],
      edges: [
        { from: { node: 'source', port: 'dataset' }, to: { node: 'ot', port: 'source' } },
        { from: { node: 'target', port: 'dataset' }, to: { node: 'ot', port: 'target' } },
      ],
    } as unknown as GraphDocument;
    const executor = new Executor({ files: nodeFileHost(process.cwd()) });
    const summary = await executor.run(compileGraph(document, catalogue));
    expect(summary.ok).toBe(true);
    const value = executor.output('ot', 'plan') as Coupling;
    const preview = await nodePreviewOf([{ type: 'coupling', value }]);
    expect(preview?.kind).toBe('coupling');
    if (preview?.kind !== 'coupling') return;
    expect([preview.n, preview.m]).toEqual([60, 50]);
    expect(preview.lines.mass.length).toBe(Math.min(MAX_PLAN_LINES, preview.support));
    expect(preview.shownMass).toBeCloseTo(1, 6);
    const heaviest = sortedEntries(value.plan, 50, 1)[0]!;
    expect([preview.lines.rows[0], preview.lines.cols[0]]).toEqual([heaviest.i, heaviest.j]);
    expect(preview.values['entropy']).toBe(value.values['entropy']);
    expect(preview.epsilon).toBe(0.05);
    executor.dispose();
  });
});
