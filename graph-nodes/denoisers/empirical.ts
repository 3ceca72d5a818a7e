// Exact denoiser for a weighted Dirac mixture Σ_i w_i δ(y_i) (a data set taken as the
// distribution; reference §7, book §6.3). In scaled coordinates x̃ = x₀ + σ̃ ε:
//   r_i  = softmax_i( log w_i − ‖x̃ − y_i‖²/(2σ̃²) )
//   D(x̃) = Σ_i r_i y_i
// computed by the float64 typed-array kernel in empirical-kernel.ts rather than by tfjs ops.
// Measured on the bench (20 000 particles, 1 000 points, d = 2, 20 steps): the tfjs wasm ops
// needed ~320 ms per step; the kernel needs ~140 ms at large σ̃ on one thread, much less at small
// σ̃ where it skips far blocks, and it is exact to float64 on every backend. Rows are split across
// worker threads where the host has them (Node); elsewhere it runs on the calling thread.
// In high dimension nothing is skipped, and the dense kernel (empirical-dense.ts: matrix products
// on onnxruntime, exact where float32 would decide the winner) is ~20× faster in 784-D; each call
// goes to the kernel the cost model (denseIsCheaper) expects to be faster. Where the host has put
// exact denoisers on a GPU backend (core/device-kernels.ts), the dense kernel's work runs as tfjs
// kernels on it instead (empirical-device.ts), and the particles never leave the device.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import {
  buildEmpiricalIndex,
  createEmpiricalScratch,
  DEFAULT_BLOCK_SIZE,
  denoiseRows,
  LOGIT_CUTOFF,
  type EmpiricalIndex,
  type EmpiricalScratch,
} from './empirical-kernel';
import { createRowThreads, type RowThreads } from './empirical-threads';
import { createDenseEmpirical, type DenseEmpirical } from './empirical-dense';
import { createDeviceEmpirical, type DeviceEmpirical } from './empirical-device';
import { DEVICE_CALL_FLOOR_NS, exactDenoisersOnDevice } from '../core/device-kernels';
import { empiricalDenoiseWithJacobian, empiricalLogDensity } from './empirical-jacobian';
import { awaitEvaluation, canAwaitEvaluation } from '../core/pending';

/** Below this many (particle, data point) pairs per call, starting threads does not pay. */
const MIN_PAIRS_FOR_THREADS = 4_000_000;

export interface EmpiricalDenoiserOptions {
  /** Data points per pruning block (see empirical-kernel.ts). */
  readonly blockSize?: number;
  /**
   * Threads for large calls, the caller's included. Defaults to up to 2 where worker threads
   * exist (Node) and 1 elsewhere; 1 never starts a worker.
   */
  readonly threads?: number;
  /**
   * Which kernel computes D: 'auto' (the default) picks the cheaper by the cost model below, on
   * the device where exactDenoisersOnDevice(); 'pruned', 'dense' and 'device' force one (tests,
   * benchmarks).
   */
  readonly kernel?: 'auto' | 'pruned' | 'dense' | 'device';
}

/**
 * Cost model of the two kernels, in nanoseconds, from timings on this project's 2-core machines
 * (scripts/bench.ts workloads and the kernels alone, 2026-12-05): the pruned float64 kernel spends
 * ~3 ns per (particle, data point) pair plus ~1.9 ns per coordinate, threads halving it on large
 * calls, and skips most pairs in low dimension (about 0.3 of them are visited over a run of the
 * 2-D bench) but none in high dimension, where distances concentrate; the dense kernel spends
 * ~2 ms per call (onnxruntime, copies), ~8 ns per pair (logits in float64) and ~0.03 ns per
 * multiply-add of its matrix products. On a GPU the device kernel's products are nearly free at
 * these sizes and a call costs its floor (DEVICE_CALL_FLOOR_NS), so a call goes to the device
 * when the CPU would take longer.
 */
const COST = {
  prunedPerPair: 3,
  prunedPerCoordinate: 1.9,
  prunedVisitedLowDimension: 0.3,
  lowDimension: 8,
  densePerCall: 2e6,
  densePerPair: 8,
  densePerMultiplyAdd: 0.03,
} as const;

/** Whether points of this dimension may go to the dense kernel (the pruned one wins below). */
export function mayUseDenseKernel(dim: number): boolean {
  return dim > COST.lowDimension;
}

/** The pruned kernel's expected time for a call, in nanoseconds. */
function prunedCost(rows: number, count: number, dim: number, threads: number): number {
  const pairs = rows * count;
  const visited = dim <= COST.lowDimension ? COST.prunedVisitedLowDimension : 1;
  const parallel = threads > 1 && pairs >= MIN_PAIRS_FOR_THREADS ? threads : 1;
  return (pairs * visited * (COST.prunedPerPair + COST.prunedPerCoordinate * dim)) / parallel;
}

/** Whether the dense kernel is expected to be faster for this call (by the cost model above). */
export function denseIsCheaper(rows: number, count: number, dim: number, threads: number): boolean {
  const pairs = rows * count;
  const dense =
    COST.densePerCall + pairs * COST.densePerPair + pairs * dim * COST.densePerMultiplyAdd;
  return dense < prunedCost(rows, count, dim, threads);
}

/** Whether, with a GPU backend, the device kernel is expected to be faster than the CPU's. */
export function deviceIsCheaper(
  rows: number,
  count: number,
  dim: number,
  threads: number,
): boolean {
  return DEVICE_CALL_FLOOR_NS < prunedCost(rows, count, dim, threads);
}

/**
 * `points` [m, d] stay owned by the caller (the data node): the denoiser reads them on its first
 * call and never disposes them; its dispose() frees only the worker threads it started.
 */
export function createEmpiricalDenoiser(
  points: Tensor2D,
  weights?: number[],
  options: EmpiricalDenoiserOptions = {},
): Denoiser {
  if (points.rank !== 2 || points.shape[0] < 1 || points.shape[1] < 1) {
    throw new Error(
      `empirical denoiser: expected data points of shape [m ≥ 1, d ≥ 1], got [${points.shape.join(', ')}]`,
    );
  }
  const [count, dim] = points.shape;
  const logWeights = normalisedLogWeights(count, weights);
  const blockSize = Math.max(1, Math.floor(options.blockSize ?? DEFAULT_BLOCK_SIZE));
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
  let index: EmpiricalIndex | undefined;
  let scratch: EmpiricalScratch | undefined;
  let rowThreads: RowThreads | undefined;
  let dense: DenseEmpirical | undefined;
  let device: DeviceEmpirical | undefined;
  let disposed = false;
  const kernel = options.kernel ?? 'auto';
  const usableIndex = (): EmpiricalIndex => {
    if (disposed) throw new Error('empirical denoiser: used after dispose()');
    if (points.isDisposed) throw new Error('empirical denoiser: its data set has been freed');
    return (index ??= buildEmpiricalIndex(points.dataSync(), count, dim, logWeights, blockSize));
  };

  return {
    dim,
    denoise(xTilde: Tensor2D, sigmaTilde: number): Tensor2D {
      if (disposed) throw new Error('empirical denoiser: used after dispose()');
      if (points.isDisposed) throw new Error('empirical denoiser: its data set has been freed');
      if (xTilde.rank !== 2 || xTilde.shape[1] !== dim) {
        throw new Error(
          `empirical denoiser: expected points of shape [n, ${dim}], got [${xTilde.shape.join(', ')}]`,
        );
      }
      if (!(sigmaTilde > 0) || !Number.isFinite(sigmaTilde)) {
        throw new Error(
          `empirical denoiser: sigmaTilde must be a finite number > 0 (got ${sigmaTilde})`,
        );
      }
      const rows = xTilde.shape[0];
      // The dense and device kernels are asynchronous (onnxruntime, reading back the rows to
      // correct): only a caller that can wait, a solver step, gets them; anyone else gets the
      // pruned kernel, which gives the same D.
      const canWait = kernel === 'auto' && canAwaitEvaluation();
      const onDevice = canWait && exactDenoisersOnDevice();
      if (kernel === 'device' || (onDevice && deviceIsCheaper(rows, count, dim, threads))) {
        device ??= createDeviceEmpirical(points.dataSync(), count, dim, logWeights);
        const kernelOf = device;
        return awaitEvaluation(
          [xTilde],
          ([copy]) => kernelOf.denoise(copy as Tensor2D, sigmaTilde),
          'the empirical denoiser on the device',
        );
      }
      if (
        kernel === 'dense' ||
        (canWait && !onDevice && denseIsCheaper(rows, count, dim, threads))
      ) {
        dense ??= createDenseEmpirical(points.dataSync(), count, dim, logWeights);
        const kernelOf = dense;
        return awaitEvaluation(
          [xTilde],
          async ([copy]) => {
            const values = await copy!.data<'float32'>();
            return tf.tensor2d(await kernelOf.denoise(values, rows, sigmaTilde), [rows, dim]);
          },
          'the dense empirical denoiser',
        );
      }
      index ??= buildEmpiricalIndex(points.dataSync(), count, dim, logWeights, blockSize);
      const x = xTilde.dataSync();
      if (threads > 1 && rows * count >= MIN_PAIRS_FOR_THREADS) {
        rowThreads ??= createRowThreads(index, threads, LOGIT_CUTOFF);
      }
      let out: Float32Array;
      if (rowThreads && rows * count >= MIN_PAIRS_FOR_THREADS) {
        out = rowThreads.denoise(x, rows, sigmaTilde);
      } else {
        out = new Float32Array(rows * dim);
        scratch ??= createEmpiricalScratch(index, LOGIT_CUTOFF);
        denoiseRows(index, Float64Array.from(x), 0, rows, sigmaTilde, out, scratch, LOGIT_CUTOFF);
      }
      return tf.tensor2d(out, [rows, dim]);
    },
    closedForm: {
      denoiseWithJacobian: (x, sigmaTilde, probes) =>
        empiricalDenoiseWithJacobian(usableIndex(), x, sigmaTilde, probes),
      logDensity: (x, sigmaTilde) => empiricalLogDensity(usableIndex(), x, sigmaTilde),
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      rowThreads?.dispose();
      device?.dispose();
      dense = undefined;
    },
  };
}

/** Two threads where the host can run workers and has a second core for them. */
function defaultThreads(): number {
  const os = (
    globalThis as {
      process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } };
    }
  ).process?.getBuiltinModule?.('node:os');
  return Math.min(2, os?.availableParallelism?.() ?? 1);
}

/** log w_i with Σ w_i = 1; uniform when no weights are given. */
function normalisedLogWeights(count: number, weights: number[] | undefined): Float64Array {
  if (weights === undefined) return new Float64Array(count).fill(-Math.log(count));
  if (weights.length !== count) {
    throw new Error(`empirical denoiser: ${weights.length} weights for ${count} data points`);
  }
  let sum = 0;
  weights.forEach((w, i) => {
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new Error(
        `empirical denoiser: weights[${i}] = ${w}; every weight must be a positive number`,
      );
    }
    sum += w;
  });
  return Float64Array.from(weights, (w) => Math.log(w / sum));
}
