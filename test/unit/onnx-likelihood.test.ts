// Hutchinson and the differenced trace work for any denoiser, ONNX included: an ONNX model of the
// exact denoiser of N(μ, s² I) (asynchronous, float32) gives the log-likelihood the same Gaussian
// has in closed form, to the differences' error.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Denoiser } from '../../graph-nodes/core/values';
import { createGmmDenoiser } from '../../graph-nodes/denoisers/gmm';
import { pfOdeLogLikelihood } from '../../graph-nodes/likelihood/pf-ode-likelihood';
import { createRng } from '../../graph-nodes/math/rng';
import onnxNode from '../../graph-nodes/nodes/denoiser/onnx';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { gaussianDenoiserModel, MODEL_NAMES } from './helpers/onnx-test-models';
import { makeTestContext, memoryFiles } from './helpers/run-context';

const DIM = 3;
const STD = 0.7;
const MEAN = Float32Array.of(0.5, -1, 0.25);
let onnx: Denoiser;

beforeAll(async () => {
  await initNodeBackend('wasm');
  const files = memoryFiles({
    'model.onnx': gaussianDenoiserModel({ shape: [DIM], means: [MEAN], std: STD }),
  });
  const params = onnxNode.params.parse({
    path: 'model.onnx',
    x_input: MODEL_NAMES.x,
    time_input: MODEL_NAMES.time,
  });
  // EDM: α = 1 and the time fed is σ̃ itself, so D(x̃; σ̃) is the model's output unchanged.
  const schedule = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
  ({ denoiser: onnx } = await onnxNode.run({ schedule }, makeTestContext(params, { files })));
});
afterAll(async () => {
  onnx.dispose();
  await initNodeBackend('cpu');
});

describe('the PF-ODE log-likelihood of an ONNX denoiser', () => {
  it('matches the closed form by differences and by Hutchinson', async () => {
    expect(onnx.closedForm).toBeUndefined();
    const rng = createRng(8);
    const points = Float64Array.from({ length: 4 * DIM }, (_, k) => MEAN[k % DIM]! + rng.normal());
    const options = {
      sigmaMin: 0.002,
      sigmaMax: 80,
      probes: 16,
      seed: 1,
      prior: 'gaussian' as const,
      rtol: 1e-6,
      atol: 1e-6,
    };
    const oracle = createGmmDenoiser({ weights: [1], means: [[...MEAN]], stds: [STD] });
    const exact = await pfOdeLogLikelihood(oracle, points, DIM, {
      ...options,
      divergence: 'exact',
    });
    const differenced = await pfOdeLogLikelihood(onnx, points, DIM, {
      ...options,
      divergence: 'exact',
    });
    const hutchinson = await pfOdeLogLikelihood(onnx, points, DIM, {
      ...options,
      divergence: 'hutchinson',
    });
    expect(differenced.analyticJacobian).toBe(false);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(differenced.logDensity[i]! - exact.logDensity[i]!)).toBeLessThan(2e-3);
      // J = s²/(s² + σ̃²) I is isotropic, so zᵀJz = tr J for every Rademacher z: no spread, and
      // only what float32 and the differences add.
      expect(hutchinson.standardError[i]).toBeLessThan(1e-4);
      expect(Math.abs(hutchinson.logDensity[i]! - exact.logDensity[i]!)).toBeLessThan(2e-3);
    }
    console.info(
      `ONNX: differenced exact off by ${Math.max(...differenced.logDensity.map((v, i) => Math.abs(v - exact.logDensity[i]!))).toExponential(2)} nats; ` +
        `Hutchinson off by ${Math.max(...hutchinson.logDensity.map((v, i) => Math.abs(v - exact.logDensity[i]!))).toExponential(2)}`,
    );
    oracle.dispose();
    expect(tf.memory().numTensors).toBeLessThan(100);
  });
});
