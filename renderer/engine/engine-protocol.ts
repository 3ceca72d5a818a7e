// What crosses the boundary between the UI thread and the engine worker: plain, cloneable data
// only (typed arrays, numbers, strings), never tensors.
import type {
  EngineEvent,
  Metrics,
  RunSummary,
  SweepAxis,
  SweepPoint,
  SweepResult,
} from '../../graph-nodes';
import type { PointShape } from '../../graph-nodes/core/shapes';
import type { TrainingProgress } from '../../graph-nodes/neural/train';

export type { TrainingProgress };

/** A training progress report; at preview steps, with samples of the model as it stood then. */
export interface TrainingUpdate extends TrainingProgress {
  readonly samples?: PointCloud;
}

export const BACKEND_PREFERENCE = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

/** Where the exact denoisers compute: 'auto' decides by the backend's device. */
export type ExactDenoiserPlacement = 'auto' | 'device' | 'cpu';
export const EXACT_DENOISER_PLACEMENTS: readonly ExactDenoiserPlacement[] = [
  'auto',
  'device',
  'cpu',
];

export interface ExactDenoiserReport {
  /** As tfjs kernels on the backend's device, or in float64 on the worker's CPU. */
  readonly on: 'device' | 'cpu';
  /** Why, naming the device where one was identified. */
  readonly why: string;
}

export interface BackendReport {
  /** The backend tfjs now runs on. */
  readonly active: BackendName;
  /** Why each backend tried before it was passed over. */
  readonly skipped: readonly { name: BackendName; reason: string }[];
  /** The execution provider ONNX denoisers try first. */
  readonly onnx: 'webgpu' | 'wasm';
  readonly exactDenoisers: ExactDenoiserReport;
}

/** A point cloud copied out of a tensor: row-major [count, dim], each point of shape `shape`. */
export interface PointCloud {
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  /**
   * The per-point shape S (size dim) the engine gave the values: [2] for the plane, [1, 28, 28]
   * for gray images, [3, 32, 32] for RGB ones. Views draw images from it (core/shapes imageLayout).
   */
  readonly shape: PointShape;
}

export interface RunResult {
  readonly summary: RunSummary;
  /** Final samples of each solver that ran, by node id. */
  readonly samples: Readonly<Record<string, PointCloud>>;
  /** What each output port carried, in words (e.g. "samples [2000, 2]"), by node id and port. */
  readonly portFacts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Small plottable summaries of what nodes produced (curves, σ̃ lists, thumbnails), by node id. */
  readonly nodePreviews: Readonly<Record<string, NodePreview>>;
  /** What each Metrics or Compare node measured, by node id. */
  readonly metrics: Readonly<Record<string, Metrics>>;
}

/**
 * What a node card can draw of its output: a schedule's α(t), σ(t) and log-SNR on a grid of t; a
 * timesteps list; a few samples; a data set (also the preview's backdrop); a coupling (also what
 * the dock draws of it).
 */
export type NodePreview =
  | {
      readonly kind: 'schedule';
      readonly t: Float64Array;
      readonly alpha: Float64Array;
      readonly sigma: Float64Array;
      readonly logSnr: Float64Array;
    }
  | { readonly kind: 'timesteps'; readonly sigmaTilde: Float64Array }
  | { readonly kind: 'samples' | 'dataset'; readonly points: PointCloud }
  | CouplingPreview;

/**
 * A coupling π as the UI draws it (coupling-preview.ts makes it): the points, π's heaviest entries
 * as segments between them, a block-mean heat map, and the coupling's values — bounded in size
 * whatever n × m is. Points are drawn by their first two coordinates (a 1-D source at y = 0, its
 * target at y = 1).
 */
export interface CouplingPreview {
  readonly kind: 'coupling';
  readonly n: number;
  readonly m: number;
  readonly dim: number;
  readonly shape: PointShape;
  readonly epsilon: number;
  readonly reference: 'brownian' | 'vp';
  /** Plane positions [rows, 2] of up to MAX_PLAN_POINTS source and target points. */
  readonly source: Float32Array;
  readonly target: Float32Array;
  /**
   * The entries drawn as lines, heaviest first: segments [k, 4] (x₀, y₀, x₁, y₁ in the plane),
   * their mass π_ij, and their indices i (source) and j (target). They are the heaviest overall
   * and, where the plan has more entries than lines, each source point's `perSource` heaviest and
   * each target point's `perTarget` heaviest (coupling-preview.ts planLines).
   */
  readonly lines: {
    readonly segments: Float32Array;
    readonly mass: Float64Array;
    readonly rows: Int32Array;
    readonly cols: Int32Array;
    readonly perSource: number;
    readonly perTarget: number;
  };
  /** The largest π_ij (lines' opacity is π_ij / maxMass). */
  readonly maxMass: number;
  /** Σ of the lines' mass: how much of π they show (1 = all of it). */
  readonly shownMass: number;
  /** Entries of π that are > 0. */
  readonly support: number;
  /** [rows, cols] block means of π, rows = source blocks, columns = target blocks, input order. */
  readonly heat: {
    readonly rows: number;
    readonly cols: number;
    readonly rowBlock: number;
    readonly colBlock: number;
    readonly values: Float32Array;
  };
  /**
   * The dual potentials f_i and g_j of the points in `source` and `target` (the same points, in
   * the same order), where the solver has them: π_ij = a_i b_j e^{(f_i + g_j − c_ij)/ε}.
   */
  readonly potentials?: { readonly f: Float32Array; readonly g: Float32Array };
  /** For image-shaped points: the heaviest pairs' source and target images, pair by pair. */
  readonly pairImages?: { readonly source: PointCloud; readonly target: PointCloud };
  /** transport_cost, entropic_objective, entropy, duality_gap, iterations, … as the node gave them. */
  readonly values: Readonly<Record<string, number>>;
}

/** The main thread answers the worker's file reads (the desktop bridge lives on this side). */
export type ReadFile = (path: string) => Promise<Uint8Array>;
export type WriteFile = (path: string, bytes: Uint8Array) => Promise<void>;

export interface TrainingReport {
  readonly nodeId: string;
  /** The weights manifest as the node's param names it. */
  readonly weights: string;
  readonly history: readonly TrainingProgress[];
  readonly ms: number;
}

/**
 * A solver's state at one step, for the trajectory preview: x̃ and the x̂₀ that led to it, both
 * with the trajectory's per-point shape. Large runs send a subset (all of a 2-D cloud up to a cap;
 * the first few images), so the preview never holds more than it can draw.
 */
export interface FramePointsEvent {
  readonly type: 'node-frame-points';
  readonly nodeId: string;
  readonly step: number;
  readonly t: number;
  readonly sigmaTilde: number;
  readonly points: PointCloud;
  /** Absent at step 0, which no denoiser call led to. */
  readonly x0hat?: PointCloud;
  /** How many points the solver carries (points.count may be fewer). */
  readonly totalCount: number;
  /**
   * 'bridge': a Schrödinger bridge's frame (a transport node's), t from 0 (source) to 1 (target),
   * σ̃ = 1 − t and x̂₀ the predicted endpoint E[X₁ | X_t]. Absent: a solver's.
   */
  readonly kind?: 'bridge';
}

/**
 * A node's picture sent as soon as the node is done, ahead of the run's result: a coupling's
 * lines reach the dock while the nodes after it (a Schrödinger bridge) still run.
 */
export interface NodePreviewEvent {
  readonly type: 'node-preview';
  readonly nodeId: string;
  readonly preview: NodePreview;
}

/** The engine's events as the UI receives them: frames arrive as FramePointsEvent. */
export type UiEngineEvent =
  Exclude<EngineEvent, { type: 'node-frame' }> | FramePointsEvent | NodePreviewEvent;

/**
 * D(x̃; σ̃) of a denoiser the last run made, at points of the plane: the dock's score view. The
 * node's cached output is evaluated as it is (nothing runs); `points` is flat [n, 2].
 */
export interface DenoiseAtRequest {
  readonly node: string;
  /** The node's output port that carries the denoiser. */
  readonly port: string;
  readonly sigmaTilde: number;
  readonly points: Float32Array;
}

export interface EngineWorkerApi {
  /** Picks a backend: `preferred` alone if given, else the first of BACKEND_PREFERENCE that works. */
  selectBackend(
    preferred?: BackendName,
    exactDenoisers?: ExactDenoiserPlacement,
  ): Promise<BackendReport>;
  /** Runs the graph; with `targets`, only those nodes and what they need. */
  run(
    graphText: string,
    onEvent: (event: UiEngineEvent) => void,
    readFile: ReadFile,
    targets?: readonly string[],
  ): Promise<RunResult>;
  cancel(): void;
  /**
   * Forgets every cached output (another document was opened: nothing of the last one is reused,
   * and its next run streams every frame afresh); cancels a job in flight first.
   */
  forget(): void;
  /**
   * D at `request.points` [n, 2] from the denoiser the last run left cached, as [n, 2]. Refused
   * while a job runs (the job may be replacing that denoiser), for a node the last run did not
   * make, and for a denoiser of points other than 2-D.
   */
  denoiseAt(request: DenoiseAtRequest): Promise<Float32Array>;
  /** The full trajectory of a solver from the last run as a .npy file, [frames, n, dim] float32. */
  trajectoryNpy(nodeId: string): Promise<Uint8Array>;
  /**
   * Trains a learned node (MLP denoiser, flow map) from what its training inputs compute, writes
   * its weights through `writeFile` where its weights param says, and forgets its cached output
   * (and everything downstream) so the next run uses them. `cancel` stops it; nothing is written.
   */
  train(
    graphText: string,
    nodeId: string,
    onProgress: (update: TrainingUpdate) => void,
    readFile: ReadFile,
    writeFile: WriteFile,
  ): Promise<TrainingReport>;
  /** Runs the graph over a grid (`cancel` stops it), reporting each grid point as it lands. */
  sweep(
    graphText: string,
    axes: readonly SweepAxis[],
    onPoint: (point: SweepPoint, index: number, total: number) => void,
    readFile: ReadFile,
  ): Promise<SweepResult>;
}
