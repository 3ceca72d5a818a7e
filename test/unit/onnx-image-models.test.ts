// ONNX denoisers for image models: x of any per-point shape S ([784], [1, 28, 28], [3, 8, 8]),
// fixed or symbolic batches (chunked and padded), scalar/[batch]/[batch, 1] time inputs, int64 and
// int32 class inputs, float16 I/O, the model's shape known before the run (probeFacts), and one
// graph run end to end. The models are the exact denoiser of N(μ, s² I), written with the
// project's ONNX writer (helpers/onnx-test-models.ts), so every output has a closed form.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  GraphError,
  type Denoiser,
  type GraphDocument,
  type Samples,
} from '../../graph-nodes';
import { settle } from '../../graph-nodes/core/pending';
import { shapeSize, type PointShape } from '../../graph-nodes/core/shapes';
import { createRng } from '../../graph-nodes/math/rng';
import onnxNode from '../../graph-nodes/nodes/denoiser/onnx';
import {
  float16Bits,
  float16DataBits,
  float16Value,
  fromFloat16Bits,
  toFloat16Bits,
} from '../../graph-nodes/onnx/float16';
import { readModelInfo } from '../../graph-nodes/onnx/model-info';
import { readFields } from '../../graph-nodes/onnx/protobuf';
import { createOnnxDenoiser } from '../../graph-nodes/onnx/onnx-denoiser';
import { OnnxGraphBuilder, elementTypeCode, intAttribute } from '../../graph-nodes/onnx/onnx-graph';
import { onnxRuntime } from '../../graph-nodes/onnx/runtime';
import { openOnnxModel, type OnnxModel } from '../../graph-nodes/onnx/session';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import {
  gaussianDenoised,
  gaussianDenoiserModel,
  MODEL_NAMES,
  passThroughModel,
  type GaussianModelOptions,
} from './helpers/onnx-test-models';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

// EDM: α = 1 and the time fed is σ̃ itself, so D(x̃; σ̃) is the model's output unchanged.
const schedule = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
const STD = 0.7;
const defaults = onnxNode.params.parse({
  path: 'model.onnx',
  x_input: MODEL_NAMES.x,
  time_input: MODEL_NAMES.time,
});
type Params = typeof defaults;

const normal = (count: number, seed: number, scale = 1) =>
  createRng(seed)
    .fillNormal(new Float32Array(count))
    .map((v) => v * scale);

async function nodeDenoiser(bytes: Uint8Array, params: Partial<Params> = {}): Promise<Denoiser> {
  const files = memoryFiles({ 'model.onnx': bytes });
  const { denoiser } = await onnxNode.run(
    { schedule },
    makeTestContext({ ...defaults, ...params }, { files }),
  );
  return denoiser;
}

/** D(x; σ) for n flat rows, through settle (ONNX is asynchronous). */
async function denoise(
  denoiser: Denoiser,
  x: Float32Array,
  n: number,
  sigma: number,
): Promise<Float32Array> {
  const input = tf.tensor2d(x, [n, x.length / n]);
  const result = await settle(() => denoiser.denoise(input, sigma));
  const values = new Float32Array(await result.data());
  tf.dispose([input, result]);
  return values;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!));
  return max;
};

/** A model's session with every call's x dims recorded. */
function recordCalls(model: OnnxModel): number[][] {
  const calls: number[][] = [];
  const run = model.session.run.bind(model.session);
  Object.defineProperty(model.session, 'run', {
    value: (feeds: Record<string, ort.Tensor>) => {
      calls.push([...feeds[MODEL_NAMES.x]!.dims]);
      return run(feeds);
    },
  });
  return calls;
}

describe('ONNX image models: shapes and batches', () => {
  it('computes the exact Gaussian denoiser for [784], [1, 28, 28] and [3, 8, 8] points', async () => {
    for (const shape of [[784], [1, 28, 28], [3, 8, 8]] as PointShape[]) {
      const d = shapeSize(shape);
      const mean = normal(d, 1);
      const denoiser = await nodeDenoiser(
        gaussianDenoiserModel({ shape, means: [mean], std: STD }),
      );
      expect(denoiser.dim).toBe(d);
      expect(denoiser.shape).toEqual(shape);
      const n = 5;
      const x = normal(n * d, 2, 3);
      for (const sigma of [0.3, 2.5]) {
        const diff = maxDiff(
          await denoise(denoiser, x, n, sigma),
          gaussianDenoised(x, mean, STD, sigma),
        );
        expect(diff, `S = [${shape.join(', ')}], σ = ${sigma}`).toBeLessThan(2e-6);
      }
      denoiser.dispose();
    }
  });

  it('runs fixed batches 1 and 4 in padded chunks, and batch_size 3 in chunks of 3, as one symbolic call', async () => {
    const shape = [1, 6, 6];
    const d = shapeSize(shape);
    const mean = normal(d, 3);
    const n = 10;
    const x = normal(n * d, 4, 2);
    const sigma = 0.9;
    const expected = gaussianDenoised(x, mean, STD, sigma);

    const variant = async (batch: number | string, batchSize?: number) => {
      const path = `batch-${batch}.onnx`;
      const model = await openOnnxModel(
        gaussianDenoiserModel({ shape, means: [mean], std: STD, batch }),
        path,
      );
      const calls = recordCalls(model);
      const denoiser = await createOnnxDenoiser({
        model,
        path,
        xInput: MODEL_NAMES.x,
        timeInput: MODEL_NAMES.time,
        classInput: '',
        classLabel: 0,
        output: '',
        timeMeaning: 'sigma',
        prediction: 'x0',
        schedule,
        ...(batchSize !== undefined ? { batchSize } : {}),
      });
      calls.length = 0; // the probe evaluation at creation
      const values = await denoise(denoiser, x, n, sigma);
      denoiser.dispose();
      return { values, rows: calls.map((dims) => dims[0]) };
    };

    const symbolic = await variant('batch');
    expect(symbolic.rows).toEqual([10]);
    expect(maxDiff(symbolic.values, expected)).toBeLessThan(2e-6);
    const fixed1 = await variant(1);
    expect(fixed1.rows).toEqual(Array(10).fill(1));
    const fixed4 = await variant(4);
    expect(fixed4.rows).toEqual([4, 4, 4]); // the last call: 2 rows and 2 of padding
    const capped = await variant('batch', 3);
    expect(capped.rows).toEqual([3, 3, 3, 1]);
    for (const other of [fixed1, fixed4, capped]) {
      expect(maxDiff(other.values, symbolic.values)).toBeLessThanOrEqual(1e-6);
    }
    // The node's param reaches the denoiser: at most batch_size rows per call.
    const viaNode = await nodeDenoiser(gaussianDenoiserModel({ shape, means: [mean], std: STD }), {
      batch_size: 3,
    });
    const spy = vi.spyOn(
      // The class behind the factory's type, in the runtime the engine uses: every session's run.
      (onnxRuntime().InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype,
      'run',
    );
    try {
      expect(maxDiff(await denoise(viaNode, x, n, sigma), expected)).toBeLessThan(2e-6);
      const fed = spy.mock.calls.map(([feeds]) => (feeds as Record<string, ort.Tensor>).x!.dims[0]);
      expect(fed).toEqual([3, 3, 3, 1]);
    } finally {
      spy.mockRestore();
    }
    viaNode.dispose();
    expect(() => onnxNode.params.parse({ batch_size: 0 })).toThrow();
  });

  it('takes the time as a scalar [], as [batch], as [batch, 1], and as [1] broadcast over the rows', async () => {
    const shape = [3, 4, 4];
    const d = shapeSize(shape);
    const mean = normal(d, 5);
    const n = 7;
    const x = normal(n * d, 6, 2);
    const cases: Partial<GaussianModelOptions>[] = [
      { time: 'scalar' },
      { time: 'row' },
      { time: 'column' },
      { time: 'row', timeBatch: 1 },
      { time: 'row', timeBatch: 4 }, // x symbolic, the time fixes the batch: calls of 4
      { time: 'column', batch: 4 },
      { time: 'scalar', batch: 4 },
    ];
    for (const options of cases) {
      const denoiser = await nodeDenoiser(
        gaussianDenoiserModel({ shape, means: [mean], std: STD, ...options }),
      );
      for (const sigma of [0.2, 4]) {
        expect(
          maxDiff(await denoise(denoiser, x, n, sigma), gaussianDenoised(x, mean, STD, sigma)),
          JSON.stringify(options),
        ).toBeLessThan(2e-6);
      }
      denoiser.dispose();
    }
  });

  it('feeds the class label to an int64 or int32 input and gets that class’s mean', async () => {
    const shape = [1, 5, 5];
    const d = shapeSize(shape);
    const means = [0, 1, 2].map((k) => normal(d, 10 + k, 1 + k));
    const n = 6;
    const x = normal(n * d, 7);
    const sigma = 1.3;
    const layouts = [
      { type: 'int64', layout: 'row' },
      { type: 'int32', layout: 'row' },
      { type: 'int64', layout: 'column' },
      { type: 'int32', layout: 'scalar' },
    ] as const;
    for (const classInput of layouts) {
      const bytes = gaussianDenoiserModel({ shape, means, std: STD, classInput, batch: 4 });
      for (const label of [2, 0]) {
        const denoiser = await nodeDenoiser(bytes, {
          class_input: MODEL_NAMES.label,
          class_label: label,
        });
        const values = await denoise(denoiser, x, n, sigma);
        const what = `${classInput.type} ${classInput.layout}, label ${label}`;
        expect(maxDiff(values, gaussianDenoised(x, means[label]!, STD, sigma)), what).toBeLessThan(
          2e-6,
        );
        // Not another class's answer.
        expect(maxDiff(values, gaussianDenoised(x, means[1]!, STD, sigma)), what).toBeGreaterThan(
          0.1,
        );
        denoiser.dispose();
      }
    }
  });

  it('runs a float16 model: rows go in and come out as IEEE half, the engine sees float32', async () => {
    const shape = [3, 8, 8];
    const d = shapeSize(shape);
    const mean = normal(d, 20);
    const n = 9;
    const x = normal(n * d, 21, 3);
    const denoiser = await nodeDenoiser(
      gaussianDenoiserModel({ shape, means: [mean], std: STD, float16: true, batch: 4 }),
    );
    const sigma = 0.37; // not a half: the time is rounded too
    const values = await denoise(denoiser, x, n, sigma);
    // What the model computes: half inputs, float32 arithmetic, a half output.
    const halfX = fromFloat16Bits(toFloat16Bits(x));
    const exact = gaussianDenoised(halfX, mean, STD, float16Value(float16Bits(sigma)));
    let worst = 0;
    for (let k = 0; k < values.length; k++) {
      // Within one rounding to half of the exact value (plus float32 noise before it).
      const bound = Math.abs(exact[k]!) * 2 ** -11 + 1e-6;
      worst = Math.max(worst, Math.abs(values[k]! - exact[k]!) / bound);
      expect(float16Value(float16Bits(values[k]!))).toBe(values[k]); // every output is a half
    }
    expect(worst).toBeLessThanOrEqual(1);
    // And it really went through half precision: float32 all the way would be closer.
    expect(maxDiff(values, gaussianDenoised(x, mean, STD, sigma))).toBeGreaterThan(1e-4);
    denoiser.dispose();
  });

  it('picks the output named in output when the model has several', async () => {
    const shape = [2, 3, 3];
    const mean = normal(18, 30);
    const bytes = gaussianDenoiserModel({ shape, means: [mean], std: STD, extraOutput: true });
    await expect(nodeDenoiser(bytes)).rejects.toThrow(
      /has 2 outputs \("denoised", "aux"\); set the output param/,
    );
    const denoiser = await nodeDenoiser(bytes, { output: MODEL_NAMES.output });
    const x = normal(2 * 18, 31);
    expect(
      maxDiff(await denoise(denoiser, x, 2, 0.5), gaussianDenoised(x, mean, STD, 0.5)),
    ).toBeLessThan(2e-6);
    denoiser.dispose();
    await expect(nodeDenoiser(bytes, { output: 'aux' })).rejects.toThrow(
      /the output "aux" is \[batch, 1, 1, 1\] but x is \[batch, 2, 3, 3\]/,
    );
  });
});

describe('ONNX image models: errors name the file, the input and both shapes', () => {
  it('samples of another size: the model’s shape and the samples’ size', async () => {
    const shape = [3, 8, 8];
    const denoiser = await nodeDenoiser(
      gaussianDenoiserModel({ shape, means: [normal(192, 1)], std: STD }),
    );
    const wrong = tf.zeros([2, 784]) as tf.Tensor2D;
    await expect(settle(() => denoiser.denoise(wrong, 1))).rejects.toThrow(
      'model.onnx: input "x" is [batch, 3, 8, 8] (192 values per point) but the samples have ' +
        '784 values per point; give the samples the per-point shape [3, 8, 8]',
    );
    wrong.dispose();
    denoiser.dispose();
  });

  it('wrong names, types, ranks and symbolic sizes', async () => {
    const image = gaussianDenoiserModel({ shape: [3, 8, 8], means: [normal(192, 1)], std: STD });
    await expect(nodeDenoiser(image, { x_input: 'image' })).rejects.toThrow(
      'model.onnx has no input named "image" (param x_input); its inputs are "x", "sigma"',
    );
    await expect(nodeDenoiser(image, { time_input: 't' })).rejects.toThrow(
      /no input named "t" \(param time_input\)/,
    );
    await expect(
      nodeDenoiser(passThroughModel({ x: ['batch', 4], xType: 'int64' })),
    ).rejects.toThrow('model.onnx: the input "x" is int64; x must be float32 or float16');
    await expect(nodeDenoiser(passThroughModel({ x: ['batch', 3, 'h', 'w'] }))).rejects.toThrow(
      'model.onnx: input "x" is [batch, 3, h, w]: every axis after the batch needs a fixed size',
    );
    await expect(
      nodeDenoiser(passThroughModel({ x: ['batch', 1, 1, 1, 1, 1, 1, 1, 1, 2] })),
    ).rejects.toThrow(
      /input "x" is \[batch, 1, 1, 1, 1, 1, 1, 1, 1, 2\]: a point shape has at most 8 axes/,
    );
    await expect(nodeDenoiser(passThroughModel({ x: ['batch', 65536, 65536] }))).rejects.toThrow(
      /more than 67108864 values per point/,
    );
    await expect(nodeDenoiser(passThroughModel({ x: ['batch'] }))).rejects.toThrow(
      /input "x" is \[batch\]; x must be \[batch, \.\.\.per-point shape\]/,
    );
    await expect(
      nodeDenoiser(passThroughModel({ x: ['batch', 4], time: ['batch', 2] })),
    ).rejects.toThrow(
      /the time input "sigma" is \[batch, 2\]; it must be \[\] .*\[batch\] or \[batch, 1\]/,
    );
    await expect(nodeDenoiser(passThroughModel({ x: [4, 4], time: [3] }))).rejects.toThrow(
      /the time input "sigma" is \[3\] but x is \[4, 4\]; its batch must be x's \(4\), 1 or symbolic/,
    );
    // The output's declared rank is not x's: found before any call.
    await expect(
      nodeDenoiser(
        passThroughModel({ x: ['batch', 3, 8, 8], output: ['batch', 192], flatten: true }),
      ),
    ).rejects.toThrow(
      'model.onnx: the output "out" is [batch, 192] but x is [batch, 3, 8, 8]; the prediction must have x\'s shape',
    );
    // Not declared, and the output the model gives has the wrong rank: found by the probe call.
    await expect(
      nodeDenoiser(passThroughModel({ x: ['batch', 3, 8, 8], output: null, flatten: true })),
    ).rejects.toThrow(
      'model.onnx: the output "out" has shape [2, 192] for an input x of shape [2, 3, 8, 8]',
    );
  });
});

describe('ONNX model info and float16', () => {
  it('reads inputs, outputs, element types and dims from the file, without onnxruntime', () => {
    const bytes = gaussianDenoiserModel({
      shape: [3, 8, 8],
      means: [normal(192, 1), normal(192, 2)],
      std: STD,
      time: 'scalar',
      classInput: { type: 'int32', layout: 'column' },
      float16: true,
    });
    const info = readModelInfo(bytes);
    expect(info.inputs).toEqual([
      { name: 'x', type: 'float16', shape: ['batch', 3, 8, 8] },
      { name: 'sigma', type: 'float16', shape: [] },
      { name: 'label', type: 'int32', shape: ['batch', 1] },
    ]);
    expect(info.outputs).toEqual([
      { name: 'denoised', type: 'float16', shape: ['batch', 3, 8, 8] },
    ]);

    // An initializer listed among the inputs (IR < 4) is a weight, not an input.
    const g = new OnnxGraphBuilder('old_style');
    const w = g.constant('w', [1, 2], [2]);
    g.op('Mul', ['x', w], {}, 'y');
    const old = readModelInfo(
      g.toModel(
        [
          { name: 'x', shape: ['n', 2] },
          { name: w, shape: [2] },
        ],
        [{ name: 'y' }],
        { 'principia.time': 'sigma' },
      ),
    );
    expect(old.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['n', 2] }]);
    expect(old.outputs).toEqual([{ name: 'y', type: 'float32' }]); // shape not declared
    expect(old.metadata).toEqual({ 'principia.time': 'sigma' });
    expect(() => readModelInfo(new Uint8Array([0x0a, 0x20, 1, 2]))).toThrow(/malformed protobuf/);
    // Negative int64 varints (ten bytes) read as signed: a dim_value of -1.
    const minusOne = [0x08, ...Array(9).fill(0xff), 0x01];
    expect([...readFields(Uint8Array.from(minusOne))]).toEqual([
      { field: 1, wire: 'varint', value: -1 },
    ]);
    expect([...readFields(Uint8Array.from([0x08, 0x96, 0x01]))]).toEqual([
      { field: 1, wire: 'varint', value: 150 },
    ]);
    expect(() => readModelInfo(new Uint8Array([0x08, 0x08]))).toThrow(/no ONNX graph/);
  });

  it('converts float32 ↔ IEEE half exactly (every half, ties to even, overflow, subnormals)', () => {
    // Collected, not asserted one by one: 65 536 patterns.
    const wrong: string[] = [];
    let roundTrips = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16Value(bits);
      if (Number.isNaN(value)) {
        if ((float16Bits(value) & 0x7c00) !== 0x7c00) wrong.push(`NaN ${bits}`);
        continue;
      }
      if (float16Bits(value) !== bits) wrong.push(`round trip ${bits}`);
      roundTrips++;
      // The midpoint to the next half up (in magnitude) rounds to the even one of the two, and
      // anything past it to the next.
      const next = float16Value(bits + 1);
      if ((bits & 0x7fff) < 0x7bff) {
        const mid = (value + next) / 2;
        if (float16Bits(mid) !== (bits & 1 ? bits + 1 : bits)) wrong.push(`tie ${bits}`);
        if (float16Bits(mid + (next - value) * 2 ** -8) !== bits + 1) wrong.push(`above ${bits}`);
        if (float16Bits(mid - (next - value) * 2 ** -8) !== bits) wrong.push(`below ${bits}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(roundTrips).toBe(0x10000 - 2 * 1023); // all but the NaNs (two signs, 1023 mantissas)
    expect(float16Bits(65519)).toBe(0x7bff); // below the midpoint to 2¹⁶: the largest half
    expect(float16Bits(65520)).toBe(0x7c00); // the midpoint rounds to even: ∞
    expect(float16Bits(-1e9)).toBe(0xfc00);
    expect(float16Bits(2 ** -24)).toBe(1); // smallest subnormal
    expect(float16Bits(2 ** -25)).toBe(0); // a tie, to even: 0
    expect(float16Bits(1.5 * 2 ** -25)).toBe(1);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16DataBits(new Uint16Array([1, 2]))).toEqual(new Uint16Array([1, 2]));
    expect(() => float16DataBits(new Float32Array(2))).toThrow();
  });

  it('rounds float32 to half exactly as onnxruntime’s Cast does', async () => {
    const g = new OnnxGraphBuilder('cast');
    g.op('Cast', ['x'], { to: intAttribute(elementTypeCode('float16')) }, 'y');
    const session = await ort.InferenceSession.create(
      g.toModel(
        [{ name: 'x', shape: ['n'] }],
        [{ name: 'y', shape: ['n'], elementType: 'float16' }],
      ),
      { executionProviders: ['wasm'] },
    );
    // Random magnitudes from subnormal to overflow, and exact midpoints between halves.
    const rng = createRng(9);
    const values = new Float32Array(20000);
    const u = rng.fillNormal(new Float32Array(values.length));
    for (let k = 0; k < values.length; k++) {
      if (k % 2 === 0) values[k] = u[k]! * 2 ** Math.round(u[(k + 1) % values.length]! * 12);
      else {
        const bits = (k * 7919) % 0x7bff;
        values[k] = ((float16Value(bits) + float16Value(bits + 1)) / 2) * (k % 4 === 1 ? 1 : -1);
      }
    }
    const result = await session.run({ x: new ort.Tensor('float32', values, [values.length]) });
    const theirs = float16DataBits(result.y!.data);
    const ours = toFloat16Bits(values);
    let differing = 0;
    for (let k = 0; k < values.length; k++) if (ours[k] !== theirs[k]) differing++;
    expect(differing).toBe(0);
    await session.release();
  });
});

describe('ONNX image models in a graph', () => {
  const shape = [3, 8, 8];
  const d = shapeSize(shape);
  const mean = normal(d, 40);
  const modelBytes = gaussianDenoiserModel({ shape, means: [mean], std: STD, batch: 4 });

  function graph(denoiser: 'onnx' | 'gmm', prior: Record<string, unknown>): GraphDocument {
    const model =
      denoiser === 'onnx'
        ? {
            id: 'denoiser',
            type: 'onnx-denoiser',
            typeVersion: 1,
            params: { path: 'model.onnx', x_input: 'x', time_input: 'sigma', batch_size: 16 },
          }
        : {
            id: 'denoiser',
            type: 'gmm-denoiser',
            typeVersion: 1,
            params: { weights: [1], means: [Array.from(mean)], stds: [STD] },
          };
    return {
      format: 'principia.graph',
      version: 2,
      nodes: [
        { id: 'schedule', type: 'edm-schedule', typeVersion: 1, params: {} },
        {
          id: 'timesteps',
          type: 'karras-timesteps',
          typeVersion: 1,
          params: { steps: 8, sigma_min: 0.002, sigma_max: 80, rho: 7 },
        },
        { id: 'prior', type: 'gaussian-prior', typeVersion: 1, params: { count: 10, ...prior } },
        model,
        { id: 'solver', type: 'solver', typeVersion: 1, params: { algorithm: 'heun' } },
      ],
      edges: [
        {
          from: { node: 'schedule', port: 'schedule' },
          to: { node: 'timesteps', port: 'schedule' },
        },
        {
          from: { node: 'timesteps', port: 'timesteps' },
          to: { node: 'prior', port: 'timesteps' },
        },
        { from: { node: 'prior', port: 'samples' }, to: { node: 'solver', port: 'noise' } },
        { from: { node: 'denoiser', port: 'denoiser' }, to: { node: 'solver', port: 'denoiser' } },
        {
          from: { node: 'timesteps', port: 'timesteps' },
          to: { node: 'solver', port: 'timesteps' },
        },
        ...(denoiser === 'onnx'
          ? [
              {
                from: { node: 'schedule', port: 'schedule' },
                to: { node: 'denoiser', port: 'schedule' },
              },
            ]
          : []),
      ],
    } as GraphDocument;
  }

  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'principia-onnx-'));
    await writeFile(join(folder, 'model.onnx'), modelBytes);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('probeFacts reads the model’s per-point shape from the file', async () => {
    const files = memoryFiles({
      'image.onnx': modelBytes,
      'flat.onnx': gaussianDenoiserModel({ shape: [784], means: [normal(784, 1)], std: STD }),
      'free.onnx': passThroughModel({ x: ['batch', 3, 'h', 'w'] }),
    });
    const probe = (params: Partial<Params>) =>
      onnxNode.probeFacts!({ ...defaults, ...params }, files);
    expect(await probe({ path: 'image.onnx' })).toEqual({
      denoiser: { shape: [3, 8, 8], note: 'image.onnx input "x" is [4, 3, 8, 8]' },
    });
    expect((await probe({ path: 'flat.onnx' })).denoiser?.shape).toEqual([784]);
    expect(await probe({ path: 'free.onnx' })).toEqual({});
    expect(await probe({ path: 'image.onnx', x_input: 'other' })).toEqual({});
    await expect(probe({ path: '' })).rejects.toThrow('set the path param to an .onnx file');
    await expect(probe({ path: 'missing.onnx' })).rejects.toThrow();
  });

  it('reports samples of another shape before any node runs, naming both shapes', async () => {
    const executor = new Executor({ files: nodeFileHost(folder) });
    const plan = compileGraph(graph('onnx', { shape: [1, 28, 28] }), catalogue);
    const probed = executor.probe(plan);
    await expect(probed).rejects.toBeInstanceOf(GraphError);
    await expect(probed).rejects.toThrow(
      'input "noise" (from prior.samples) has per-point shape [1, 28, 28] but input "denoiser" ' +
        '(from denoiser.denoiser: model.onnx input "x" is [4, 3, 8, 8]) has [3, 8, 8]',
    );
    executor.dispose();
  });

  it('samples like the exact gmm-denoiser of the same Gaussian (to 1e-4), for [3, 8, 8] and flat noise', async () => {
    const run = async (doc: GraphDocument) => {
      const executor = new Executor({ files: nodeFileHost(folder) });
      try {
        const plan = await executor.probe(compileGraph(doc, catalogue));
        const summary = await executor.run(plan);
        expect(summary.error).toBeUndefined();
        const samples = executor.output('solver', 'samples') as Samples;
        return { values: new Float32Array(await samples.points.data()), shape: samples.shape };
      } finally {
        executor.dispose();
      }
    };
    const exact = await run(graph('gmm', { shape }));
    const onnx = await run(graph('onnx', { shape }));
    expect(onnx.shape).toEqual(shape);
    expect(onnx.values.length).toBe(10 * d);
    const diff = maxDiff(onnx.values, exact.values);
    console.log(`heun, 8 steps, [3, 8, 8]: max |ONNX − exact| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
    // The samples are near the data (the test can tell a wrong denoiser): mean ≈ μ.
    expect(maxDiff(exact.values.subarray(0, d), mean)).toBeLessThan(5 * STD);
    // Flat noise of the same size meets the image model.
    const flat = await run(graph('onnx', { dim: d }));
    expect(maxDiff(flat.values, exact.values)).toBeLessThan(1e-4);
  });
});
