// The loop every solver shares. An algorithm only says how to advance x̃ from σ̃_i to σ̃_{i+1};
// the loop owns iteration, cancellation, progress, NFE counting, trajectory capture, the
// non-finite check and tensor bookkeeping, so none of that is repeated per algorithm.
//
// Solvers work in k-diffusion's scaled form: x̃ = x/α, σ̃ = σ/α, and the PF-ODE reads
// dx̃/dσ̃ = (x̃ − D(x̃; σ̃))/σ̃.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { createRng } from '../math/rng';
import type { RunContext } from '../core/node-definition';
import { remember, settle } from '../core/pending';
import { formatShape, shapeSize, type PointShape } from '../core/shapes';
import type { Denoiser, Timesteps, Trajectory, TrajectoryFrame } from '../core/values';
import {
  resolveSettings,
  type SolverDefaults,
  type SolverParamName,
  type SolverSettings,
  type SolverSettingsInput,
} from './settings';

export type {
  ChurnSettings,
  SolverDefaults,
  SolverParamName,
  SolverSettings,
  SolverSettingsInput,
} from './settings';
export { NO_CHURN } from './settings';

/** Standard normal noise for stochastic steps, [n, dim]. */
export interface NoiseSource {
  /**
   * The noise of the step from σ̃_from to σ̃_to. A Brownian-tree source returns
   * (W(σ̃_to) − W(σ̃_from))/√|σ̃_to − σ̃_from| of one fixed path, so refining the step count keeps
   * the same path; ancestral and SDE samplers draw here.
   */
  sample(n: number, dim: number, sigmaFrom: number, sigmaTo: number): Tensor2D;
  /** Independent draws in call order (EDM churn, which k-diffusion draws with randn). */
  fresh(n: number, dim: number): Tensor2D;
}

/** Independent N(0, I) draws from the seeded generator, in call order, for both kinds. */
export function gaussianNoise(seed: number): NoiseSource {
  const rng = createRng(seed);
  const draw = (n: number, dim: number): Tensor2D =>
    tf.tensor2d(rng.fillNormal(new Float32Array(n * dim)), [n, dim]);
  return { sample: draw, fresh: draw };
}

/** The first denoiser output of a past step: D(x̃_j; σ̃_j) with x̃_j the state the step started from. */
export interface PastDenoised {
  readonly step: number;
  readonly sigma: number;
  readonly x: Tensor2D;
  readonly denoised: Tensor2D;
}

/** What an algorithm sees when it takes step i (from σ̃_i to σ̃_{i+1}). */
export interface StepState {
  /** Step index, 0 … steps − 1. */
  readonly i: number;
  readonly steps: number;
  /** σ̃_0 > … > σ̃_N (normally σ̃_N = 0). */
  readonly sigmas: Float64Array;
  /** α at each level, for samplers that re-noise with the true α (x = α x̃). */
  readonly alphas: Float64Array;
  readonly sigma: number;
  readonly sigmaNext: number;
  /** x̃ at σ̃_i. Read it, never dispose it. */
  readonly x: Tensor2D;
  /** D(x̃; σ̃) with σ̃ > 0; every call is counted as one NFE. */
  denoise(x: Tensor2D, sigma: number): Tensor2D;
  /**
   * The run's denoiser itself, for algorithms that read more than D (CFG++ steps with its
   * `unconditional` part). Calls through it are not counted; take D from `denoise`.
   */
  readonly denoiser: Denoiser;
  /** The most recent steps first: history[0] is step i − 1. Length ≤ the algorithm's historyLength. */
  readonly history: readonly PastDenoised[];
  readonly noise: NoiseSource;
  readonly settings: SolverSettings;
  /** What the algorithm's prepare() returned as `plan` (undefined without one). */
  readonly plan?: unknown;
}

export interface StepResult {
  /** x̃ at σ̃_{i+1}. */
  readonly x: Tensor2D;
  /** The step's first prediction D(x̃_i; ·): shown in the trajectory and kept in the history. */
  readonly denoised: Tensor2D;
}

export interface SolverAlgorithm {
  /** k-diffusion / ComfyUI name where one exists. */
  readonly name: string;
  readonly title: string;
  /** Convergence order of the deterministic scheme. */
  readonly order: number;
  /** Denoiser calls, as a formula in the number of steps N, e.g. "2N − 1". */
  readonly nfe: string;
  /** Whether it reads the EDM churn settings (s_churn, s_tmin, s_tmax, s_noise, seed). */
  readonly usesChurn?: boolean;
  /** The other Solver-node params it reads; the node shows a param only where it applies. */
  readonly params?: readonly SolverParamName[];
  /** Its own defaults for the settings it reads, e.g. `{ eta: 1 }` (k-diffusion's). */
  readonly defaults?: SolverDefaults;
  /** The highest `order` it accepts, when it reads `order` (else its `order`). */
  readonly maxOrder?: number;
  /** How many past D's the loop keeps for it (multistep methods); 0 when none. */
  readonly historyLength: number;
  /**
   * For methods that step on a grid of their own (k-diffusion's dpm_fast and dpm_adaptive build
   * theirs from the list's ends): maps the timestep list to the levels actually stepped through,
   * so frames land where the method's states are. `plan` (e.g. per-step orders) reaches every step.
   */
  prepare?(
    sigmas: Float64Array,
    settings: SolverSettings,
  ): { sigmas: Float64Array; plan?: unknown };
  /**
   * Advances one step. Runs inside tf.tidy: create tensors freely, return the two results.
   * Returning the same tensor as x and denoised is allowed (the step onto σ̃ = 0).
   */
  step(state: StepState): StepResult;
}

export type SolverHooks = Pick<RunContext<unknown>, 'checkpoint' | 'progress' | 'frame' | 'addNfe'>;

export interface SolveOptions {
  readonly algorithm: SolverAlgorithm;
  readonly denoiser: Denoiser;
  readonly timesteps: Timesteps;
  /** Initial x̃ at σ̃_0; the loop never disposes it. */
  readonly x: Tensor2D;
  /** The per-point shape the trajectory records (default: flat, [d]). */
  readonly shape?: PointShape;
  /** Missing fields take the algorithm's defaults (resolveSettings). */
  readonly settings?: SolverSettingsInput;
  /** Defaults to gaussianNoise(0). */
  readonly noise?: NoiseSource;
  readonly hooks: SolverHooks;
  /** Refuse runs whose trajectory would need more bytes than this (default TRAJECTORY_BYTE_LIMIT). */
  readonly trajectoryByteLimit?: number;
}

/** A trajectory keeps x̃ and x̂₀ in float32 at every level; past this a run is refused up front. */
export const TRAJECTORY_BYTE_LIMIT = 1024 ** 3;

/** Bytes a trajectory of `levels` frames of n points in `dim` dimensions holds (x̃ and x̂₀). */
export function trajectoryBytes(levels: number, n: number, dim: number): number {
  return levels * n * dim * 2 * Float32Array.BYTES_PER_ELEMENT;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export interface SolveResult {
  /** Final x̃; a new tensor owned by the caller. */
  readonly samples: Tensor2D;
  readonly trajectory: Trajectory;
}

export async function solve(options: SolveOptions): Promise<SolveResult> {
  const { algorithm, denoiser, timesteps, hooks } = options;
  const settings = resolveSettings(algorithm, options.settings);
  const noise = options.noise ?? gaussianNoise(0);
  checkSigmas(timesteps.sigmaTilde);
  if (timesteps.t.length !== timesteps.sigmaTilde.length) {
    throw new Error(
      `the timesteps have ${timesteps.sigmaTilde.length} noise levels but ${timesteps.t.length} times`,
    );
  }
  const prepared = algorithm.prepare?.(timesteps.sigmaTilde, settings);
  const sigmas = prepared?.sigmas ?? timesteps.sigmaTilde;
  checkSigmas(sigmas);
  const lastTime = timesteps.t[timesteps.t.length - 1] ?? 0;
  const times = prepared
    ? Float64Array.from(sigmas, (sigma) =>
        sigma === 0 ? lastTime : timesteps.schedule.tOfSigmaTilde(sigma),
      )
    : timesteps.t;
  const steps = sigmas.length - 1;
  const [n, dim] = options.x.shape;
  if (dim !== denoiser.dim) {
    throw new Error(`the samples have dimension ${dim} but the denoiser expects ${denoiser.dim}`);
  }
  const shape = options.shape ?? [dim];
  if (shapeSize(shape) !== dim) {
    throw new Error(`points of dimension ${dim} cannot have per-point shape ${formatShape(shape)}`);
  }
  const alphas = Float64Array.from(times, (t) => timesteps.schedule.alpha(t));
  // Checked before the first denoiser call, so an impossible run fails at once instead of
  // exhausting memory step by step.
  const limit = options.trajectoryByteLimit ?? TRAJECTORY_BYTE_LIMIT;
  const needed = trajectoryBytes(steps + 1, n, dim);
  if (needed > limit) {
    throw new Error(
      `the trajectory would need ${formatBytes(needed)} (${steps + 1} frames × ${n} points × ` +
        `${dim} dims × x̃ and x̂₀ in float32), more than the ${formatBytes(limit)} allowed; ` +
        'lower the number of points or steps',
    );
  }

  // A replayed step must see the noise its first attempt drew.
  const replayedNoise: NoiseSource = {
    sample: (...args) => remember(() => noise.sample(...args)),
    fresh: (...args) => remember(() => noise.fresh(...args)),
  };
  let nfe = 0;
  const countedDenoise = (x: Tensor2D, sigma: number): Tensor2D => {
    if (!(sigma > 0)) throw new Error(`the denoiser was called at σ̃ = ${sigma}; it needs σ̃ > 0`);
    nfe++;
    return denoiser.denoise(x, sigma);
  };

  const frames: TrajectoryFrame[] = [];
  const record = (frame: TrajectoryFrame): void => {
    frames.push(frame);
    hooks.frame(frame);
  };
  const levelOf = (k: number) => ({
    step: k,
    t: times[k] ?? NaN,
    sigmaTilde: sigmas[k] ?? NaN,
    alpha: alphas[k] ?? NaN,
  });

  let x = options.x;
  let history: PastDenoised[] = [];
  const disposeHistory = (entries: readonly PastDenoised[]) =>
    entries.forEach((entry) => tf.dispose([entry.x, entry.denoised]));
  try {
    const x0 = await download(x);
    throwIfNotFinite(x0, 'x̃', dim, `${algorithm.name}: the starting state at σ̃ ${sigmas[0]}`);
    record({ ...levelOf(0), x: x0 });
    for (let i = 0; i < steps; i++) {
      await hooks.checkpoint();
      const sigma = sigmas[i] ?? NaN;
      const sigmaNext = sigmas[i + 1] ?? NaN;
      const state: StepState = {
        i,
        steps,
        sigmas,
        alphas,
        sigma,
        sigmaNext,
        x,
        denoise: countedDenoise,
        denoiser,
        history,
        noise: replayedNoise,
        settings,
        plan: prepared?.plan,
      };
      const nfeBefore = nfe;
      // settle replays the step while an asynchronous denoiser (ONNX) has results pending.
      const [next, denoised] = await settle(() => {
        nfe = nfeBefore;
        return tf.tidy((): [Tensor2D, Tensor2D] => {
          const result = algorithm.step(state);
          // Separate handles, so x̃ and the history can be released independently.
          const xNext = result.x === result.denoised ? tf.clone(result.x) : result.x;
          return [xNext, result.denoised];
        });
      });
      hooks.addNfe(nfe - nfeBefore);

      const past: PastDenoised | undefined =
        algorithm.historyLength > 0 ? { step: i, sigma, x: tf.clone(x), denoised } : undefined;
      if (x !== options.x) x.dispose();
      x = next;
      if (past) {
        history = [past, ...history];
        disposeHistory(history.splice(algorithm.historyLength));
      }
      let x0hat: Float32Array;
      try {
        x0hat = await download(denoised);
      } finally {
        if (!past) denoised.dispose();
      }
      const xValues = await download(x);
      const where = `${algorithm.name}: step ${i + 1} of ${steps} (σ̃ ${sigma} → ${sigmaNext})`;
      throwIfNotFinite(x0hat, 'the denoiser’s x̂₀', dim, where);
      throwIfNotFinite(xValues, 'x̃', dim, where);
      record({ ...levelOf(i + 1), x: xValues, x0hat });
      hooks.progress(i + 1, steps);
    }
  } catch (error) {
    if (x !== options.x) x.dispose();
    throw error;
  } finally {
    disposeHistory(history);
  }

  // With no steps at all the answer is the input, which the caller does not own.
  const samples = x === options.x ? tf.clone(x) : x;
  return { samples, trajectory: { n, dim, shape, frames, nfe } };
}

/** A NaN or ±Inf in a frame stops the run, saying at which step, σ̃ and point it appeared. */
function throwIfNotFinite(values: Float32Array, what: string, dim: number, where: string): void {
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad < 0) return;
  throw new Error(
    `${where} produced ${values[bad]} in ${what} (point ${Math.floor(bad / dim)}); ` +
      'try more steps or a smaller s_churn, or check the denoiser and its inputs',
  );
}

/** A copy of the tensor's values (some backends hand out their own buffer). */
async function download(tensor: Tensor2D): Promise<Float32Array> {
  return new Float32Array(await tensor.data<'float32'>());
}

function checkSigmas(sigmas: Float64Array): void {
  if (sigmas.length < 1) throw new Error('the timestep list is empty');
  for (let k = 0; k < sigmas.length; k++) {
    const sigma = sigmas[k] ?? NaN;
    if (!Number.isFinite(sigma) || sigma < 0) {
      throw new Error(`timestep ${k} has σ̃ = ${sigma}; noise levels must be finite and ≥ 0`);
    }
    const previous = sigmas[k - 1];
    if (previous !== undefined && !(sigma < previous)) {
      throw new Error(
        `the timestep list must be strictly descending, but σ̃_${k - 1} = ${previous} and σ̃_${k} = ${sigma}`,
      );
    }
  }
}
