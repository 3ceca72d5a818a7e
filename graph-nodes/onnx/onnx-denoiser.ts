// A denoiser from an ONNX model, with declared I/O: which inputs take x, the time and an optional
// class label, what the time means (σ̃, t in [0, 1], or a discrete step of a table schedule) and
// what the output predicts. The model works in its schedule's native coordinates; conversion to
// D(x̃; σ̃) is parameterization.ts's (denoiserFromModel). Inference is asynchronous, so the solver
// loop reaches it through settle/awaitEvaluation (core/pending.ts).
//
// Shapes: x is [batch, ...S] for any per-point shape S ([784], [1, 28, 28], [3, 32, 32], …); the
// engine's tensors stay flat [n, d] with d = size(S) (row-major), so rows are fed as [n, ...S] and
// the output [n, ...S] is flattened back. A model with a fixed batch runs in chunks of exactly that
// many rows (the last one padded, its padding dropped); a symbolic batch in chunks of at most
// `batchSize` rows. float16 inputs and outputs are converted here; the engine sees float32 only.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type * as ort from 'onnxruntime-web';
import { awaitEvaluation } from '../core/pending';
import { formatShape, shapeProblem, shapeSize, type PointShape } from '../core/shapes';
import type { Denoiser, Schedule } from '../core/values';
import { denoiserFromModel, type Prediction } from '../math/parameterization';
import { float16DataBits, fromFloat16Bits } from './float16';
import type { OnnxDim } from './model-info';
import { filledTensor, floatTensor, type OnnxModel, type OnnxTensorInfo } from './session';

export const TIME_MEANINGS = ['sigma', 't', 'step'] as const;
export type TimeMeaning = (typeof TIME_MEANINGS)[number];

/** Rows per model call for a symbolic batch, when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 256;

export interface OnnxDenoiserOptions {
  readonly model: OnnxModel;
  /** For messages: the file the model came from. */
  readonly path: string;
  readonly xInput: string;
  readonly timeInput: string;
  /** Empty when the model takes no class. */
  readonly classInput: string;
  readonly classLabel: number;
  /** Empty: the model's only output. */
  readonly output: string;
  readonly timeMeaning: TimeMeaning;
  readonly prediction: Prediction;
  readonly schedule: Schedule;
  /** Most rows per call when the model's batch is symbolic (caps memory per call). */
  readonly batchSize?: number;
}

/** Validates the declared I/O against the model (names, shapes, a probe run) and wraps it. */
export async function createOnnxDenoiser(options: OnnxDenoiserOptions): Promise<Denoiser> {
  const { model, path, schedule } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batch_size must be a whole number ≥ 1 (got ${batchSize})`);
  }
  const io = resolveIo(options);
  const timeValue = timeConversion(options.timeMeaning, schedule);
  const { dim, shape } = io;
  const rowsPerCall = io.fixedBatch ?? batchSize;

  /** One call on exactly `rows` rows (x holds rows · d values). */
  const runChunk = async (x: Float32Array, rows: number, time: number): Promise<Float32Array> => {
    const feeds: Record<string, ort.Tensor> = {
      [io.x.name]: floatTensor(io.xType, x, [rows, ...shape]),
      [io.time.info.name]: filledTensor(io.time.type, time, io.time.dims(rows)),
    };
    if (io.label) {
      feeds[io.label.info.name] = filledTensor(
        io.label.type,
        options.classLabel,
        io.label.dims(rows),
      );
    }
    const results = await model.session.run(feeds);
    const out = results[io.output.name] as ort.Tensor | undefined;
    const expected = [rows, ...shape];
    const found = out?.dims ?? [];
    if (!out || found.length !== expected.length || found.some((n, k) => n !== expected[k])) {
      throw new Error(
        `${path}: the output "${io.output.name}" has shape ${formatDims(found)} for an input x ` +
          `of shape ${formatDims(expected)}; it must be ${formatDims(expected)} (one prediction ` +
          'per point, shaped like x): set the output param to the output that holds the prediction',
      );
    }
    if (out.type === 'float32') return out.data as Float32Array;
    if (out.type === 'float16') return fromFloat16Bits(float16DataBits(out.data));
    throw new Error(
      `${path}: the output "${io.output.name}" is ${out.type}; it must be float32 or float16`,
    );
  };

  /** All n rows, in calls of rowsPerCall rows (a fixed batch pads its last call). */
  const run = async (x: Float32Array, n: number, time: number): Promise<Float32Array> => {
    const out = new Float32Array(n * dim);
    for (let start = 0; start < n; start += rowsPerCall) {
      const rows = Math.min(rowsPerCall, n - start);
      const fed = io.fixedBatch ?? rows;
      let chunk = x.subarray(start * dim, (start + rows) * dim);
      if (fed > rows) {
        // Padding repeats the last real row (an input the model is meant for); dropped below.
        const padded = new Float32Array(fed * dim);
        padded.set(chunk);
        for (let row = rows; row < fed; row++)
          padded.copyWithin(row * dim, (rows - 1) * dim, rows * dim);
        chunk = padded;
      }
      const values = await runChunk(chunk, fed, time);
      out.set(values.subarray(0, rows * dim), start * dim);
    }
    return out;
  };

  // One probe evaluation now, so wrong shapes are reported when the node runs, not mid-solve.
  const tProbe = schedule.tOfSigmaTilde(1);
  await run(
    new Float32Array(2 * dim),
    2,
    timeValue(Number.isFinite(tProbe) ? tProbe : schedule.tMax),
  );

  return denoiserFromModel({
    dim,
    shape,
    schedule,
    prediction: options.prediction,
    predict(x: Tensor2D, t: number): Tensor2D {
      const given = x.shape[1];
      if (given !== dim) {
        throw new Error(
          `${path}: input "${io.x.name}" is ${formatDims(io.x.shape!)} (${dim} values per ` +
            `point) but the samples have ${given} values per point; give the samples the ` +
            `per-point shape ${formatShape(shape)} (e.g. the prior's shape param)`,
        );
      }
      const time = timeValue(t);
      return awaitEvaluation(
        [x],
        async ([copy]: readonly Tensor[]) => {
          const n = copy!.shape[0]!;
          const values = await run(new Float32Array(await copy!.data<'float32'>()), n, time);
          return tf.tensor2d(values, [n, dim]);
        },
        `the ONNX model "${path}"`,
      );
    },
    dispose() {
      void model.session.release();
    },
  });
}

/** An input fed one repeated value (the time, the class label), and how it is laid out. */
interface FedInput {
  readonly info: OnnxTensorInfo;
  readonly type: string | undefined;
  /** Its dims for a call on `rows` rows: [], [rows] or [rows, 1] ([1] when it broadcasts). */
  dims(rows: number): number[];
}

interface ResolvedIo {
  readonly x: OnnxTensorInfo;
  readonly xType: 'float32' | 'float16';
  /** The per-point shape S (x is [batch, ...S]). */
  readonly shape: PointShape;
  readonly dim: number;
  /** The rows every call must have, when the model fixes its batch. */
  readonly fixedBatch?: number;
  readonly time: FedInput;
  readonly label?: FedInput;
  readonly output: OnnxTensorInfo;
}

const FLOAT_IO = ['float32', 'float16'] as const;
const TIME_TYPES = ['float32', 'float16', 'float64', 'int32', 'int64'];
const INTEGER_TYPES = ['int32', 'int64'];

/** "[batch, 3, 32, 32]". */
export function formatDims(dims: readonly OnnxDim[]): string {
  return `[${dims.join(', ')}]`;
}

/**
 * The per-point shape S of an x input [batch, ...S], or a sentence saying why it has none (a
 * symbolic or missing size after the batch, fewer than two axes).
 */
export function xPointShape(x: OnnxTensorInfo): PointShape | string {
  if (!x.shape) {
    return `does not declare its shape; export it as [batch, ...per-point shape] with fixed sizes after the batch`;
  }
  if (x.shape.length < 2) {
    return (
      `is ${formatDims(x.shape)}; x must be [batch, ...per-point shape] (one point per row), ` +
      'e.g. [batch, 784] or [batch, 1, 28, 28]'
    );
  }
  const point = x.shape.slice(1);
  if (!point.every((size) => typeof size === 'number' && Number.isInteger(size) && size >= 1)) {
    return (
      `is ${formatDims(x.shape)}: every axis after the batch needs a fixed size; export the ` +
      'model with fixed sizes for them (dynamic axes only on the batch)'
    );
  }
  const problem = shapeProblem(point);
  if (problem) return `is ${formatDims(x.shape)}: ${problem}`;
  if (shapeSize(point as number[]) > MAX_POINT_VALUES) {
    return (
      `is ${formatDims(x.shape)}: more than ${MAX_POINT_VALUES} values per point, more than ` +
      'the engine can hold'
    );
  }
  return point as number[];
}

/** 2^26 float32 values (256 MiB) per point: far beyond any image model, and a bound on a file. */
const MAX_POINT_VALUES = 2 ** 26;

function resolveIo(options: OnnxDenoiserOptions): ResolvedIo {
  const { model, path } = options;
  const inputNames = model.inputs.map((i) => `"${i.name}"`).join(', ');
  const input = (name: string, param: string): OnnxTensorInfo => {
    const found = model.inputs.find((i) => i.name === name);
    if (!found) {
      throw new Error(
        `${path} has no input named "${name}" (param ${param}); its inputs are ${inputNames}`,
      );
    }
    return found;
  };
  const x = input(options.xInput, 'x_input');
  const time = input(options.timeInput, 'time_input');
  const label = options.classInput ? input(options.classInput, 'class_input') : undefined;
  const fed = new Set([x.name, time.name, label?.name]);
  const unfed = model.inputs.filter((i) => !fed.has(i.name));
  if (unfed.length) {
    throw new Error(
      `${path} also needs the input${unfed.length > 1 ? 's' : ''} ` +
        `${unfed.map((i) => `"${i.name}"`).join(', ')}; name it in x_input, time_input or ` +
        'class_input (a class label)',
    );
  }

  const named = [
    ['x_input', x.name],
    ['time_input', time.name],
    ...(label ? [['class_input', label.name]] : []),
  ];
  for (const [k, [param, name]] of named.entries()) {
    const other = named.slice(0, k).find(([, earlier]) => earlier === name);
    if (other)
      throw new Error(
        `${path}: ${other[0]} and ${param} both name the input "${name}"; name each once`,
      );
  }

  // x: [batch, ...S], float32 or float16.
  const xType = x.type ?? 'float32';
  if (!isOneOf(xType, FLOAT_IO)) {
    throw new Error(`${path}: the input "${x.name}" is ${xType}; x must be float32 or float16`);
  }
  const pointShape = xPointShape(x);
  if (typeof pointShape === 'string') throw new Error(`${path}: input "${x.name}" ${pointShape}`);
  const shape = pointShape;
  const xBatch = x.shape![0];
  if (typeof xBatch === 'number' && !(Number.isInteger(xBatch) && xBatch >= 1)) {
    throw new Error(`${path}: input "${x.name}" is ${formatDims(x.shape!)}; its batch must be ≥ 1`);
  }

  // Time and class: [], [batch] or [batch, 1]; a fixed batch must be x's (or 1: one value).
  const timeLayout = fedLayout(path, 'time input', time, 'one time for the call');
  const labelLayout = label && fedLayout(path, 'class input', label, 'one label for the call');
  let fixedBatch = typeof xBatch === 'number' ? xBatch : undefined;
  for (const layout of [timeLayout, labelLayout]) {
    if (fixedBatch === undefined && typeof layout?.batch === 'number' && layout.batch > 1) {
      fixedBatch = layout.batch;
    }
  }
  const fedInput = (
    info: OnnxTensorInfo,
    layout: FedLayout,
    what: string,
    type: string | undefined,
  ): FedInput => {
    const batch = layout.batch;
    const broadcast = typeof batch === 'number' && batch !== fixedBatch;
    if (broadcast && batch !== 1) {
      throw new Error(
        `${path}: the ${what} "${info.name}" is ${formatDims(info.shape!)} but x is ` +
          `${formatDims(x.shape!)}; its batch must be x's${fixedBatch ? ` (${fixedBatch})` : ''}, ` +
          '1 or symbolic',
      );
    }
    return {
      info,
      type,
      dims: (rows) => {
        const lead = broadcast ? 1 : rows;
        return layout.rank === 0 ? [] : layout.rank === 1 ? [lead] : [lead, 1];
      },
    };
  };

  const timeType = time.type;
  if (timeType !== undefined && !TIME_TYPES.includes(timeType)) {
    throw new Error(
      `${path}: the time input "${time.name}" is ${timeType}; it must be float32, float16, ` +
        'float64, or an integer step (int32, int64)',
    );
  }
  if (
    timeType !== undefined &&
    INTEGER_TYPES.includes(timeType) &&
    options.timeMeaning !== 'step'
  ) {
    throw new Error(
      `${path}: the time input "${time.name}" is ${timeType}, an integer step; set ` +
        'time_meaning to "step" (with a discrete schedule such as ddpm-schedule)',
    );
  }
  let labelInput: FedInput | undefined;
  if (label && labelLayout) {
    const type = label.type ?? 'int64';
    if (!INTEGER_TYPES.includes(type)) {
      throw new Error(
        `${path}: the class input "${label.name}" is ${type}; a class label must be int64 or int32`,
      );
    }
    labelInput = fedInput(label, labelLayout, 'class input', type);
  }

  const output = resolveOutput(options);
  const outputType = output.type ?? 'float32';
  if (!isOneOf(outputType, FLOAT_IO)) {
    throw new Error(
      `${path}: the output "${output.name}" is ${outputType}; it must be float32 or float16`,
    );
  }
  if (output.shape) {
    const [batch, ...rest] = output.shape;
    const fits =
      output.shape.length === shape.length + 1 &&
      rest.every((size, axis) => typeof size !== 'number' || size === shape[axis]) &&
      (typeof batch !== 'number' || fixedBatch === undefined || batch === fixedBatch);
    if (!fits) {
      throw new Error(
        `${path}: the output "${output.name}" is ${formatDims(output.shape)} but x is ` +
          `${formatDims(x.shape!)}; the prediction must have x's shape (one per point): set ` +
          'the output param to the output that holds it',
      );
    }
  }

  return {
    x,
    xType,
    shape,
    dim: shapeSize(shape),
    ...(fixedBatch !== undefined ? { fixedBatch } : {}),
    time: fedInput(time, timeLayout, 'time input', timeType),
    ...(labelInput ? { label: labelInput } : {}),
    output,
  };
}

interface FedLayout {
  readonly rank: 0 | 1 | 2;
  /** The declared batch: a size, or undefined when symbolic (or a scalar). */
  readonly batch?: number;
}

function fedLayout(path: string, what: string, info: OnnxTensorInfo, scalar: string): FedLayout {
  // A model that does not declare the shape gets [batch], as before shapes were read.
  const shape = info.shape ?? ['batch'];
  const [batch, second] = shape;
  const ok =
    shape.length <= 1 || (shape.length === 2 && (second === 1 || typeof second === 'string'));
  if (!ok) {
    throw new Error(
      `${path}: the ${what} "${info.name}" is ${formatDims(shape)}; it must be [] (${scalar}), ` +
        '[batch] or [batch, 1]',
    );
  }
  return {
    rank: shape.length as 0 | 1 | 2,
    ...(typeof batch === 'number' ? { batch } : {}),
  };
}

function resolveOutput(options: OnnxDenoiserOptions): OnnxTensorInfo {
  const { model, path } = options;
  if (options.output) {
    const found = model.outputs.find((o) => o.name === options.output);
    if (!found) {
      throw new Error(
        `${path} has no output named "${options.output}" (param output); its outputs are ` +
          model.outputs.map((o) => `"${o.name}"`).join(', '),
      );
    }
    return found;
  }
  if (model.outputs.length === 1) return model.outputs[0]!;
  throw new Error(
    `${path} has ${model.outputs.length} outputs (${model.outputs.map((o) => `"${o.name}"`).join(', ')}); ` +
      'set the output param to the one that holds the prediction',
  );
}

function isOneOf<T extends string>(value: string, options: readonly T[]): value is T {
  return (options as readonly string[]).includes(value);
}

/** Schedule time t → the value the model's time input expects. */
function timeConversion(meaning: TimeMeaning, schedule: Schedule): (t: number) => number {
  switch (meaning) {
    case 'sigma':
      return (t) => schedule.sigmaTilde(t);
    case 't':
      if (schedule.tMin < 0 || schedule.tMax > 1 + 1e-9) {
        throw new Error(
          `time_meaning "t" expects times in [0, 1], but the ${schedule.name} schedule runs ` +
            `from ${schedule.tMin} to ${schedule.tMax}; connect the schedule the model was ` +
            'trained with, or pick the time meaning that matches the model',
        );
      }
      return (t) => t;
    case 'step':
      if (!schedule.discreteSigmas) {
        throw new Error(
          `time_meaning "step" needs a discrete (table) schedule such as ddpm-schedule, whose ` +
            `time is the step 0…T−1; the ${schedule.name} schedule is continuous`,
        );
      }
      // An integer time input gets the nearest step (session.ts filledTensor rounds).
      return (t) => t;
  }
}
