// A denoiser from the user's own model, exported to ONNX (e.g. from PyTorch), run by
// onnxruntime-web: declare which inputs take x, the time and a class, what the time means and
// what the output predicts, and the node checks all of it against the file. Image models work as
// they are: x may be [batch, ...S] (e.g. NCHW [batch, 1, 28, 28]), float16 or float32, with a
// fixed or symbolic batch; before the run, probeFacts reads S from the file so that samples of
// another shape are reported before any node runs.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { readParamFile } from '../../core/param-files';
import { PREDICTIONS } from '../../math/parameterization';
import { readModelInfo } from '../../onnx/model-info';
import {
  createOnnxDenoiser,
  DEFAULT_BATCH_SIZE,
  formatDims,
  TIME_MEANINGS,
  xPointShape,
} from '../../onnx/onnx-denoiser';
import { openOnnxModel } from '../../onnx/session';
import { classLabel, numberIn, PARAM_LIMITS } from '../param-rules';

const MODEL_FILE = { param: 'path', kind: 'an .onnx file' };

const text = (title: string, fallback: string, description: string) =>
  z.string().default(fallback).meta({ title, widget: 'text', description });

export default defineNode({
  type: 'onnx-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'ONNX denoiser',
  description:
    'Runs your own model from an .onnx file (onnxruntime-web: WebGPU in the app where ' +
    'available, wasm otherwise). Declare its input names, what its time input means and what ' +
    'its output predicts; the node checks names and shapes against the file and converts the ' +
    'output to D(x̃; σ̃) through the connected schedule. x may have any per-point shape ' +
    '([batch, 784], [batch, 1, 28, 28], …), in float32 or float16.',
  section: 'book §6.3 (equivalent parameterisations), reference §1.1',
  formula: 'x = α(t) x̃;  out = model(x, time(t)[, class]);  D = x̂₀(out)',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'The schedule the model was trained with (its x and t coordinates).',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'D(x̃; σ̃) of the model.' },
  },
  params: z.object({
    path: z
      .string()
      .default('')
      .meta({
        title: 'Model file',
        widget: 'file',
        extensions: ['.onnx'],
        description: 'An .onnx model, relative to the graph file.',
      }),
    x_input: text(
      'x input',
      'x',
      'Name of the model input that takes x, shape [batch, ...S]: [batch, d] for flat points, ' +
        '[batch, C, H, W] for images. Every size after the batch must be fixed; that is the ' +
        'shape the samples must have.',
    ),
    time_input: text(
      'Time input',
      'sigma',
      'Name of the model input that takes the time, shape [] (one time per call), [batch] or ' +
        '[batch, 1].',
    ),
    time_meaning: z
      .enum(TIME_MEANINGS)
      .default('sigma')
      .meta({
        title: 'Time means',
        widget: 'select',
        description:
          'sigma: the noise level σ̃ = σ/α; t: the schedule time in [0, 1]; step: the index ' +
          '0…T−1 into a discrete schedule (ddpm-schedule) table.',
      }),
    prediction: z
      .enum(PREDICTIONS)
      .default('x0')
      .meta({
        title: 'Output predicts',
        widget: 'select',
        description:
          'x0 (the clean sample), epsilon (the noise), score, v (Salimans–Ho) or velocity ' +
          '(flow matching dx/dt).',
      }),
    output: text('Output', '', 'Name of the output holding the prediction (empty: the only one).'),
    class_input: text(
      'Class input',
      '',
      'Name of an input that takes an integer class label (empty: the model takes none).',
    ),
    class_label: classLabel(0).default(0).meta({
      title: 'Class label',
      widget: 'number',
      description: 'The label fed to the class input.',
    }),
    batch_size: numberIn(1, PARAM_LIMITS.batchSize, { integer: true })
      .default(DEFAULT_BATCH_SIZE)
      .meta({
        title: 'Batch size',
        widget: 'number',
        description:
          'Most points per model call, which caps the memory one call needs (lower it for a ' +
          'large image model). A model exported with a fixed batch runs in calls of that batch.',
      }),
  }),
  async probeFacts(params, files) {
    // The per-point shape the model's x input fixes, read from the file without onnxruntime.
    const info = readModelInfo(await readParamFile(files, params.path, MODEL_FILE));
    const x = info.inputs.find((input) => input.name === params.x_input);
    const shape = x && xPointShape(x);
    if (!x?.shape || !shape || typeof shape === 'string') return {};
    const note = `${params.path} input "${x.name}" is ${formatDims(x.shape)}`;
    return { denoiser: { shape, note } };
  },
  async run(inputs, ctx) {
    const p = ctx.params;
    const bytes = await readParamFile(ctx.files, p.path, MODEL_FILE);
    const model = await openOnnxModel(bytes, p.path);
    try {
      const denoiser = await createOnnxDenoiser({
        model,
        path: p.path,
        xInput: p.x_input,
        timeInput: p.time_input,
        classInput: p.class_input,
        classLabel: p.class_label,
        output: p.output,
        timeMeaning: p.time_meaning,
        prediction: p.prediction,
        schedule: inputs.schedule,
        batchSize: p.batch_size,
      });
      return { denoiser };
    } catch (error) {
      await model.session.release();
      throw error;
    }
  },
});
