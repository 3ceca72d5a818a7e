// The variational view: the evidence lower bound of discrete-time DDPM (Ho et al. 2020; book
// §2.2; reference §10) for any denoiser, per point,
//   −log p(x₀) ≤ L_T + Σ_{t=2}^{T} L_{t−1} + L_0,
//   L_T     = KL(q(x_T|x₀) ‖ N(0, I))                       (closed form, no model),
//   L_{t−1} = KL(q(x_{t−1}|x_t, x₀) ‖ p(x_{t−1}|x_t))        (x_t ~ q(x_t|x₀)),
//   L_0     = −log N(x₀; x̂₀(x_1), β_1 I)                     (the standard Gaussian decoder),
// with x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, β_t = 1 − ᾱ_t/ᾱ_{t−1} (ᾱ_0 = 1), the posterior
//   μ̃_t(x₀, x_t) = √ᾱ_{t−1}β_t/(1 − ᾱ_t) x₀ + √α_t(1 − ᾱ_{t−1})/(1 − ᾱ_t) x_t,
//   β̃_t = (1 − ᾱ_{t−1})β_t/(1 − ᾱ_t),
// and the model's mean μ̃_t(x̂₀, x_t) with x̂₀ = D(x_t/√ᾱ_t; σ̃_t). The two means differ only in
// their x₀ term, so with the model's variance σ_t² (β̃_t 'fixed_small' or β_t 'fixed_large')
//   L_{t−1} = c_t²‖x₀ − x̂₀‖²/(2σ_t²) + (d/2)(log(σ_t²/β̃_t) + β̃_t/σ_t² − 1),  c_t = √ᾱ_{t−1}β_t/(1 − ᾱ_t).
// The expectation over x_t is taken by Monte Carlo: every replicate draws one x_t per step, and
// the replicates' spread gives the standard error.
import type { Denoiser } from '../core/values';
import { createRng } from '../math/rng';
import { denoiseRows } from './denoise-rows';

export const DDPM_VARIANCES = ['fixed_small', 'fixed_large'] as const;
export type DdpmVariance = (typeof DDPM_VARIANCES)[number];

export interface DdpmElboOptions {
  /** Monte Carlo replicates: one x_t per step per replicate (≥ 2 for a standard error). */
  readonly replicates: number;
  readonly seed: number;
  readonly variance: DdpmVariance;
  /** Cancellation and progress between steps (fraction of the T steps done). */
  readonly afterStep?: (fraction: number) => Promise<void> | void;
  /** Hears of every denoiser evaluation, in batches of all n points. */
  readonly countNfe?: (evaluations: number) => void;
}

export interface DdpmElbo {
  /** The lower bound on log p(x₀) per point, in nats: −(L_T + Σ L_{t−1} + L_0). */
  readonly elbo: Float64Array;
  /** Standard error of each point's Monte Carlo estimate (0 with one replicate). */
  readonly standardError: Float64Array;
  /** Per point, averaged over replicates: L_T, Σ_{t≥2} L_{t−1} and L_0 (nats). */
  readonly priorTerm: Float64Array;
  readonly transitionTerms: Float64Array;
  readonly decoderTerm: Float64Array;
  readonly steps: number;
  readonly nfe: number;
}

/** ᾱ_1 … ᾱ_T of a DDPM table given as its ascending σ̃ (ᾱ = 1/(1 + σ̃²)). */
export function alphaBarsOfSigmas(sigmas: Float64Array): Float64Array {
  return sigmas.map((sigma) => 1 / (1 + sigma * sigma));
}

/**
 * The DDPM ELBO of row-major points x₀ [n, dim] under `denoiser`, for the T-step table ᾱ_1 … ᾱ_T
 * (`alphaBars`, decreasing). A pure function of the denoiser and the points.
 */
export async function ddpmElbo(
  denoiser: Denoiser,
  points: Float64Array,
  dim: number,
  alphaBars: Float64Array,
  options: DdpmElboOptions,
): Promise<DdpmElbo> {
  const rows = points.length / dim;
  const steps = alphaBars.length;
  const replicates = options.replicates;
  if (!Number.isInteger(rows)) {
    throw new Error(`${points.length} values do not form points of dimension ${dim}`);
  }
  alphaBars.forEach((alphaBar, i) => {
    const previous = i === 0 ? 1 : alphaBars[i - 1]!;
    if (!(alphaBar > 0 && alphaBar < previous)) {
      throw new Error(
        `the schedule's ᾱ must fall strictly from 1 towards 0, but ᾱ_${i + 1} = ${alphaBar} ` +
          `follows ${previous}`,
      );
    }
  });
  const rng = createRng(options.seed);
  // Per replicate and point: the running sum of the bound's terms.
  const transition = new Float64Array(replicates * rows);
  const decoder = new Float64Array(replicates * rows);
  const noised = new Float64Array(replicates * rows * dim);
  let nfe = 0;
  for (let t = 1; t <= steps; t++) {
    const alphaBar = alphaBars[t - 1]!;
    const previous = t === 1 ? 1 : alphaBars[t - 2]!;
    const beta = 1 - alphaBar / previous;
    const sigmaTilde = Math.sqrt((1 - alphaBar) / alphaBar);
    // x̃_t = x_t/√ᾱ_t = x₀ + σ̃_t ε, the denoiser's own coordinates.
    for (let r = 0; r < replicates; r++) {
      for (let k = 0; k < rows * dim; k++) {
        noised[r * rows * dim + k] = points[k]! + sigmaTilde * rng.normal();
      }
    }
    const denoised = await denoiseRows(denoiser, noised, dim, sigmaTilde);
    nfe += replicates;
    options.countNfe?.(replicates);
    const posteriorVariance = ((1 - previous) * beta) / (1 - alphaBar); // β̃_t
    const modelVariance = options.variance === 'fixed_large' || t === 1 ? beta : posteriorVariance;
    const meanWeight = (Math.sqrt(previous) * beta) / (1 - alphaBar); // c_t
    const varianceTerm =
      t === 1
        ? 0.5 * dim * Math.log(2 * Math.PI * beta)
        : 0.5 *
          dim *
          (Math.log(modelVariance / posteriorVariance) + posteriorVariance / modelVariance - 1);
    for (let r = 0; r < replicates; r++) {
      for (let i = 0; i < rows; i++) {
        let squaredError = 0;
        for (let j = 0; j < dim; j++) {
          const row = (r * rows + i) * dim + j;
          squaredError += (points[i * dim + j]! - denoised[row]!) ** 2;
        }
        if (t === 1) {
          // −log N(x₀; x̂₀, β_1 I): μ̃_1 = x̂₀ since ᾱ_0 = 1 and β_1 = 1 − ᾱ_1.
          decoder[r * rows + i] = squaredError / (2 * beta) + varianceTerm;
        } else {
          transition[r * rows + i]! +=
            (meanWeight * meanWeight * squaredError) / (2 * modelVariance) + varianceTerm;
        }
      }
    }
    await options.afterStep?.(t / steps);
  }
  const last = alphaBars[steps - 1]!;
  const priorTerm = Float64Array.from({ length: rows }, (_, i) => {
    let squared = 0;
    for (let j = 0; j < dim; j++) squared += points[i * dim + j]! ** 2;
    // KL(N(√ᾱ_T x₀, (1 − ᾱ_T) I) ‖ N(0, I))
    return 0.5 * (last * squared - dim * last - dim * Math.log1p(-last));
  });
  const elbo = new Float64Array(rows);
  const standardError = new Float64Array(rows);
  const transitionTerms = new Float64Array(rows);
  const decoderTerm = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const bounds = Array.from(
      { length: replicates },
      (_, r) => -(priorTerm[i]! + transition[r * rows + i]! + decoder[r * rows + i]!),
    );
    const mean = bounds.reduce((sum, value) => sum + value, 0) / replicates;
    elbo[i] = mean;
    for (let r = 0; r < replicates; r++) {
      transitionTerms[i]! += transition[r * rows + i]! / replicates;
      decoderTerm[i]! += decoder[r * rows + i]! / replicates;
    }
    if (replicates > 1) {
      const variance =
        bounds.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (replicates - 1);
      standardError[i] = Math.sqrt(variance / replicates);
    }
  }
  return { elbo, standardError, priorTerm, transitionTerms, decoderTerm, steps, nfe };
}
