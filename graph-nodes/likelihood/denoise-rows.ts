// Any denoiser on float64 rows: the likelihood integrates in float64 on plain arrays, while a
// learned model (MLP, ONNX) takes float32 tensors and may answer asynchronously. Rows go through
// in chunks, so a batch of finite-difference probes of 784-D images never becomes one huge tensor.
import * as tf from '@tensorflow/tfjs-core';
import { settle } from '../core/pending';
import type { Denoiser } from '../core/values';

/** Values per model call (16 MiB of float32). */
const MAX_VALUES_PER_CALL = 2 ** 22;
/** Rows per model call: the batch size the nodes allow a model. */
const MAX_ROWS_PER_CALL = 65_536;

/** D(x̃; σ̃) for row-major rows x̃ [n, dim], as float64 (a learned model's float32 widened). */
export async function denoiseRows(
  denoiser: Denoiser,
  xTilde: Float64Array,
  dim: number,
  sigmaTilde: number,
): Promise<Float64Array> {
  const rows = xTilde.length / dim;
  const chunkRows = Math.max(1, Math.min(MAX_ROWS_PER_CALL, Math.floor(MAX_VALUES_PER_CALL / dim)));
  const out = new Float64Array(xTilde.length);
  for (let start = 0; start < rows; start += chunkRows) {
    const count = Math.min(chunkRows, rows - start);
    const input = Float32Array.from(xTilde.subarray(start * dim, (start + count) * dim));
    // settle replays the call while an asynchronous model (ONNX) has its result pending.
    const result = await settle(() =>
      tf.tidy(() => denoiser.denoise(tf.tensor2d(input, [count, dim]), sigmaTilde)),
    );
    try {
      if (result.shape[0] !== count || result.shape[1] !== dim) {
        throw new Error(
          `the denoiser returned [${result.shape.join(', ')}] for points [${count}, ${dim}]`,
        );
      }
      out.set(await result.data(), start * dim);
    } finally {
      result.dispose();
    }
  }
  const bad = out.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new Error(
      `the denoiser returned ${out[bad]} for point ${Math.floor(bad / dim)} at σ̃ = ${sigmaTilde}`,
    );
  }
  return out;
}
