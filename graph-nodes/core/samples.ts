// Building point-cloud values from plain arrays, and turning them back into .npy bytes, so that
// every node wraps and releases its tensors the same way.
import * as tf from '@tensorflow/tfjs-core';
import { encodeNpy } from '../math/npy';
import type { Dataset, Samples, Trajectory } from './values';

/**
 * Wraps row-major points [n, dim] as a float32 tensor. The caller owns the result and releases
 * it with `dispose()`. Float64 input is rounded to float32, the precision tensors use.
 * Backends may keep a float32 `data` as the tensor's storage, so do not modify it afterwards.
 */
export function samplesFromArray(
  data: Float32Array | Float64Array,
  n: number,
  dim: number,
  labels?: Int32Array,
): Samples {
  checkLayout(data.length, n, dim, labels);
  const values = data instanceof Float32Array ? data : Float32Array.from(data);
  const points = tf.tensor2d(values, [n, dim], 'float32');
  return labels
    ? { points, labels, dispose: () => points.dispose() }
    : { points, dispose: () => points.dispose() };
}

/**
 * Samples that own `points` and keep the labels of the `from` points they were carried from (a
 * solver's or flow map's output keeps its noise's class labels, row for row).
 */
export function samplesCarriedFrom(from: Samples, points: tf.Tensor2D): Samples {
  return {
    points,
    ...(from.labels ? { labels: from.labels } : {}),
    dispose: () => points.dispose(),
  };
}

/** Like `samplesFromArray`, with the data set's name (shown in the UI and in metrics). */
export function datasetFromArray(
  name: string,
  data: Float32Array | Float64Array,
  n: number,
  dim: number,
  labels?: Int32Array,
): Dataset {
  return { ...samplesFromArray(data, n, dim, labels), name };
}

/** Trajectories are plain arrays; samples and data sets carry a tensor. */
export function isTrajectory(value: Samples | Dataset | Trajectory): value is Trajectory {
  return Array.isArray((value as Partial<Trajectory>).frames);
}

/**
 * Encodes a value as .npy bytes: samples and data sets as float32 [n, d], a trajectory as
 * float32 [frames, n, d] of each frame's x̃. Labels are not written.
 */
export async function valueToNpy(value: Samples | Dataset | Trajectory): Promise<Uint8Array> {
  if (isTrajectory(value)) {
    return encodeNpy(stackFrames(value), [value.frames.length, value.n, value.dim]);
  }
  const [n, dim] = value.points.shape;
  const data = await value.points.data();
  const values = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  return encodeNpy(values, [n, dim]);
}

function stackFrames(trajectory: Trajectory): Float32Array {
  const frameSize = trajectory.n * trajectory.dim;
  const out = new Float32Array(trajectory.frames.length * frameSize);
  trajectory.frames.forEach((frame, index) => {
    if (frame.x.length !== frameSize) {
      throw new Error(
        `trajectory frame ${index} (step ${frame.step}) has ${frame.x.length} values; ` +
          `expected n × d = ${trajectory.n} × ${trajectory.dim} = ${frameSize}`,
      );
    }
    out.set(frame.x, index * frameSize);
  });
  return out;
}

function checkLayout(length: number, n: number, dim: number, labels: Int32Array | undefined): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new Error(
      `samples need a whole number of points n ≥ 0 and a dimension d ≥ 1 (got n = ${n}, d = ${dim})`,
    );
  }
  if (length !== n * dim) {
    throw new Error(`samples [${n}, ${dim}] need ${n * dim} values but the array has ${length}`);
  }
  if (labels && labels.length !== n) {
    throw new Error(`samples have ${n} points but ${labels.length} labels`);
  }
}
