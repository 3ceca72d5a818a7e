// The Jacobian J = ∂D/∂x̃ that the PF-ODE's divergence needs (reference §10):
// ∇·f = (d − tr J)/σ̃ for f = (x̃ − D)/σ̃. Two ways to get it, per point:
//
//   exact       tr J itself: analytic for the closed-form oracles (denoisers/*-jacobian.ts);
//               for any other denoiser, d central differences along the coordinate axes.
//   hutchinson  zᵀ J z for K fixed Rademacher probes z (E[zᵀJz] = tr J, and zᵀz = d exactly),
//               analytic for the oracles, a central difference along z otherwise: 2K evaluations
//               whatever d is. The probes are drawn once and kept for the whole integration, so
//               the field stays smooth for the adaptive solver and each probe's integral is an
//               unbiased estimate of the exact one: their spread gives the standard error.
//
// Central differences: vᵀ J v ≈ vᵀ (D(x̃ + h v) − D(x̃ − h v))/(2h), with h = 1e-3·(1 + RMS(x̃))
// per coordinate: error O(h²) from curvature, and well above the rounding of float32 models.
import type { Denoiser } from '../core/values';
import { createRng } from '../math/rng';
import { denoiseRows } from './denoise-rows';

export const DIVERGENCE_METHODS = ['exact', 'hutchinson'] as const;
export type DivergenceMethod = (typeof DIVERGENCE_METHODS)[number];

/** Relative step of the central differences (reference §10). */
const DIFFERENCE_STEP = 1e-3;
/** Perturbed coordinates per model call when differencing (the rows are chunked again below). */
const VALUES_PER_BATCH = 2 ** 21;

export interface JacobianEvaluation {
  /** D(x̃; σ̃), [n, dim]. */
  readonly denoised: Float64Array;
  /** [n, columns]: tr J (one column) or zᵀ J z per probe. */
  readonly jacobian: Float64Array;
}

export interface JacobianEstimator {
  /** Numbers per point in `jacobian`: 1 (tr J) or the number of probes. */
  readonly columns: number;
  /** Whether the values come from the denoiser's closed form (float64, no differencing). */
  readonly analytic: boolean;
  /** Denoiser evaluations per call, counted in batches of all n points (the solvers' NFE). */
  readonly evaluationsPerCall: number;
  evaluate(xTilde: Float64Array, sigmaTilde: number): Promise<JacobianEvaluation>;
}

export interface JacobianOptions {
  readonly method: DivergenceMethod;
  /** Hutchinson probes per point (≥ 1). */
  readonly probes: number;
  readonly seed: number;
}

/** K Rademacher vectors per point, [n, K, dim], from the seeded generator. */
export function rademacherProbes(rows: number, count: number, dim: number, seed: number) {
  const rng = createRng(seed);
  const vectors = new Float64Array(rows * count * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rng.uniform() < 0.5 ? -1 : 1;
  return { vectors, count };
}

/** How tr J (or zᵀ J z) will be had for `rows` points of dimension `dim` under this denoiser. */
export function jacobianEstimator(
  denoiser: Denoiser,
  rows: number,
  dim: number,
  options: JacobianOptions,
): JacobianEstimator {
  const probes =
    options.method === 'hutchinson'
      ? rademacherProbes(rows, options.probes, dim, options.seed)
      : undefined;
  const columns = probes?.count ?? 1;
  const { closedForm } = denoiser;
  if (closedForm) {
    return {
      columns,
      analytic: true,
      evaluationsPerCall: 1,
      evaluate: async (x, sigma) => closedForm.denoiseWithJacobian(x, sigma, probes),
    };
  }
  const directions = probes ? probes.count : dim;
  return {
    columns,
    analytic: false,
    evaluationsPerCall: 1 + 2 * directions,
    async evaluate(x, sigma) {
      const denoised = await denoiseRows(denoiser, x, dim, sigma);
      const quadratic = await differencedQuadraticForms(denoiser, x, dim, sigma, probes);
      if (probes) return { denoised, jacobian: quadratic };
      // tr J = Σ_j e_jᵀ J e_j
      const trace = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < dim; j++) trace[i]! += quadratic[i * dim + j]!;
      }
      return { denoised, jacobian: trace };
    },
  };
}

/**
 * vᵀ J v per point and direction, [n, directions], by central differences: the directions are
 * the probes when given, else the coordinate axes e_1 … e_d.
 */
async function differencedQuadraticForms(
  denoiser: Denoiser,
  x: Float64Array,
  dim: number,
  sigma: number,
  probes: { readonly vectors: Float64Array; readonly count: number } | undefined,
): Promise<Float64Array> {
  const rows = x.length / dim;
  const directions = probes ? probes.count : dim;
  const steps = Float64Array.from({ length: rows }, (_, i) => {
    let squared = 0;
    for (let j = 0; j < dim; j++) squared += x[i * dim + j]! ** 2;
    return DIFFERENCE_STEP * (1 + Math.sqrt(squared / dim));
  });
  const direction = (i: number, p: number, j: number): number =>
    probes ? probes.vectors[(i * directions + p) * dim + j]! : p === j ? 1 : 0;
  const pairs = rows * directions;
  const result = new Float64Array(pairs);
  const pairsPerBatch = Math.max(1, Math.floor(VALUES_PER_BATCH / (2 * dim)));
  for (let first = 0; first < pairs; first += pairsPerBatch) {
    const count = Math.min(pairsPerBatch, pairs - first);
    // Rows 0 … count − 1 are x̃ + h v, rows count … 2·count − 1 are x̃ − h v.
    const perturbed = new Float64Array(2 * count * dim);
    for (let q = 0; q < count; q++) {
      const pair = first + q;
      const i = Math.floor(pair / directions);
      const p = pair % directions;
      for (let j = 0; j < dim; j++) {
        const shift = steps[i]! * direction(i, p, j);
        perturbed[q * dim + j] = x[i * dim + j]! + shift;
        perturbed[(count + q) * dim + j] = x[i * dim + j]! - shift;
      }
    }
    const denoised = await denoiseRows(denoiser, perturbed, dim, sigma);
    for (let q = 0; q < count; q++) {
      const pair = first + q;
      const i = Math.floor(pair / directions);
      const p = pair % directions;
      let value = 0;
      if (probes) {
        for (let j = 0; j < dim; j++) {
          const difference = denoised[q * dim + j]! - denoised[(count + q) * dim + j]!;
          value += direction(i, p, j) * difference;
        }
      } else {
        value = denoised[q * dim + p]! - denoised[(count + q) * dim + p]!;
      }
      result[pair] = value / (2 * steps[i]!);
    }
  }
  return result;
}
