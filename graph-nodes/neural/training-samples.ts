// Samples drawn from a model while it trains, so a person can watch it learn (the app's Training
// tab). Each preview samples a snapshot of the EMA weights (what would be saved if training stopped
// there) from the same fixed starting noise, so two previews differ only by what the weights
// learned in between. The samplers are fixed and cheap rather than the graph's own solver: a
// learned node may feed any solver or none, and the graph's may take hundreds of steps over
// thousands of points, while a preview must cost a few training steps at most.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { PointShape } from '../core/shapes';
import type { Denoiser, FlowMap } from '../core/values';
import { yieldToEventLoop } from '../core/yield';
import { createRng } from '../math/rng';
import { edmSchedule } from '../schedules/edm';
import { heun } from '../solvers/heun';
import { solve } from '../solvers/loop';
import { timestepsFromSigmas } from '../timesteps/from-sigmas';
import { karrasSigmas } from '../timesteps/karras';

/** A preview: samples of the model as it stood at `step`. */
export interface TrainingSamples {
  readonly step: number;
  readonly steps: number;
  /** Row-major [count, dim]. */
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  /** The per-point shape (an image's [1, 28, 28]); [dim] when the trainer knows none. */
  readonly shape: PointShape;
}

/** What a trainer's sampler returns for a snapshot of the weights. */
export type DrawnSamples = Omit<TrainingSamples, 'step' | 'steps'>;

/** Previews per run, evenly spaced, besides the last step's. */
export const PREVIEWS_PER_RUN = 10;
/** A slow run still shows a preview this often (checked when progress is reported). */
export const PREVIEW_INTERVAL_MS = 3000;
/** Previews may take at most this share of the time trained so far (the last step's aside). */
export const PREVIEW_TIME_SHARE = 0.05;

/** Points a 2-D preview scatters; image data get a few tiles (each image is d values). */
export function previewCount(dim: number): number {
  return dim <= 3 ? 512 : 16;
}

/**
 * Decides at each progress report whether to draw: when the run crosses the next tenth or
 * PREVIEW_INTERVAL_MS have passed since the last preview, as long as previews have taken less
 * than PREVIEW_TIME_SHARE of the time so far (a short run on a slow backend gets fewer); and
 * always at the last step, which shows the weights that are saved.
 */
export function previewSchedule(steps: number, startMs: number) {
  const every = Math.max(1, Math.ceil(steps / PREVIEWS_PER_RUN));
  let lastStep = 0;
  let lastMs = startMs;
  let spentMs = 0;
  return {
    due(step: number, nowMs: number): boolean {
      const wanted =
        Math.floor(step / every) > Math.floor(lastStep / every) ||
        nowMs - lastMs >= PREVIEW_INTERVAL_MS;
      const affordable = spentMs <= PREVIEW_TIME_SHARE * (nowMs - startMs);
      const due = step === steps || (wanted && affordable);
      if (due) {
        lastStep = step;
        lastMs = nowMs;
      }
      return due;
    },
    /** Counts a preview's time against the budget. */
    spent(ms: number): void {
      spentMs += ms;
    },
  };
}

/** The fixed starting noise of every preview: N(0, σ_max² I), one seed for the whole run. */
function startingNoise(count: number, dim: number, sigmaMax: number): Tensor2D {
  const noise = createRng(0x5eed).fillNormal(new Float32Array(count * dim));
  return tf.tensor2d(
    noise.map((z) => sigmaMax * z),
    [count, dim],
  );
}

const QUIET_HOOKS = {
  checkpoint: yieldToEventLoop,
  progress: () => {},
  frame: () => {},
  addNfe: () => {},
};

/** EDM's sampling range and 10 Heun steps on its Karras grid (19 NFE): good samples, cheaply. */
export const DENOISER_PREVIEW = { steps: 10, sigmaMin: 0.002, sigmaMax: 80, rho: 7 } as const;

/** Samples a denoiser by its deterministic PF-ODE: Heun on DENOISER_PREVIEW's Karras grid. */
export async function sampleDenoiserPreview(
  denoiser: Denoiser,
  shape: PointShape,
): Promise<DrawnSamples> {
  const { steps, sigmaMin, sigmaMax, rho } = DENOISER_PREVIEW;
  const dim = denoiser.dim;
  const count = previewCount(dim);
  const schedule = edmSchedule({ sigmaMin, sigmaMax });
  const timesteps = timestepsFromSigmas(schedule, karrasSigmas(steps, sigmaMin, sigmaMax, rho));
  const x = startingNoise(count, dim, sigmaMax);
  try {
    const { samples } = await solve({
      algorithm: heun,
      denoiser,
      timesteps,
      x,
      hooks: QUIET_HOOKS,
    });
    try {
      return { values: new Float32Array(await samples.data<'float32'>()), count, dim, shape };
    } finally {
      samples.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** Samples a flow map as it is meant to be used: one jump Ψ_{σ_max→0} from the noise (1 NFE). */
export async function sampleFlowMapPreview(
  flowMap: FlowMap,
  sigmaMax: number,
  shape: PointShape,
): Promise<DrawnSamples> {
  const dim = flowMap.dim;
  const count = previewCount(dim);
  const x = startingNoise(count, dim, sigmaMax);
  try {
    const samples = await flowMap.map(x, sigmaMax, 0);
    try {
      return { values: new Float32Array(await samples.data<'float32'>()), count, dim, shape };
    } finally {
      samples.dispose();
    }
  } finally {
    x.dispose();
  }
}
