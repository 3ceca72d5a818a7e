// Sweeps: the grid, the run (one Executor, cached work reused), the fitted orders, the CSV, the
// CLI, and the messages for a sweep that cannot run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  catalogue,
  Executor,
  GraphError,
  parseGraphText,
  runSweep,
  type GraphDocument,
  type RunSummary,
} from '../../graph-nodes';
import {
  fitSeries,
  sweepCsv,
  sweepGrid,
  sweepMetricNames,
  sweepMetricScale,
  type SweepPoint,
} from '../../graph-nodes/compare/sweep';
import { main } from '../../graph-nodes/cli/main';
import { splitValueList } from '../../graph-nodes/core/overrides';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const PRESETS = join(__dirname, '../../presets');
const PRESET_FILE = join(PRESETS, 'error-vs-nfe.graph.json');
const preset = parseGraphText(readFileSync(PRESET_FILE, 'utf8'), PRESET_FILE);
const AXES = [
  { target: 'solver.algorithm', values: ['euler', 'heun'] },
  { target: 'timesteps.steps', values: [5, 10, 20, 40] },
];

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

describe('sweepGrid', () => {
  it('is every combination, the first axis varying slowest', () => {
    expect(
      sweepGrid([
        { target: 'a.x', values: [1, 2] },
        { target: 'b.y', values: ['p', 'q', 'r'] },
      ]),
    ).toEqual([
      { 'a.x': 1, 'b.y': 'p' },
      { 'a.x': 1, 'b.y': 'q' },
      { 'a.x': 1, 'b.y': 'r' },
      { 'a.x': 2, 'b.y': 'p' },
      { 'a.x': 2, 'b.y': 'q' },
      { 'a.x': 2, 'b.y': 'r' },
    ]);
  });
});

describe('fitSeries', () => {
  it('groups by everything but the steps axis and fits error ∝ NFE^(−order)', () => {
    const point = (algorithm: string, steps: number, nfe: number, error: number): SweepPoint => ({
      settings: { 'solver.algorithm': algorithm, 'timesteps.steps': steps },
      ok: true,
      nfe,
      ms: 1,
      metrics: { mean_l2: error },
    });
    const points = [4, 8, 16].flatMap((steps) => [
      point('first', steps, steps, 3 / steps),
      point('second', steps, 2 * steps - 1, 5 / (2 * steps - 1) ** 2),
    ]);
    const series = fitSeries(AXES, points, 'mean_l2');
    expect(series.map((line) => line.label)).toEqual(['first', 'second']);
    expect(series[0]!.order).toBeCloseTo(1, 10);
    expect(series[1]!.order).toBeCloseTo(2, 10);
    expect(series[1]!.points.map((p) => p.nfe)).toEqual([7, 15, 31]);
  });
});

describe('fitSeries off NFE', () => {
  it('runs against a numeric axis when every point has the same NFE, and fits no order', () => {
    const point = (steps: number, nll: number): SweepPoint => ({
      settings: { 'trained.train_steps': steps },
      ok: true,
      nfe: 39,
      ms: 1,
      metrics: { nll },
    });
    const axes = [{ target: 'trained.train_steps', values: [400, 20] }];
    const [line, ...rest] = fitSeries(axes, [point(400, 2.6), point(20, 2.7)], 'nll');
    expect(rest).toEqual([]);
    expect(line!.xAxis).toBe('trained.train_steps');
    expect(line!.points.map((p) => [p.x, p.error])).toEqual([
      [20, 2.7],
      [400, 2.6],
    ]);
    expect(line!.order).toBeUndefined();
    // A steps axis, or an NFE that changes, keeps the chart on NFE.
    const byAlgorithm = [{ target: 'solver.algorithm', values: ['euler', 'heun'] }];
    const onNfe = fitSeries(
      byAlgorithm,
      [
        { ...point(0, 1), settings: { 'solver.algorithm': 'euler' }, nfe: 20 },
        { ...point(0, 0.5), settings: { 'solver.algorithm': 'heun' }, nfe: 39 },
      ],
      'nll',
    );
    expect(onNfe[0]!.xAxis).toBe('nfe');
    // Before a sweep has axes (the app's Sweep tab at rest): nothing to draw, nothing thrown.
    expect(fitSeries([], [], 'nll')).toEqual([]);
  });
});

describe('the metric a chart reads', () => {
  const point = (nfe: number, metrics: Record<string, number>, ok = true): SweepPoint => ({
    settings: { 'solver.algorithm': 'euler', 'timesteps.steps': nfe },
    ok,
    nfe,
    ms: 1,
    metrics,
  });

  it('lists every measured metric, the error metric first', () => {
    const points = [point(5, { swd: 0.3, nll: 1.2, mmd: 0.01 }), point(10, { swd: 0.2, nll: 1.1 })];
    expect(sweepMetricNames(points)).toEqual(['swd', 'mmd', 'nll']);
    expect(sweepMetricNames([point(5, { nll: 1 }), point(10, { oops: 2 }, false)])).toEqual([
      'nll',
    ]);
  });

  it('reads NLL and anything that reaches zero on a linear axis, the errors on a log one', () => {
    const points = [
      point(5, { swd: 0.3, nll: -0.4, mmd: 0 }),
      point(10, { swd: 0.2, nll: 1.1, mmd: 0.1 }),
    ];
    expect(sweepMetricScale('swd', points)).toBe('log');
    expect(sweepMetricScale('nll', points)).toBe('linear');
    expect(sweepMetricScale('mmd', points)).toBe('linear');
    // On a linear axis the lines keep their values ≤ 0 and fit no order.
    const axes = [
      { target: 'solver.algorithm', values: ['euler'] },
      { target: 'timesteps.steps', values: [5, 10] },
    ];
    const [nll] = fitSeries(axes, points, 'nll');
    expect(nll!.points.map((p) => p.error)).toEqual([-0.4, 1.1]);
    expect(nll!.order).toBeUndefined();
    const [swd] = fitSeries(axes, points, 'swd');
    expect(swd!.order).toBeCloseTo(Math.log2(1.5), 10);
  });
});

describe('runSweep on the "Error vs NFE" preset', () => {
  it("measures every grid point, reuses the reference, and finds the solvers' orders", async () => {
    const executor = new Executor({ files: nodeFileHost(PRESETS) });
    const runs = vi.spyOn(executor, 'run');
    const seen: number[] = [];
    try {
      const result = await runSweep(preset, {
        catalogue,
        executor,
        axes: AXES,
        onPoint: (_point, index, total) => seen.push(index / total),
      });
      expect(result.points).toHaveLength(8);
      expect(seen).toHaveLength(8);
      expect(result.measureNode).toBe('metrics');
      expect(result.solverNode).toBe('solver');
      expect(result.errorMetric).toBe('mean_l2');
      for (const point of result.points) {
        expect(point.ok).toBe(true);
        expect(point.ms).toBeGreaterThan(0);
        expect(point.metrics['swd']).toBeGreaterThan(0);
      }
      expect(result.points.map((point) => point.nfe)).toEqual([5, 10, 20, 40, 9, 19, 39, 79]);
      // Heun's second order beats Euler's first at the finest grid.
      const finest = (algorithm: string) =>
        result.points.find(
          (p) =>
            p.settings['solver.algorithm'] === algorithm && p.settings['timesteps.steps'] === 40,
        )!.metrics['mean_l2']!;
      expect(finest('heun')).toBeLessThan(finest('euler') / 3);
      const [euler, heun] = result.series;
      expect(euler!.order).toBeGreaterThan(0.7);
      expect(euler!.order).toBeLessThan(1.5);
      expect(heun!.order).toBeGreaterThan(1.5);

      // The reference (rk45) ran for the first grid point only.
      const summaries = await Promise.all(
        runs.mock.results.map((entry) => entry.value as Promise<RunSummary>),
      );
      const referenceStatus = summaries.map((summary) => summary.nodes['reference']!.status);
      expect(referenceStatus[0]).toBe('done');
      expect(referenceStatus.slice(1).every((status) => status === 'cached')).toBe(true);

      const csv = sweepCsv(result).trim().split('\n');
      expect(csv[0]).toBe(
        'solver.algorithm,timesteps.steps,nfe,ms,max_l2,mean_l2,mmd,mmd2,mmd_bandwidth,n,' +
          'nearest_data_l2,nearest_data_l2_max,reference_nfe,swd,error',
      );
      expect(csv).toHaveLength(9);
      expect(csv[1]!.startsWith('euler,5,5,')).toBe(true);
    } finally {
      executor.dispose();
    }
  });

  it('prints the same numbers from the CLI (--json and --csv)', async () => {
    const executor = new Executor({ files: nodeFileHost(PRESETS) });
    const axes = [
      { target: 'solver.algorithm', values: ['euler', 'dpmpp_2m'] },
      { target: 'timesteps.steps', values: [5, 10] },
    ];
    const direct = await runSweep(preset, { catalogue, executor, axes });
    executor.dispose();
    let stdout = '';
    const code = await main(
      [
        'sweep',
        PRESET_FILE,
        '--set',
        'solver.algorithm=euler,dpmpp_2m',
        '--set',
        'timesteps.steps=5,10',
        '--json',
      ],
      { stdout: (text) => void (stdout += text), stderr: () => {} },
    );
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { points: SweepPoint[]; series: { order: number }[] };
    expect(printed.points.map((p) => p.metrics)).toEqual(direct.points.map((p) => p.metrics));
    expect(printed.series.map((s) => s.order)).toEqual(direct.series.map((s) => s.order));
  });

  it("runs the graph's own grid without --set, and a command-line axis replaces it", async () => {
    const csvOf = async (args: string[]) => {
      let stdout = '';
      const code = await main(['sweep', PRESET_FILE, '--csv', ...args], {
        stdout: (text) => void (stdout += text),
        stderr: () => {},
      });
      expect(code).toBe(0);
      return stdout.trim().split('\n');
    };
    // 5 solvers × 4 step counts, plus the header.
    expect(await csvOf([])).toHaveLength(21);
    expect(await csvOf(['--set', 'timesteps.steps=4'])).toHaveLength(2);
  });
});

describe('a sweep that cannot run says why', () => {
  const run = (document: GraphDocument, axes = AXES) =>
    runSweep(document, {
      catalogue,
      executor: new Executor({ files: nodeFileHost(PRESETS) }),
      axes,
    });

  it('names a missing Metrics node', async () => {
    const document = { ...preset, nodes: preset.nodes.filter((n) => n.type !== 'metrics') };
    document.edges = preset.edges.filter((e) => e.to.node !== 'metrics');
    await expect(run(document)).rejects.toThrow(/Metrics node, and this graph has none/);
  });

  it('names an axis on a node the graph lacks, before anything runs', async () => {
    const error = await run(preset, [{ target: 'solvr.algorithm', values: ['euler'] }]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GraphError);
    expect((error as Error).message).toMatch(/no node "solvr"/);
  });

  it('names a bad value with its node and param', async () => {
    await expect(run(preset, [{ target: 'solver.algorithm', values: ['eulr'] }])).rejects.toThrow(
      /solver.*algorithm/s,
    );
  });
});

describe('splitValueList', () => {
  it('splits at commas outside brackets and quotes', () => {
    expect(splitValueList('euler, heun')).toEqual(['euler', 'heun']);
    expect(splitValueList('[1,2],[3,4]')).toEqual(['[1,2]', '[3,4]']);
    expect(splitValueList('"a,b",c')).toEqual(['"a,b"', 'c']);
  });
});
