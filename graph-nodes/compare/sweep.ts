// A sweep runs one graph over a grid of param values (e.g. solvers × step counts) and reads each
// grid point's numbers off one Metrics node: the error against the exact solution, distances to
// the data, NFE and the solver's wall time. One Executor serves the whole grid, so whatever a grid
// point does not change (the prior, the rk45 reference, the data) runs once.
import type { Catalogue } from '../core/catalogue';
import { compileGraph, type CompileOptions, type Plan } from '../core/compile';
import type { GraphDocument, SweepAxis } from '../core/document';
import { GraphError } from '../core/errors';
import type { Executor } from '../core/execute';
import { applyParamOverride } from '../core/overrides';
import type { Metrics } from '../core/values';
import { observedOrder } from '../metrics/observed-order';
import { TrainingCancelledError } from '../neural/train';
import { trainNode } from '../neural/train-node';
import {
  scratchWeightsPath,
  sweepTrainedNodes,
  WEIGHTS_PARAM,
  type SweepTrainedNode,
} from './sweep-training';

export interface SweepPoint {
  /** The value of each axis at this point, by target ("solver.algorithm"). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly ok: boolean;
  readonly error?: string;
  readonly nfe?: number;
  /** Wall time of the measured solver (the node feeding the Metrics node's samples). */
  readonly ms?: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** The trainings this point ran first; absent when it reused weights an earlier point made. */
  readonly training?: readonly PointTraining[];
}

/** One training a sweep ran at a grid point, into memory (sweep-training.ts). */
export interface PointTraining {
  readonly node: string;
  readonly steps: number;
  readonly finalLoss: number;
  readonly ms: number;
}

/** One line of the error-vs-NFE chart: the points that differ only in the step axis. */
export interface SweepSeries {
  readonly label: string;
  /**
   * What the chart's x axis is: "nfe", or the target of the swept axis ("trained.train_steps")
   * when the grid does not change the NFE (a sweep over how a denoiser is trained, say).
   */
  readonly xAxis: string;
  /** `x` is the NFE, or the swept axis's value (xAxis). */
  readonly points: readonly { readonly x: number; readonly nfe: number; readonly error: number }[];
  /**
   * The negated log–log slope of error against NFE; absent with fewer than two NFE, off NFE, or
   * for a metric read on a linear axis.
   */
  readonly order?: number;
}

export interface SweepResult {
  readonly axes: readonly SweepAxis[];
  readonly measureNode: string;
  readonly solverNode: string;
  /** "mean_l2" when the Metrics node has a reference, else "swd" ("nll" when only that is measured). */
  readonly errorMetric: string;
  readonly points: readonly SweepPoint[];
  readonly series: readonly SweepSeries[];
  readonly cancelled: boolean;
}

export interface SweepOptions {
  readonly catalogue: Catalogue;
  readonly executor: Executor;
  /** Defaults to the document's own sweep. */
  readonly axes?: readonly SweepAxis[];
  readonly measure?: string;
  readonly signal?: AbortSignal;
  readonly onPoint?: (point: SweepPoint, index: number, total: number) => void;
  /** The graph file, for messages. */
  readonly file?: string;
  /** Paths the user chose, which may lie outside the graph's folder (compileGraph). */
  readonly trustedPath?: CompileOptions['trustedPath'];
  /**
   * Nodes to train at every point even when no axis changes how they train (e.g. an axis on the
   * data set's count); nodes an axis trains differently are trained anyway (sweep-training.ts).
   */
  readonly train?: readonly string[];
}

/** Every combination of the axes' values; the first axis varies slowest. */
export function sweepGrid(axes: readonly SweepAxis[]): Record<string, unknown>[] {
  let grid: Record<string, unknown>[] = [{}];
  for (const axis of axes) {
    grid = grid.flatMap((settings) =>
      axis.values.map((value) => ({ ...settings, [axis.target]: value })),
    );
  }
  return grid;
}

export async function runSweep(graph: GraphDocument, options: SweepOptions): Promise<SweepResult> {
  const runner = new SweepRunner(graph, options);
  const total = runner.grid.length;
  const points: SweepPoint[] = [];
  let cancelled = false;
  for (let index = 0; index < total; index++) {
    const point = await runner.run(index, options.executor, options.signal);
    if (!point) {
      cancelled = true;
      break;
    }
    points.push(point);
    options.onPoint?.(point, index, total);
  }
  return sweepResultOf(runner, points, cancelled);
}

/** What a sweep is, before anything runs: its axes, the nodes it reads, and its grid. */
export interface SweepSetup {
  readonly axes: readonly SweepAxis[];
  readonly measureNode: string;
  readonly solverNode: string;
  /** Every grid point's settings, in grid order (sweepGrid). */
  readonly grid: readonly Readonly<Record<string, unknown>>[];
  /** The learned nodes each point trains before it runs, and why. */
  readonly trained: readonly SweepTrainedNode[];
}

export type SweepRunnerOptions = Pick<
  SweepOptions,
  'catalogue' | 'axes' | 'measure' | 'file' | 'trustedPath' | 'train'
>;

/**
 * Runs grid points one at a time, by index, on an executor the caller keeps: `runSweep` runs them
 * all in order; the CLI's worker processes and shards run the indices they are given. The points
 * named by `indices` (default: all) are compiled up front, so a typo fails before anything runs.
 */
export class SweepRunner implements SweepSetup {
  readonly axes: readonly SweepAxis[];
  readonly measureNode: string;
  readonly solverNode: string;
  readonly grid: readonly Readonly<Record<string, unknown>>[];
  /** The learned nodes each point trains before it runs, and why. */
  readonly trained: readonly SweepTrainedNode[];
  private readonly plans = new Map<number, Plan>();

  constructor(
    private readonly graph: GraphDocument,
    private readonly options: SweepRunnerOptions,
    indices?: readonly number[],
  ) {
    const axes = options.axes ?? graph.sweep?.axes ?? [];
    if (axes.length === 0) {
      throw sweepError('this graph has no sweep: give axes such as solver.algorithm=euler,heun');
    }
    this.axes = axes;
    this.measureNode = findMeasureNode(graph, options.measure ?? graph.sweep?.measure);
    // The node whose time and NFE a point reports: what feeds the measured samples, else the
    // measured transport plan (a sweep over ε), else the model whose likelihood is measured.
    const feeding = (port: string) =>
      graph.edges.find((edge) => edge.to.node === this.measureNode && edge.to.port === port)?.from
        .node;
    const solverNode = feeding('samples') ?? feeding('coupling') ?? feeding('denoiser');
    if (!solverNode) {
      throw sweepError(
        `the Metrics node "${this.measureNode}" has nothing on its "samples", "coupling" or ` +
          '"denoiser" input',
      );
    }
    this.solverNode = solverNode;
    this.grid = sweepGrid(axes);
    this.trained = sweepTrainedNodes(graph, axes, options.train, options.file);
    for (const index of indices ?? this.grid.keys()) this.plan(index);
  }

  /** The point's plan, compiled on first use. */
  private plan(index: number): Plan {
    const cached = this.plans.get(index);
    if (cached) return cached;
    const settings = this.grid[index];
    if (settings === undefined) {
      throw new RangeError(`grid point ${index} is outside the grid of ${this.grid.length}`);
    }
    const plan = compileGraph(
      this.withScratchWeights(withSettings(this.graph, settings, this.options.file)),
      this.options.catalogue,
      {
        ...(this.options.file !== undefined ? { file: this.options.file } : {}),
        ...(this.options.trustedPath ? { trustedPath: this.options.trustedPath } : {}),
      },
    );
    this.plans.set(index, plan);
    return plan;
  }

  /** The point's graph with each trained node's weights moved to its scratch path. */
  private withScratchWeights(graph: GraphDocument): GraphDocument {
    const trained = new Set(this.trained.map((node) => node.nodeId));
    let current = graph;
    for (const nodeId of trained) {
      const path = scratchWeightsPath(graph, nodeId, trained);
      current = applyParamOverride(current, `${nodeId}.${WEIGHTS_PARAM}`, path, this.options.file);
    }
    return current;
  }

  /** Runs one grid point; undefined when the signal cancelled it. */
  async run(
    index: number,
    executor: Executor,
    signal?: AbortSignal,
  ): Promise<SweepPoint | undefined> {
    const compiled = this.plan(index);
    const settings = this.grid[index]!;
    const training = await this.train(compiled, executor, signal);
    if (training === 'cancelled') return undefined;
    if ('error' in training) return { settings, ok: false, error: training.error, metrics: {} };
    const trained = training.records.length ? { training: training.records } : {};
    // Probed here rather than up front: the executor then knows every output the last point
    // made, so only nodes whose params changed are probed (files are not read per point).
    const plan = await executor.probe(compiled, this.options.file);
    const summary = await executor.run(plan, signal ? { signal } : {});
    if (summary.cancelled) return undefined;
    const solver = summary.nodes[this.solverNode];
    const metrics = summary.ok
      ? (executor.output(this.measureNode, 'metrics') as Metrics).values
      : {};
    return {
      settings,
      ok: summary.ok,
      ...(summary.error ? { error: describeFailure(summary.error) } : {}),
      ...(summary.ok ? { nfe: metrics['nfe'] ?? solver?.nfe, ms: solver?.ms } : {}),
      metrics,
      ...trained,
    };
  }

  /**
   * Trains, in run order, each trained node whose weights this executor has not made yet (an
   * earlier point may have trained it the same way). A failed training fails the point only.
   */
  private async train(
    plan: Plan,
    executor: Executor,
    signal?: AbortSignal,
  ): Promise<{ records: PointTraining[] } | { error: string } | 'cancelled'> {
    const trained = new Set(this.trained.map((node) => node.nodeId));
    const records: PointTraining[] = [];
    for (const nodeId of plan.order) {
      const path = plan.nodes.get(nodeId)?.params[WEIGHTS_PARAM];
      if (!trained.has(nodeId) || typeof path !== 'string' || executor.files.has(path)) continue;
      const started = now();
      try {
        const { history } = await trainNode(plan, nodeId, {
          executor,
          files: executor.files,
          ...(signal ? { signal } : {}),
          ...(this.options.file !== undefined ? { file: this.options.file } : {}),
        });
        const last = history.at(-1);
        records.push({
          node: nodeId,
          steps: last?.step ?? 0,
          finalLoss: last?.loss ?? Number.NaN,
          ms: now() - started,
        });
      } catch (error) {
        if (error instanceof TrainingCancelledError || signal?.aborted) return 'cancelled';
        const reason = error instanceof Error ? error.message : String(error);
        return { error: `${nodeId}: training failed: ${reason}` };
      }
    }
    return { records };
  }
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

/** A sweep's result from its points (in grid order): the error metric and the fitted series. */
/**
 * The metric a sweep's chart and table lead with: "mean_l2" when the Metrics node has a reference,
 * "nll" for a likelihood-only sweep (a denoiser's NLL of held-out data, no samples), else "swd".
 */
export function sweepErrorMetric(points: readonly SweepPoint[]): string {
  const has = (name: string) => points.some((point) => point.metrics[name] !== undefined);
  return has('mean_l2') ? 'mean_l2' : !has('swd') && has('nll') ? 'nll' : 'swd';
}

/** Every metric the finished points measured, the error metric first, then by name. */
export function sweepMetricNames(points: readonly SweepPoint[]): string[] {
  const names = new Set(points.filter((point) => point.ok).flatMap((p) => Object.keys(p.metrics)));
  const lead = sweepErrorMetric(points);
  return [...names].sort((a, b) => Number(b === lead) - Number(a === lead) || a.localeCompare(b));
}

/**
 * How a metric's chart reads it: NLL (a log-likelihood, whose differences are what matter, and
 * which may be negative) and any metric with a value ≤ 0 on a linear axis; the errors and
 * distances, which shrink by orders of magnitude, on a log one.
 */
export function sweepMetricScale(metric: string, points: readonly SweepPoint[]): 'log' | 'linear' {
  if (metric === 'nll') return 'linear';
  const nonPositive = points.some((point) => {
    const value = point.metrics[metric];
    return point.ok && value !== undefined && !(value > 0);
  });
  return nonPositive ? 'linear' : 'log';
}

export function sweepResultOf(
  setup: Pick<SweepSetup, 'axes' | 'measureNode' | 'solverNode'>,
  points: readonly SweepPoint[],
  cancelled: boolean,
): SweepResult {
  const errorMetric = sweepErrorMetric(points);
  return {
    axes: setup.axes,
    measureNode: setup.measureNode,
    solverNode: setup.solverNode,
    errorMetric,
    points,
    series: fitSeries(setup.axes, points, errorMetric),
    cancelled,
  };
}

/**
 * Groups points into chart lines of `errorMetric`: one per combination of every axis but the step
 * count (the axis whose param is `steps`; the last axis when none is), each with its fitted order.
 * The lines run against NFE; a grid whose finished points all share one NFE and whose last axis is
 * numeric (a sweep over training steps) runs against that axis instead, and fits no order; so does
 * a metric read on a linear axis (sweepMetricScale), which keeps its values ≤ 0.
 */
export function fitSeries(
  axes: readonly SweepAxis[],
  points: readonly SweepPoint[],
  errorMetric: string,
): SweepSeries[] {
  // No axes yet (the app before a sweep's first point): one empty line.
  const stepAxis = axes.find((axis) => axis.target.endsWith('.steps')) ?? axes.at(-1);
  const seriesAxes = axes.filter((axis) => axis !== stepAxis);
  const xAxis = stepAxis ? chartAxis(axes, stepAxis, points) : 'nfe';
  const xOf = (point: SweepPoint) =>
    xAxis === 'nfe' ? point.nfe : (point.settings[xAxis] as number | undefined);
  const logScale = sweepMetricScale(errorMetric, points) === 'log';
  const lines = new Map<string, { x: number; nfe: number; error: number }[]>();
  for (const point of points) {
    const label =
      seriesAxes.map((axis) => formatValue(point.settings[axis.target])).join(' · ') || 'all';
    const line = lines.get(label) ?? [];
    lines.set(label, line);
    const error = point.metrics[errorMetric];
    const x = xOf(point);
    if (
      point.ok &&
      point.nfe !== undefined &&
      x !== undefined &&
      error !== undefined &&
      Number.isFinite(error) &&
      (error > 0 || !logScale)
    ) {
      line.push({ x, nfe: point.nfe, error });
    }
  }
  return [...lines].map(([label, line]) => {
    const sorted = [...line].sort((a, b) => a.x - b.x);
    const distinctNfe = new Set(sorted.map((point) => point.nfe)).size;
    return {
      label,
      xAxis,
      points: sorted,
      ...(xAxis === 'nfe' && logScale && distinctNfe >= 2
        ? {
            order: observedOrder(
              sorted.map((point) => point.nfe),
              sorted.map((point) => point.error),
            ),
          }
        : {}),
    };
  });
}

/** "nfe", or the step axis's target when the NFE never changes and its values are all positive. */
function chartAxis(
  axes: readonly SweepAxis[],
  stepAxis: SweepAxis,
  points: readonly SweepPoint[],
): string {
  if (axes.some((axis) => axis.target.endsWith('.steps'))) return 'nfe';
  const nfes = new Set(points.filter((point) => point.ok).map((point) => point.nfe));
  const numeric = stepAxis.values.every(
    (value) => typeof value === 'number' && Number.isFinite(value) && value > 0,
  );
  return nfes.size === 1 && numeric && stepAxis.values.length > 1 ? stepAxis.target : 'nfe';
}

/** The grid as CSV: one column per axis, then nfe, ms and every metric any point reported. */
export function sweepCsv(result: SweepResult): string {
  const metricNames = [...new Set(result.points.flatMap((point) => Object.keys(point.metrics)))]
    .filter((name) => name !== 'nfe')
    .sort();
  const header = [...result.axes.map((axis) => axis.target), 'nfe', 'ms', ...metricNames, 'error'];
  const rows = result.points.map((point) => [
    ...result.axes.map((axis) => formatValue(point.settings[axis.target])),
    point.nfe ?? '',
    point.ms === undefined ? '' : point.ms.toFixed(1),
    ...metricNames.map((name) => point.metrics[name] ?? ''),
    point.error ?? '',
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function csvField(value: unknown): string {
  const text = String(value);
  return /[",\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function withSettings(
  graph: GraphDocument,
  settings: Readonly<Record<string, unknown>>,
  file?: string,
): GraphDocument {
  let current = graph;
  for (const [target, value] of Object.entries(settings)) {
    current = applyParamOverride(current, target, value, file);
  }
  return current;
}

function findMeasureNode(graph: GraphDocument, requested: string | undefined): string {
  const candidates = graph.nodes.filter((node) => node.type === 'metrics');
  if (requested) {
    const node = graph.nodes.find((candidate) => candidate.id === requested);
    if (!node || node.type !== 'metrics') {
      throw sweepError(`the sweep measures "${requested}", which is not a Metrics node here`);
    }
    return requested;
  }
  if (candidates.length === 1) return candidates[0]!.id;
  throw sweepError(
    candidates.length === 0
      ? 'a sweep reads its numbers off a Metrics node, and this graph has none'
      : `this graph has ${candidates.length} Metrics nodes (${candidates.map((n) => `"${n.id}"`).join(', ')}); name the one to report with the sweep's "measure"`,
  );
}

function describeFailure(error: { nodeId?: string; message: string }): string {
  return error.nodeId ? `${error.nodeId}: ${error.message}` : error.message;
}

function sweepError(message: string): GraphError {
  return new GraphError([{ code: 'bad-sweep', message }]);
}
