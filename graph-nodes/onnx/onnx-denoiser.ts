// A denoiser from an ONNX model, with declared I/O: which inputs take x, the time and an optional
// class label, what the time means (σ̃, t in [0, 1], or a discrete step of a table schedule) and
// what the output predicts. The model works in its schedule's native coordinates; conversion to
// D(x̃; σ̃) is parameterization.ts's (denoiserFromModel). Inference is asynchronous, so the solver
// loop reaches it through settle/awaitEvaluation (core/pending.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type * as ort from 'onnxruntime-web';
import { awaitEvaluation } from '../core/pending';
import type { Denoiser, Schedule } from '../core/values';
import { denoiserFromModel, type Prediction } from '../math/parameterization';
import { filledTensor, float32Tensor, type OnnxModel, type OnnxTensorInfo } from './session';

export const TIME_MEANINGS = ['sigma', 't', 'step'] as const;
export type TimeMeaning = (typeof TIME_MEANINGS)[number];

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
}

/** Validates the declared I/O against the model (names, ranks, a probe run) and wraps it. */
export async function createOnnxDenoiser(options: OnnxDenoiserOptions): Promise<Denoiser> {
  const { model, path, schedule } = options;
  const io = resolveIo(options);
  const timeValue = timeConversion(options.timeMeaning, schedule);
  const dim = io.dim;

  const run = async (x: Float32Array, n: number, time: number): Promise<Float32Array> => {
    const feeds: Record<string, ort.Tensor> = {
      [io.x.name]: float32Tensor(x, [n, dim]),
      [io.time.name]: filledTensor(io.time.type, time, io.timeRank === 2 ? [n, 1] : [n]),
    };
    if (io.label) {
      feeds[io.label.name] = filledTensor(io.label.type, options.classLabel, [n]);
    }
    const results = await model.session.run(feeds);
    const out = results[io.output.name]!;
    if (out.dims.length !== 2 || out.dims[0] !== n || out.dims[1] !== dim) {
      throw new Error(
        `${path}: the output "${io.output.name}" has shape [${out.dims.join(', ')}] for an ` +
          `input x of shape [${n}, ${dim}]; it must be [${n}, ${dim}] (one prediction per point)`,
      );
    }
    if (out.type !== 'float32') {
      throw new Error(`${path}: the output "${io.output.name}" is ${out.type}, not float32`);
    }
    return out.data as Float32Array;
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
    schedule,
    prediction: options.prediction,
    predict(x: Tensor2D, t: number): Tensor2D {
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

interface ResolvedIo {
  readonly x: OnnxTensorInfo;
  readonly time: OnnxTensorInfo;
  readonly timeRank: 1 | 2;
  readonly label?: OnnxTensorInfo;
  readonly output: OnnxTensorInfo;
  readonly dim: number;
}

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

  let output: OnnxTensorInfo;
  if (options.output) {
    const found = model.outputs.find((o) => o.name === options.output);
    if (!found) {
      throw new Error(
        `${path} has no output named "${options.output}" (param output); its outputs are ` +
          model.outputs.map((o) => `"${o.name}"`).join(', '),
      );
    }
    output = found;
  } else if (model.outputs.length === 1) {
    output = model.outputs[0]!;
  } else {
    throw new Error(
      `${path} has ${model.outputs.length} outputs (${model.outputs.map((o) => `"${o.name}"`).join(', ')}); ` +
        'set the output param to the one that holds the prediction',
    );
  }

  if (x.type && x.type !== 'float32') {
    throw new Error(`${path}: the input "${x.name}" is ${x.type}; x must be float32`);
  }
  if (x.shape && x.shape.length !== 2) {
    throw new Error(
      `${path}: the input "${x.name}" has shape [${x.shape.join(', ')}]; x must be [batch, d] ` +
        '(one point per row)',
    );
  }
  const dim = x.shape?.[1];
  if (typeof dim !== 'number' || !(dim > 0)) {
    throw new Error(
      `${path}: the input "${x.name}" does not fix its dimension d (shape ` +
        `[${x.shape?.join(', ') ?? '?'}]); export the model with a fixed size for the last axis`,
    );
  }
  const timeRank = time.shape?.length ?? 1;
  if (timeRank !== 1 && timeRank !== 2) {
    throw new Error(
      `${path}: the time input "${time.name}" has shape [${time.shape?.join(', ')}]; it must ` +
        'be [batch] or [batch, 1]',
    );
  }
  return { x, time, timeRank, ...(label ? { label } : {}), output, dim };
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
      return (t) => t;
  }
}
