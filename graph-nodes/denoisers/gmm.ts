// Exact denoiser for an isotropic Gaussian mixture p₀ = Σ_k π_k N(μ_k, s_k² I) (reference §7).
// In scaled coordinates x̃ = x₀ + σ̃ ε, so x̃ ~ Σ_k π_k N(μ_k, (s_k² + σ̃²) I) and, with
// v_k = s_k² + σ̃²,
//   r_k  = softmax_k( log π_k − ‖x̃ − μ_k‖²/(2 v_k) − (d/2) log v_k )
//   D(x̃) = Σ_k r_k [ μ_k + (s_k²/v_k)(x̃ − μ_k) ]
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { gmmDenoiseWithJacobian } from './gmm-jacobian';
import { createDeviceGmm, type DeviceGmm } from './gmm-device';
import { DEVICE_CALL_FLOOR_NS, exactDenoisersOnDevice } from '../core/device-kernels';
import { awaitEvaluation, canAwaitEvaluation } from '../core/pending';

export interface GmmParams {
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly stds: readonly number[];
}

/** A validated mixture in flat float64 arrays. */
export interface CheckedGmm {
  readonly count: number;
  readonly dim: number;
  /** log π_k with the weights normalised to sum to 1. */
  readonly logWeights: Float64Array;
  /** Row-major [count, dim]. */
  readonly means: Float64Array;
  /** s_k². */
  readonly variances: Float64Array;
}

/** One thing wrong with a mixture's parameters: the field (and index) it is about, and what. */
export interface MixtureProblem {
  /** e.g. ['weights', 2] or ['means', 1]: the params' names, as a graph's nodes use them. */
  readonly path: readonly [string, ...number[]];
  /** What is expected, without the path or the value (a graph's compiler shows both). */
  readonly message: string;
}

/** "weights[2] = -1: every weight must be a positive number", as the library's errors read. */
export function formatMixtureProblem(problem: MixtureProblem, params: object): string {
  const [field, ...indices] = problem.path;
  let value: unknown = (params as Record<string, unknown>)[field];
  for (const index of indices) value = (value as readonly unknown[] | undefined)?.[index];
  const where = `${field}${indices.map((index) => `[${index}]`).join('')}`;
  return indices.length
    ? `${where} = ${JSON.stringify(value) ?? String(value)}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/**
 * Everything wrong with a mixture's parameters, in the order a reader would fix them: at least
 * one component, one mean and one std per weight, every mean of the same non-zero dimension,
 * positive finite weights, finite coordinates, finite stds ≥ 0.
 */
export function gmmProblems(p: GmmParams): MixtureProblem[] {
  const problems: MixtureProblem[] = [];
  const count = p.weights.length;
  if (count === 0) {
    problems.push({ path: ['weights'], message: 'the mixture needs at least one component' });
  }
  if (p.means.length !== count) {
    problems.push({
      path: ['means'],
      message: `expected one mean per weight (${count}), got ${p.means.length}`,
    });
  }
  if (p.stds.length !== count) {
    problems.push({
      path: ['stds'],
      message: `expected one std per weight (${count}), got ${p.stds.length}`,
    });
  }
  p.weights.forEach((w, k) => {
    if (!(w > 0) || !Number.isFinite(w)) {
      problems.push({ path: ['weights', k], message: 'every weight must be a positive number' });
    }
  });
  const dim = p.means[0]?.length;
  if (dim === 0) {
    problems.push({ path: ['means', 0], message: 'each mean needs at least one coordinate' });
  }
  p.means.forEach((mean, k) => {
    if (mean.length !== dim) {
      problems.push({
        path: ['means', k],
        message: `expected ${dim} coordinates, as means[0] has (all means need the same dimension)`,
      });
    } else if (!mean.every(Number.isFinite)) {
      problems.push({ path: ['means', k], message: 'every coordinate must be a finite number' });
    }
  });
  p.stds.forEach((s, k) => {
    if (!(s >= 0) || !Number.isFinite(s)) {
      problems.push({ path: ['stds', k], message: 'every std must be a finite number ≥ 0' });
    }
  });
  return problems;
}

/** The mixture checked (its first problem thrown, as formatMixtureProblem words it) and flattened. */
export function checkGmm(p: GmmParams): CheckedGmm {
  const [problem] = gmmProblems(p);
  if (problem) throw new Error(formatMixtureProblem(problem, p));
  const count = p.weights.length;
  const dim = p.means[0]!.length;
  // Normalised through the largest weight, so that no sum of weights can overflow.
  const largest = p.weights.reduce((max, w) => Math.max(max, w), 0);
  const weightSum = p.weights.reduce((sum, w) => sum + w / largest, 0);
  const logWeights = Float64Array.from(p.weights, (w) => Math.log(w / largest / weightSum));
  const means = new Float64Array(count * dim);
  p.means.forEach((mean, k) => means.set(mean, k * dim));
  const variances = Float64Array.from(p.stds, (s) => s * s);
  return { count, dim, logWeights, means, variances };
}

/** Total variance v_k = s_k² + σ̃² per component; refuses a zero (a Dirac component at σ̃ = 0). */
export function totalVariances(gmm: CheckedGmm, sigmaTilde: number): Float64Array {
  if (!(sigmaTilde >= 0) || !Number.isFinite(sigmaTilde)) {
    throw new Error(`GMM denoiser: sigmaTilde must be a finite number ≥ 0 (got ${sigmaTilde})`);
  }
  return gmm.variances.map((variance) => {
    const total = variance + sigmaTilde * sigmaTilde;
    if (total === 0) {
      throw new Error('GMM denoiser: sigmaTilde = 0 is singular for a component with std 0');
    }
    return total;
  });
}

/**
 * The float64 loop's time per multiply-add (rows × components × d), in nanoseconds: 4 in high
 * dimension, 11 in 2-D (measured on this project's 2-core machines, 2026-12-05). Where exact
 * denoisers run on the device, a call the loop would finish within the device kernel's floor
 * (DEVICE_CALL_FLOOR_NS) stays on the CPU.
 */
const CPU_NS_PER_MULTIPLY_ADD = 4;

/**
 * Evaluated in float64 on the CPU, like the empirical denoiser: a mixture has few components, so
 * the loop is cheap on any backend, and exactness matters — float32 responsibilities near a basin
 * boundary, or in an adaptive solver's error estimate, change where particles end up. Where the
 * host puts exact denoisers on a GPU backend, large calls run as tfjs kernels there
 * (gmm-device.ts), with the rows float32 cannot settle recomputed in float64.
 */
export function createGmmDenoiser(
  p: GmmParams,
  options: { readonly kernel?: 'auto' | 'cpu' | 'device' } = {},
): Denoiser {
  const gmm = checkGmm(p);
  const { count, dim, means } = gmm;
  const kernel = options.kernel ?? 'auto';
  let device: DeviceGmm | undefined;
  let disposed = false;

  return {
    dim,
    denoise(xTilde: Tensor2D, sigmaTilde: number): Tensor2D {
      if (disposed) throw new Error('GMM denoiser: used after dispose()');
      if (xTilde.rank !== 2 || xTilde.shape[1] !== dim) {
        throw new Error(
          `GMM denoiser: expected points of shape [n, ${dim}], got [${xTilde.shape.join(', ')}]`,
        );
      }
      const variances = totalVariances(gmm, sigmaTilde);
      const rows = xTilde.shape[0];
      // The device kernel reads back its flags: only a caller that can wait, a solver step.
      const large = rows * count * dim * CPU_NS_PER_MULTIPLY_ADD > DEVICE_CALL_FLOOR_NS;
      if (
        kernel === 'device' ||
        (kernel === 'auto' && large && exactDenoisersOnDevice() && canAwaitEvaluation())
      ) {
        device ??= createDeviceGmm(gmm);
        const kernelOf = device;
        return awaitEvaluation(
          [xTilde],
          ([copy]) => kernelOf.denoise(copy as Tensor2D, variances),
          'the GMM denoiser on the device',
        );
      }
      const logitBias = variances.map((v, k) => gmm.logWeights[k]! - 0.5 * dim * Math.log(v));
      const shrink = variances.map((v, k) => gmm.variances[k]! / v); // s_k²/v_k
      const x = xTilde.dataSync();
      const out = new Float32Array(rows * dim);
      const logits = new Float64Array(count);
      for (let row = 0; row < rows; row++) {
        const base = row * dim;
        let max = -Infinity;
        for (let k = 0; k < count; k++) {
          // ‖x̃ − μ_k‖² from the differences themselves (no ‖x‖² − 2x·μ + ‖μ‖² cancellation).
          let squaredDistance = 0;
          for (let j = 0; j < dim; j++)
            squaredDistance += (x[base + j]! - means[k * dim + j]!) ** 2;
          logits[k] = logitBias[k]! - squaredDistance / (2 * variances[k]!);
          if (logits[k]! > max) max = logits[k]!;
        }
        let total = 0;
        for (let k = 0; k < count; k++) {
          logits[k] = Math.exp(logits[k]! - max);
          total += logits[k]!;
        }
        // D = Σ_k r_k [μ_k + (s_k²/v_k)(x̃ − μ_k)]
        for (let j = 0; j < dim; j++) {
          const xj = x[base + j]!;
          let value = 0;
          for (let k = 0; k < count; k++) {
            const mean = means[k * dim + j]!;
            value += logits[k]! * (mean + shrink[k]! * (xj - mean));
          }
          out[base + j] = value / total;
        }
      }
      return tf.tensor2d(out, [rows, dim]);
    },
    closedForm: {
      denoiseWithJacobian: (x, sigmaTilde, probes) =>
        gmmDenoiseWithJacobian(gmm, totalVariances(gmm, sigmaTilde), x, probes),
      logDensity: (x, sigmaTilde) => mixtureLogDensity(gmm, x, sigmaTilde),
    },
    dispose() {
      disposed = true;
      device?.dispose();
    },
  };
}

/**
 * log p(x̃; σ̃) of the noised mixture Σ_k π_k N(μ_k, (s_k² + σ̃²) I), in float64, for each row of
 * `xTilde` (row-major n × d). Used for finite-difference score checks and likelihood metrics.
 */
export function gmmLogDensity(
  p: GmmParams,
  xTilde: Float64Array,
  sigmaTilde: number,
): Float64Array {
  return mixtureLogDensity(checkGmm(p), xTilde, sigmaTilde);
}

function mixtureLogDensity(
  gmm: CheckedGmm,
  xTilde: Float64Array,
  sigmaTilde: number,
): Float64Array {
  const { count, dim } = gmm;
  if (xTilde.length % dim !== 0) {
    throw new Error(`gmmLogDensity: ${xTilde.length} values do not form rows of dimension ${dim}`);
  }
  const variances = totalVariances(gmm, sigmaTilde);
  const logNormaliser = variances.map((v) => -0.5 * dim * Math.log(2 * Math.PI * v));
  const n = xTilde.length / dim;
  const result = new Float64Array(n);
  const terms = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    let largest = -Infinity;
    for (let k = 0; k < count; k++) {
      let squaredDistance = 0;
      for (let j = 0; j < dim; j++) {
        const difference = xTilde[i * dim + j]! - gmm.means[k * dim + j]!;
        squaredDistance += difference * difference;
      }
      const term = gmm.logWeights[k]! + logNormaliser[k]! - squaredDistance / (2 * variances[k]!);
      terms[k] = term;
      if (term > largest) largest = term;
    }
    // log Σ_k e^{term_k}, shifted by the largest term so nothing overflows
    let sum = 0;
    for (let k = 0; k < count; k++) sum += Math.exp(terms[k]! - largest);
    result[i] = largest + Math.log(sum);
  }
  return result;
}
