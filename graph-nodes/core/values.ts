// The value types that travel along wires. The UI colours ports by these ids.
//
// Coordinates: every point cloud that a solver produces or consumes lives in the scaled form
// x̃ = x/α (k-diffusion's), paired with the scaled noise level σ̃ = σ/α. Oracle denoisers only
// need (x̃, σ̃); a learned model converts to its own (x, t) through its schedule.
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { PointShape } from './shapes';

export const VALUE_TYPES = [
  'samples',
  'dataset',
  'schedule',
  'timesteps',
  'denoiser',
  'classifier',
  'flowmap',
  'trajectory',
  'metrics',
  'coupling',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Something that owns GPU/WASM memory and must be released by whoever owns it. */
export interface Disposable {
  dispose(): void;
}

/**
 * A cloud of n points, each of shape `shape` (core/shapes.ts), held flat as [n, d] with
 * d = size(shape) in row-major order. Owned by the executor's cache once a node returns it.
 */
export interface Samples extends Disposable {
  readonly points: Tensor2D;
  /** The per-point shape S: [2], [784], [1, 28, 28], …; its size is points.shape[1]. */
  readonly shape: PointShape;
  /** Optional integer class label per point. */
  readonly labels?: Int32Array;
  /**
   * Set on outputs that hold one number per point (a log-density): those numbers in float64,
   * which `.npy` writes as an [n] array; `points` holds them rounded to float32 as [n, 1].
   */
  readonly perPoint?: Float64Array;
}

/** A named data set: the same shape as samples, used as the target distribution. */
export interface Dataset extends Samples {
  readonly name: string;
}

/**
 * A noise schedule x_t = α(t) x₀ + σ(t) ε, with t from tMin (data side) to tMax (noise side).
 * Pure numbers; no tensors.
 */
export interface Schedule {
  readonly name: string;
  readonly tMin: number;
  readonly tMax: number;
  alpha(t: number): number;
  sigma(t: number): number;
  alphaDot(t: number): number;
  sigmaDot(t: number): number;
  /** Half log-SNR λ(t) = log(α/σ). */
  lambda(t: number): number;
  /** Inverse of λ. */
  tOfLambda(lambda: number): number;
  /** σ̃(t) = σ/α = e^{-λ}. */
  sigmaTilde(t: number): number;
  /** Inverse of σ̃. */
  tOfSigmaTilde(sigmaTilde: number): number;
  /** EDM's σ_data, for the preconditioning of learned models (set by schedules that define it). */
  readonly sigmaData?: number;
  /**
   * Discrete (table) schedules only: the ascending table σ̃_0 < … < σ̃_{T−1}, where σ̃_i is σ̃ at
   * t = i. ComfyUI-style timesteps (simple, ddim_uniform, beta) pick entries from it.
   */
  readonly discreteSigmas?: Float64Array;
}

/** A descending list of noise levels ending at σ̃ = 0, with the schedule it belongs to. */
export interface Timesteps {
  readonly schedule: Schedule;
  /** Scaled noise levels σ̃_0 > σ̃_1 > … > σ̃_N = 0 (length N + 1). */
  readonly sigmaTilde: Float64Array;
  /** Schedule times for each σ̃ (t_N is the schedule's t at σ̃ = 0, normally 0). */
  readonly t: Float64Array;
}

/**
 * D(x̃; σ̃) ≈ E[x₀ | x_t], in scaled coordinates. Returns a new tensor that the caller owns;
 * the input is not disposed. σ̃ > 0 always (the step onto σ̃ = 0 returns D at the previous level).
 */
export interface Denoiser extends Disposable {
  readonly dim: number;
  /**
   * The layout its points must have when it has one (an image model's [1, 28, 28], an empirical
   * denoiser’s data shape); absent means flat vectors of `dim` values (modelShape).
   */
  readonly shape?: PointShape;
  denoise(xTilde: Tensor2D, sigmaTilde: number): Tensor2D;
  /**
   * Set by guidance nodes (cfg, cfg-pp, classifier-guidance): the unconditional denoiser D_u the
   * guided one is built on, which CFG++ solvers step with. Owned by its own node; never dispose it
   * through this field.
   */
  readonly unconditional?: Denoiser;
  /**
   * Set by the exact oracles (Gaussian mixture, empirical data): the same D in float64 with its
   * Jacobian and the density it is the posterior mean of, which likelihoods need (reference §10).
   * Absent for learned models and for anything built on a denoiser (guidance).
   */
  readonly closedForm?: ClosedFormDenoiser;
}

/**
 * A denoiser known in closed form, on row-major float64 points x̃ [n, dim] at a level σ̃ > 0.
 * J = ∂D/∂x̃ is the Jacobian of the denoiser at each point.
 */
export interface ClosedFormDenoiser {
  /**
   * D(x̃; σ̃) [n, dim] and, per point, tr J ([n]); or, given probes z ([n, count, dim]: `count`
   * vectors per point), zᵀ J z for each ([n, count]).
   */
  denoiseWithJacobian(
    xTilde: Float64Array,
    sigmaTilde: number,
    probes?: { readonly vectors: Float64Array; readonly count: number },
  ): { readonly denoised: Float64Array; readonly jacobian: Float64Array };
  /** log p(x̃; σ̃) per point [n]: the data's density convolved with N(0, σ̃² I). */
  logDensity(xTilde: Float64Array, sigmaTilde: number): Float64Array;
}

/**
 * log p(c | x̃) of the noised data at level σ̃, for integer class labels c. Differentiable in x̃
 * (tf.grad), which is how classifier guidance uses it.
 */
export interface Classifier extends Disposable {
  readonly dim: number;
  /** As Denoiser.shape. */
  readonly shape?: PointShape;
  /** The labels it knows, ascending. */
  readonly classes: readonly number[];
  /** One log-probability per row of x̃ [n, dim]; a new tensor that the caller owns. */
  logProbability(xTilde: Tensor2D, sigmaTilde: number, label: number): Tensor1D;
}

/**
 * Ψ_{s→t}(x̃): carries points from noise level s to a lower level t ≥ 0 along the PF-ODE (scaled
 * coordinates). Asynchronous, since an exact teacher integrates an ODE to answer. Returns a new
 * tensor the caller owns; `countNfe` hears of every network or denoiser evaluation spent.
 */
export interface FlowMap extends Disposable {
  readonly dim: number;
  /** As Denoiser.shape. */
  readonly shape?: PointShape;
  map(
    xTilde: Tensor2D,
    sigmaFrom: number,
    sigmaTo: number,
    countNfe?: (evaluations: number) => void,
  ): Promise<Tensor2D>;
}

/** One recorded solver state. Arrays are row-major [n, d] (d = size of the trajectory's shape). */
export interface TrajectoryFrame {
  /** 0 for the initial state, k after the k-th step. */
  readonly step: number;
  readonly t: number;
  readonly sigmaTilde: number;
  readonly alpha: number;
  /** x̃ at this step. */
  readonly x: Float32Array;
  /** The denoiser's x̂₀ prediction made during the step that led here (absent at step 0). */
  readonly x0hat?: Float32Array;
}

export interface Trajectory {
  readonly n: number;
  readonly dim: number;
  /** The per-point shape of every frame's points (size dim). */
  readonly shape: PointShape;
  readonly frames: readonly TrajectoryFrame[];
  /** Denoiser evaluations spent producing it. */
  readonly nfe: number;
  /**
   * 'bridge': a Schrödinger bridge's paths, t running from 0 (source) to 1 (target), with
   * σ̃ = 1 − t (the time left) and x̂₀ the predicted endpoint E[X_1 | X_t]. Absent: a solver's,
   * from noise to data.
   */
  readonly kind?: 'bridge';
}

export interface Metrics {
  readonly values: Readonly<Record<string, number>>;
  /** A table, one row per compared branch (the Compare node), in input order. */
  readonly rows?: readonly MetricsRow[];
}

export interface MetricsRow {
  /** The input port the branch came in on. */
  readonly branch: string;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * The reference process a Schrödinger bridge is taken relative to (reference §9): Brownian motion
 * dX = √ε dW, or a variance-preserving Ornstein–Uhlenbeck process dX = −½β(t) X dt + √β(t) dW with
 * β linear from betaMin to betaMax over t ∈ [0, 1] (a diffusion model's forward process).
 */
export type BridgeReference =
  | { readonly kind: 'brownian' }
  | { readonly kind: 'vp'; readonly betaMin: number; readonly betaMax: number };

/**
 * A coupling π of two point clouds (an optimal-transport plan): π_ij on source point i and target
 * point j, Σ π = 1, with what produced it. Plain numbers; no tensors.
 */
export interface Coupling {
  /** Source points [n, d] and target points [m, d], row-major float64. */
  readonly source: Float64Array;
  readonly target: Float64Array;
  readonly n: number;
  readonly m: number;
  readonly dim: number;
  /** Per-point shape of both clouds (size dim). */
  readonly shape: PointShape;
  /** π, [n, m] row-major. */
  readonly plan: Float64Array;
  /** Entropic regularisation ε (0 for an exact, unregularised plan). */
  readonly epsilon: number;
  readonly reference: BridgeReference;
  /** Dual potentials f [n] and g [m] where the solver has them. */
  readonly f?: Float64Array;
  readonly g?: Float64Array;
  /** ⟨π, c⟩, and for entropic plans ⟨π, c⟩ + ε KL(π ‖ μ⊗ν), π's entropy and Sinkhorn's work. */
  readonly values: Readonly<Record<string, number>>;
}

/** The TypeScript shape carried by each value type. */
export interface ValueOf {
  samples: Samples;
  dataset: Dataset;
  schedule: Schedule;
  timesteps: Timesteps;
  denoiser: Denoiser;
  classifier: Classifier;
  flowmap: FlowMap;
  trajectory: Trajectory;
  metrics: Metrics;
  coupling: Coupling;
}

export function isDisposable(value: unknown): value is Disposable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { dispose?: unknown }).dispose === 'function'
  );
}

/** The per-point shape a model works on: its own layout, else flat vectors of its dimension. */
export function modelShape(model: Denoiser | Classifier | FlowMap): PointShape {
  return model.shape ?? [model.dim];
}

/**
 * The same model, declared to take points of `shape` (an empirical denoiser over images takes
 * images). Models are plain objects, so the copy shares their functions and what they own.
 */
export function withShape<M extends Denoiser | Classifier | FlowMap>(
  model: M,
  shape: PointShape,
): M {
  return shape.length > 1 ? { ...model, shape } : model;
}
