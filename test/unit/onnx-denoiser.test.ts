// ONNX denoisers: the project's own exporter writes a trained MLP as ONNX; onnxruntime-web runs it
// and the solver loop samples with it through settle/awaitEvaluation, matching the tfjs MLP to
// 1e-4. Malformed files, wrong names and wrong shapes fail on the node with a clear message, and
// the rest of the graph is untouched.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import { settle } from '../../graph-nodes/core/pending';
import { ddpmSchedule } from '../../graph-nodes/schedules/ddpm';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { intAttribute } from '../../graph-nodes/onnx/onnx-graph';
import type { Schedule } from '../../graph-nodes/core/values';
import { createRng } from '../../graph-nodes/math/rng';
import { generateToy2d } from '../../graph-nodes/math/toy-2d';
import { createMlpDenoiser, trainMlpDenoiser } from '../../graph-nodes/neural/mlp-denoiser';
import type { LearnedModel } from '../../graph-nodes/neural/weights-file';
import { exportMlpDenoiserToOnnx } from '../../graph-nodes/onnx/export-mlp-denoiser';
import { OnnxGraphBuilder } from '../../graph-nodes/onnx/onnx-graph';
import onnxNode from '../../graph-nodes/nodes/denoiser/onnx';
import { createCfgDenoiser } from '../../graph-nodes/nodes/guidance/cfg';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { solve } from '../../graph-nodes/solvers/loop';
import { heun } from '../../graph-nodes/solvers/heun';
import { eulerAncestral } from '../../graph-nodes/solvers/euler-ancestral';
import { gaussianNoise } from '../../graph-nodes/solvers/loop';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { makeTestContext, memoryFiles } from './helpers/run-context';

let model: LearnedModel;
let onnxBytes: Uint8Array;

beforeAll(async () => {
  await initNodeBackend('wasm');
  const moons = generateToy2d('two_moons', 500, 2, 0.05);
  model = await trainMlpDenoiser(
    { values: Float32Array.from(moons.points), n: 500, dim: 2 },
    {
      width: 32,
      depth: 2,
      frequencies: 4,
      sigmaData: 1,
      pMean: -1.2,
      pStd: 1.2,
      steps: 200,
      batchSize: 64,
      learningRate: 0.01,
      emaDecay: 0.9,
      seed: 4,
    },
  );
  onnxBytes = exportMlpDenoiserToOnnx(model);
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

const schedule = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
const defaults = onnxNode.params.parse({ path: 'model.onnx' });

async function runNode(
  params: Partial<typeof defaults>,
  bytes: Uint8Array = onnxBytes,
  on: Schedule = schedule,
) {
  const files = memoryFiles({ 'model.onnx': bytes });
  return onnxNode.run({ schedule: on }, makeTestContext({ ...defaults, ...params }, { files }));
}

/** D of a denoiser at one level, for 2 points, through settle (ONNX is asynchronous). */
async function denoiseAt(
  d: { denoise: (x: tf.Tensor2D, s: number) => tf.Tensor2D },
  sigma: number,
) {
  const x = tf.tensor2d([
    [0.3, -0.2],
    [1, 2],
  ]);
  const result = await settle(() => d.denoise(x, sigma));
  const values = Array.from(await result.data());
  tf.dispose([x, result]);
  return values;
}

/** A model "out = x·time (+ label)": what it was fed is readable from its output. */
function probeModel(withLabel: boolean): Uint8Array {
  const g = new OnnxGraphBuilder('probe');
  const column = g.int64Constant('column', [-1, 1]);
  const scaled = g.op('Mul', ['x', g.op('Reshape', ['time', column])]);
  if (withLabel) {
    const label = g.op('Reshape', [g.op('Cast', ['label'], { to: intAttribute(1) }), column]);
    g.op('Add', [scaled, label], {}, 'out');
  } else {
    g.op('Identity', [scaled], {}, 'out');
  }
  return g.toModel(
    [
      { name: 'x', shape: ['batch', 2] },
      { name: 'time', shape: ['batch'] },
      ...(withLabel ? [{ name: 'label', shape: ['batch'], elementType: 'int64' as const }] : []),
    ],
    [{ name: 'out', shape: ['batch', 2] }],
  );
}

async function sample(
  denoiser: Parameters<typeof solve>[0]['denoiser'],
  algorithm = heun,
): Promise<Float32Array> {
  const start = tf.tensor2d(
    createRng(8)
      .fillNormal(new Float32Array(200 * 2))
      .map((z) => 80 * z),
    [200, 2],
  );
  const { samples } = await solve({
    algorithm,
    denoiser,
    timesteps: timestepsFromSigmas(schedule, karrasSigmas(13, 0.002, 80, 7)),
    x: start,
    noise: gaussianNoise(3),
    hooks: makeTestContext({}),
  });
  const values = new Float32Array(await samples.data());
  tf.dispose([samples, start]);
  return values;
}

const maxDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k]!)), 0);

describe('ONNX denoiser', () => {
  it('gives the same samples as the tfjs MLP it was exported from (heun and euler_ancestral)', async () => {
    const { denoiser: onnx } = await runNode({});
    const mlp = createMlpDenoiser(model);
    const tensorsBefore = tf.memory().numTensors;
    for (const algorithm of [heun, eulerAncestral]) {
      const a = await sample(mlp, algorithm);
      const b = await sample(onnx, algorithm);
      const diff = maxDiff(a, b);
      console.log(
        `${algorithm.name}: max |ONNX − tfjs| over 200 samples = ${diff.toExponential(2)}`,
      );
      expect(diff).toBeLessThan(1e-4);
      expect(a.every(Number.isFinite)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    mlp.dispose();
    onnx.dispose();
  });

  it('works inside guidance: CFG over two ONNX models samples as CFG over their tfjs twins', async () => {
    // The same network twice under different declared predictions makes two different denoisers.
    const { denoiser: onnxX0 } = await runNode({});
    const { denoiser: onnxEps } = await runNode({ prediction: 'epsilon' });
    const mlp = createMlpDenoiser(model);
    // An ε reading of the MLP's output, built from the tfjs MLP: x̂₀ = x̃ − σ̃ · out.
    const mlpEps = {
      dim: 2,
      denoise: (x: tf.Tensor2D, sigma: number) =>
        tf.tidy(() => tf.sub(x, tf.mul(mlp.denoise(x, sigma), sigma)) as tf.Tensor2D),
      dispose: () => {},
    };
    const a = await sample(createCfgDenoiser(onnxX0, onnxEps, 1.5));
    const b = await sample(createCfgDenoiser(mlp, mlpEps, 1.5));
    expect(maxDiff(a, b)).toBeLessThan(1e-4);
    [onnxX0, onnxEps, mlp].forEach((d) => d.dispose());
  });

  it('converts other time meanings and predictions through the schedule', async () => {
    // The same model declared as predicting ε gives x̂₀ = x − σ̃·out (EDM: α = 1).
    const { denoiser: asX0 } = await runNode({});
    const { denoiser: asEps } = await runNode({ prediction: 'epsilon' });
    const x = tf.tensor2d([
      [0.3, -0.2],
      [1, 2],
    ]);
    const denoiseOnce = async (d: typeof asX0): Promise<Float32Array> => {
      const result = await settle(() => d.denoise(x, 0.7));
      const values = new Float32Array(await result.data());
      result.dispose();
      return values;
    };
    const raw = await denoiseOnce(asX0);
    const eps = await denoiseOnce(asEps);
    const xs = [0.3, -0.2, 1, 2];
    eps.forEach((v, k) => expect(v).toBeCloseTo(xs[k]! - 0.7 * raw[k]!, 5));
    x.dispose();
    asX0.dispose();
    asEps.dispose();
  });

  it('feeds the time as σ̃, as t in [0, 1] or as a table step, and the class label', async () => {
    const xs = [0.3, -0.2, 1, 2];
    // EDM, time = σ̃ = 0.7, x = x̃: out = 0.7·x̃.
    const { denoiser: bySigma } = await runNode({ time_input: 'time' }, probeModel(false));
    (await denoiseAt(bySigma, 0.7)).forEach((v, k) => expect(v).toBeCloseTo(0.7 * xs[k]!, 5));
    bySigma.dispose();

    // Rectified flow, σ̃ = 1 ⇔ t = 0.5, α = 0.5: out = t·(α x̃) = 0.25 x̃.
    const rf = rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 0.999 });
    const { denoiser: byT } = await runNode(
      { time_input: 'time', time_meaning: 't' },
      probeModel(false),
      rf,
    );
    (await denoiseAt(byT, 1)).forEach((v, k) => expect(v).toBeCloseTo(0.25 * xs[k]!, 4));
    byT.dispose();

    // DDPM table: the step whose σ̃ is picked is fed as the time.
    const ddpm = ddpmSchedule({
      betaSchedule: 'linear',
      betaStart: 0.0001,
      betaEnd: 0.02,
      trainSteps: 1000,
      zeroTerminalSnr: false,
    });
    const sigma = ddpm.discreteSigmas![400]!;
    const alpha = ddpm.alpha(400);
    const { denoiser: byStep } = await runNode(
      { time_input: 'time', time_meaning: 'step' },
      probeModel(false),
      ddpm,
    );
    (await denoiseAt(byStep, sigma)).forEach((v, k) =>
      expect(v / (alpha * xs[k]!)).toBeCloseTo(400, 2),
    );
    byStep.dispose();
    await expect(
      runNode({ time_input: 'time', time_meaning: 't' }, probeModel(false)),
    ).rejects.toThrow(
      /time_meaning "t" expects times in \[0, 1\], but the edm schedule runs from 0.002 to 80/,
    );

    // The class label reaches its int64 input: out = σ̃ x̃ + label.
    const { denoiser: labelled } = await runNode(
      { time_input: 'time', class_input: 'label', class_label: 3 },
      probeModel(true),
    );
    (await denoiseAt(labelled, 0.5)).forEach((v, k) => expect(v).toBeCloseTo(0.5 * xs[k]! + 3, 5));
    labelled.dispose();
    await expect(runNode({ time_input: 'time' }, probeModel(true))).rejects.toThrow(
      /also needs the input "label"; name it in x_input, time_input or class_input/,
    );
  });

  it('says what is wrong with a malformed file, a wrong input name, or wrong shapes', async () => {
    await expect(runNode({}, new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(
      /"model\.onnx" is not an ONNX model onnxruntime can load/,
    );
    await expect(runNode({ x_input: 'input' })).rejects.toThrow(
      /has no input named "input" \(param x_input\); its inputs are "x", "sigma"/,
    );
    await expect(runNode({ time_input: 'x' })).rejects.toThrow(/also needs the input "sigma"/);
    await expect(runNode({ output: 'eps' })).rejects.toThrow(/no output named "eps"/);
    await expect(runNode({ time_meaning: 'step' })).rejects.toThrow(
      /needs a discrete \(table\) schedule/,
    );

    // A model whose output has 3 columns for 2-D x: found from its declared output, and, where
    // it declares none, by the probe run.
    const wrongOutput = (declared: boolean) => {
      const g = new OnnxGraphBuilder('wrong_shape');
      const w = g.constant('w', new Float32Array(6).fill(0.5), [2, 3]);
      g.op('MatMul', ['x', w], {}, 'out');
      return g.toModel(
        [
          { name: 'x', shape: ['batch', 2] },
          { name: 'sigma', shape: ['batch'] },
        ],
        [declared ? { name: 'out', shape: ['batch', 3] } : { name: 'out' }],
      );
    };
    await expect(runNode({}, wrongOutput(true))).rejects.toThrow(
      /the output "out" is \[batch, 3\] but x is \[batch, 2\]; the prediction must have x's shape/,
    );
    await expect(runNode({}, wrongOutput(false))).rejects.toThrow(
      /the output "out" has shape \[2, 3\] for an input x of shape \[2, 2\]/,
    );
    // x without a batch axis.
    const h = new OnnxGraphBuilder('rank1');
    h.op('Identity', ['x'], {}, 'out');
    const rank1 = h.toModel(
      [
        { name: 'x', shape: [2] },
        { name: 'sigma', shape: ['batch'] },
      ],
      [{ name: 'out', shape: [2] }],
    );
    await expect(runNode({}, rank1)).rejects.toThrow(
      /input "x" is \[2\]; x must be \[batch, \.\.\.per-point shape\]/,
    );
  });

  it('takes x of any rank: [batch, 2, 1] is points of shape [2, 1], fed and read back flat', async () => {
    const h = new OnnxGraphBuilder('rank3');
    h.op('Mul', ['x', h.op('Reshape', ['sigma', h.int64Constant('s', [-1, 1, 1])])], {}, 'out');
    const rank3 = h.toModel(
      [
        { name: 'x', shape: ['batch', 2, 1] },
        { name: 'sigma', shape: ['batch'] },
      ],
      [{ name: 'out', shape: ['batch', 2, 1] }],
    );
    const { denoiser } = await runNode({}, rank3);
    expect(denoiser.dim).toBe(2);
    expect(denoiser.shape).toEqual([2, 1]);
    const xs = [0.3, -0.2, 1, 2];
    (await denoiseAt(denoiser, 0.7)).forEach((v, k) => expect(v).toBeCloseTo(0.7 * xs[k]!, 5));
    denoiser.dispose();
  });

  it('fails on its node in a graph, naming it, while the other nodes still run', async () => {
    const graph: GraphDocument = {
      format: 'principia.graph',
      version: 2,
      nodes: [
        { id: 'schedule', type: 'edm-schedule', typeVersion: 1, params: {} },
        { id: 'model', type: 'onnx-denoiser', typeVersion: 1, params: { path: 'bad.onnx' } },
        { id: 'data', type: 'toy-data-2d', typeVersion: 1, params: { count: 10 } },
      ],
      edges: [
        { from: { node: 'schedule', port: 'schedule' }, to: { node: 'model', port: 'schedule' } },
      ],
    } as GraphDocument;
    const executor = new Executor({ files: memoryFiles({ 'bad.onnx': new Uint8Array([0, 1]) }) });
    const summary = await executor.run(compileGraph(graph, catalogue), {
      targets: ['model'],
    });
    expect(summary.ok).toBe(false);
    expect(summary.error?.nodeId).toBe('model');
    expect(summary.error?.message).toMatch(/"bad\.onnx" is not an ONNX model/);
    const other = await executor.run(compileGraph(graph, catalogue), { targets: ['data'] });
    expect(other.ok).toBe(true);
    executor.dispose();
  });
});
