// The oracles' analytic Jacobians (reference §10) against central finite differences of their own
// float64 D, and the differencing path that learned denoisers take against the analytic one.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosedFormDenoiser, Denoiser } from '../../graph-nodes/core/values';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import { createGmmDenoiser, gmmLogDensity } from '../../graph-nodes/denoisers/gmm';
import { jacobianEstimator, rademacherProbes } from '../../graph-nodes/likelihood/divergence';
import { createRng } from '../../graph-nodes/math/rng';

const MIXTURE = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-1.5, 0, 0.5],
    [1.5, 0.5, -0.5],
    [0, 2, 0],
  ],
  stds: [0.4, 0.6, 0],
};
const DIM = 3;

let gmm: Denoiser;
let empirical: Denoiser;
let dataPoints: tf.Tensor2D;
let data: Float64Array;
const rng = createRng(5);
const POINTS = Float64Array.from({ length: 6 * DIM }, () => 1.5 * rng.normal());

beforeAll(async () => {
  await tf.setBackend('cpu');
  gmm = createGmmDenoiser(MIXTURE);
  data = Float64Array.from({ length: 40 * DIM }, () => rng.normal());
  dataPoints = tf.tensor2d(Float32Array.from(data), [40, DIM]);
  // Float32 data on the tensor: the closed form reads the same float32-rounded points.
  data = Float64Array.from(dataPoints.dataSync());
  empirical = createEmpiricalDenoiser(dataPoints, undefined, { threads: 1 });
});
afterAll(() => {
  gmm.dispose();
  empirical.dispose();
  dataPoints.dispose();
});

/** vᵀ (D(x + h v) − D(x − h v))/(2h) for one row, from the closed form's own D. */
function differencedQuadratic(
  closedForm: ClosedFormDenoiser,
  x: Float64Array,
  v: Float64Array,
  sigma: number,
  h: number,
): number {
  const plus = x.map((value, j) => value + h * v[j]!);
  const minus = x.map((value, j) => value - h * v[j]!);
  const dPlus = closedForm.denoiseWithJacobian(plus, sigma).denoised;
  const dMinus = closedForm.denoiseWithJacobian(minus, sigma).denoised;
  return v.reduce((sum, vj, j) => sum + (vj * (dPlus[j]! - dMinus[j]!)) / (2 * h), 0);
}

describe.each([
  ['Gaussian mixture', () => gmm],
  ['empirical data', () => empirical],
])('the %s denoiser’s closed form', (_name, denoiserOf) => {
  it.each([0.05, 0.3, 1, 5])(
    'gives tr J and zᵀJz equal to central differences at σ̃ = %s',
    (sigma) => {
      const closedForm = denoiserOf().closedForm!;
      const rows = POINTS.length / DIM;
      const { jacobian: trace } = closedForm.denoiseWithJacobian(POINTS, sigma);
      const probes = rademacherProbes(rows, 3, DIM, 1);
      const { jacobian: quadratic } = closedForm.denoiseWithJacobian(POINTS, sigma, probes);
      const h = 1e-4 * sigma;
      let worst = 0;
      for (let i = 0; i < rows; i++) {
        const x = POINTS.slice(i * DIM, (i + 1) * DIM);
        let differencedTrace = 0;
        for (let j = 0; j < DIM; j++) {
          const axis = new Float64Array(DIM);
          axis[j] = 1;
          differencedTrace += differencedQuadratic(closedForm, x, axis, sigma, h);
        }
        const scale = 1 + Math.abs(differencedTrace);
        worst = Math.max(worst, Math.abs(trace[i]! - differencedTrace) / scale);
        for (let p = 0; p < 3; p++) {
          const z = probes.vectors.slice((i * 3 + p) * DIM, (i * 3 + p + 1) * DIM);
          const expected = differencedQuadratic(closedForm, x, z, sigma, h);
          worst = Math.max(
            worst,
            Math.abs(quadratic[i * 3 + p]! - expected) / (1 + Math.abs(expected)),
          );
        }
      }
      expect(worst).toBeLessThan(1e-6);
    },
  );

  it('has the same D as the float32 denoiser', () => {
    const denoiser = denoiserOf();
    for (const sigma of [0.05, 1, 20]) {
      const input = tf.tensor2d(Float32Array.from(POINTS), [POINTS.length / DIM, DIM]);
      const tensorD = denoiser.denoise(input, sigma);
      const closedD = denoiser.closedForm!.denoiseWithJacobian(
        Float64Array.from(input.dataSync()),
        sigma,
      ).denoised;
      const values = tensorD.dataSync();
      closedD.forEach((value, k) => expect(Math.abs(value - values[k]!)).toBeLessThan(1e-5));
      tf.dispose([input, tensorD]);
    }
  });
});

describe('the closed-form densities', () => {
  it('of the mixture are gmmLogDensity', () => {
    const expected = gmmLogDensity(MIXTURE, POINTS, 0.7);
    const got = gmm.closedForm!.logDensity(POINTS, 0.7);
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12));
  });

  it('of the empirical data are log Σ_i w_i N(x̃; y_i, σ̃² I)', () => {
    const sigma = 0.4;
    const got = empirical.closedForm!.logDensity(POINTS, sigma);
    for (let row = 0; row < POINTS.length / DIM; row++) {
      let sum = 0;
      for (let k = 0; k < data.length / DIM; k++) {
        let squared = 0;
        for (let j = 0; j < DIM; j++) squared += (POINTS[row * DIM + j]! - data[k * DIM + j]!) ** 2;
        sum += Math.exp(-squared / (2 * sigma * sigma)) / 40;
      }
      const expected = Math.log(sum) - (DIM / 2) * Math.log(2 * Math.PI * sigma * sigma);
      expect(got[row]).toBeCloseTo(expected, 10);
    }
  });
});

describe('a denoiser without a closed form (a learned model)', () => {
  it('gets tr J and zᵀJz by central differences of its float32 D, close to the analytic values', async () => {
    const opaque: Denoiser = { dim: DIM, denoise: (x, s) => gmm.denoise(x, s), dispose() {} };
    const rows = POINTS.length / DIM;
    for (const method of ['exact', 'hutchinson'] as const) {
      const options = { method, probes: 4, seed: 2 };
      const differenced = jacobianEstimator(opaque, rows, DIM, options);
      const analytic = jacobianEstimator(gmm, rows, DIM, options);
      expect(differenced.analytic).toBe(false);
      expect(analytic.analytic).toBe(true);
      expect(differenced.evaluationsPerCall).toBe(method === 'exact' ? 1 + 2 * DIM : 1 + 2 * 4);
      for (const sigma of [0.1, 1, 10]) {
        const want = (await analytic.evaluate(POINTS, sigma)).jacobian;
        const got = (await differenced.evaluate(POINTS, sigma)).jacobian;
        expect(got.length).toBe(want.length);
        got.forEach((value, k) =>
          expect(Math.abs(value - want[k]!)).toBeLessThan(2e-3 * (1 + Math.abs(want[k]!))),
        );
      }
    }
  });
});
