// Building point-cloud values from plain arrays, and turning them back into .npy bytes, so that
// every node wraps and releases its tensors the same way.
import * as tf from '@tensorflow/tfjs-core';
import { encodeNpy } from '../math/npy';
import { formatShape, shapeProblem, shapeSize, type PointShape } from './shapes';
import type { Coupling, Dataset, Samples, Trajectory } from './values';

/**
 * Wraps row-major points [n, ...shape] as a float32 tensor [n, d], d = size(shape). The caller
 * owns the result and releases it with `dispose()`. Float64 input is rounded to float32, the
 * precision tensors use. Backends may keep a float32 `data` as the tensor's storage, so do not
 * modify it afterwards.
 */
export function samplesFromArray(
  data: Float32Array | Float64Array,
  n: number,
  shape: PointShape,
  labels?: Int32Array,
): Samples {
  checkLayout(data.length, n, shape, labels);
  const values = data instanceof Float32Array ? data : Float32Array.from(data);
  const points = tf.tensor2d(values, [n, shapeSize(shape)], 'float32');
  const frozen = Object.freeze([...shape]);
  return labels
    ? { points, shape: frozen, labels, dispose: () => points.dispose() }
    : { points, shape: frozen, dispose: () => points.dispose() };
}

/**
 * Samples that own `points` and keep the labels of the `from` points they were carried from (a
 * solver's or flow map's output keeps its noise's class labels, row for row). `shape` is the
 * points' shape when it is not `from`'s (flat noise given the layout of an image model).
 */
export function samplesCarriedFrom(
  from: Samples,
  points: tf.Tensor2D,
  shape: PointShape = from.shape,
): Samples {
  if (shapeSize(shape) !== points.shape[1]) {
    throw new Error(
      `points [${points.shape.join(', ')}] cannot have per-point shape ${formatShape(shape)}`,
    );
  }
  return {
    points,
    shape,
    ...(from.labels ? { labels: from.labels } : {}),
    dispose: () => points.dispose(),
  };
}

/**
 * One number per point (a log-density) as samples of shape [1]: the float64 values are kept as
 * `perPoint`, which `.npy` writes as an [n] array. The caller owns the result.
 */
export function perPointSamples(values: Float64Array): Samples {
  const samples = samplesFromArray(values, values.length, [1]);
  return { ...samples, perPoint: values };
}

/** Like `samplesFromArray`, with the data set's name (shown in the UI and in metrics). */
export function datasetFromArray(
  name: string,
  data: Float32Array | Float64Array,
  n: number,
  shape: PointShape,
  labels?: Int32Array,
): Dataset {
  return { ...samplesFromArray(data, n, shape, labels), name };
}

/** Trajectories are plain arrays; samples and data sets carry a tensor. */
export function isTrajectory(value: Samples | Dataset | Trajectory): value is Trajectory {
  return Array.isArray((value as Partial<Trajectory>).frames);
}

/** The value types valueToNpy writes. */
export const NPY_VALUE_TYPES = ['samples', 'dataset', 'trajectory', 'coupling'] as const;

/**
 * Encodes a value as .npy bytes in its points' own shape: samples and data sets as float32
 * [n, ...S], a trajectory as float32 [frames, n, ...S] of each frame's x̃, a coupling as its plan
 * π, float64 [n, m] (its marginals hold to 1e-9, beyond float32), one number per point (`perPoint`)
 * as float64 [n]. Labels are not written.
 */
export async function valueToNpy(
  value: Samples | Dataset | Trajectory | Coupling,
): Promise<Uint8Array> {
  if ('plan' in value) return encodeNpy(value.plan, [value.n, value.m]);
  if ('perPoint' in value && value.perPoint) {
    return encodeNpy(value.perPoint, [value.perPoint.length]);
  }
  if (isTrajectory(value)) {
    return encodeNpy(stackFrames(value), [value.frames.length, value.n, ...value.shape]);
  }
  const [n] = value.points.shape;
  const data = await value.points.data();
  const values = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  return encodeNpy(values, [n, ...value.shape]);
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

function checkLayout(
  length: number,
  n: number,
  shape: PointShape,
  labels: Int32Array | undefined,
): void {
  const problem = shapeProblem(shape);
  if (!Number.isInteger(n) || n < 0 || problem) {
    throw new Error(
      `samples need a whole number of points n ≥ 0 and a valid per-point shape (got n = ${n}, ` +
        `shape ${formatShape(shape)}${problem ? `: ${problem}` : ''})`,
    );
  }
  const size = n * shapeSize(shape);
  if (length !== size) {
    throw new Error(
      `samples [${[n, ...shape].join(', ')}] need ${size} values but the array has ${length}`,
    );
  }
  if (labels && labels.length !== n) {
    throw new Error(`samples have ${n} points but ${labels.length} labels`);
  }
}
