import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schedule } from '../../graph-nodes/core/values';
import { createGmmDenoiser, gmmLogDensity, type GmmParams } from '../../graph-nodes/denoisers/gmm';
import {
  PREDICTIONS,
  coefficientsAt,
  convertPrediction,
  denoiserFromModel,
  fromDenoised,
  toDenoised,
  type Coefficients,
  type Prediction,
} from '../../graph-nodes/math/parameterization';
import { createRng } from '../../graph-nodes/math/rng';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { veSchedule } from '../../graph-nodes/schedules/ve';
import { vpCosineSchedule } from '../../graph-nodes/schedules/vp-cosine';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';

let tensorsAtStart = 0;
let worstRoundTrip = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  tensorsAtStart = tf.memory().numTensors;
});
afterAll(() => {
  console.log(`worst round-trip relative error: ${worstRoundTrip.toExponential(2)}`);
  expect(tf.memory().numTensors).toBe(tensorsAtStart);
});

const schedules: Record<string, Schedule> = {
  'vp-linear': vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 }),
  'vp-cosine': vpCosineSchedule({ s: 0.008, tMin: 1e-3, tMax: 0.9946 }),
  edm: edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
  ve: veSchedule({ sigmaMin: 0.01, sigmaMax: 50 }),
  'rectified-flow': rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 0.999 }),
  'rectified-flow shift 3': rectifiedFlowSchedule({ shift: 3, tMin: 1e-3, tMax: 0.999 }),
};

/** Times across the schedule's range, ends included. */
function timesOf(schedule: Schedule): number[] {
  const { tMin, tMax } = schedule;
  return [0, 0.1, 0.5, 0.9, 1].map((f) => tMin + f * (tMax - tMin));
}

const mixture: GmmParams = {
  weights: [3, 2, 2, 1.5, 1.5],
  means: [
    [-3, 0],
    [3, 1],
    [0, 3.5],
    [0.5, -3],
    [-2, -2.5],
  ],
  stds: [0.5, 0.3, 0.8, 0.2, 0.4],
};

function normals(count: number, seed: number): Float32Array {
  return createRng(seed).fillNormal(new Float32Array(count));
}

function valuesOf(tensor: tf.Tensor): Float64Array {
  const values = Float64Array.from(tensor.dataSync());
  tensor.dispose();
  return values;
}

/** max |a − b| / (1 + max |b|): error relative to the expected scale. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largestDifference = 0;
  let largestExpected = 0;
  for (let i = 0; i < a.length; i++) {
    largestDifference = Math.max(largestDifference, Math.abs(a[i]! - b[i]!));
    largestExpected = Math.max(largestExpected, Math.abs(b[i]!));
  }
  return largestDifference / (1 + largestExpected);
}

/** x₀, ε and x = α x₀ + σ ε for one time, as float64 arrays and tensors. */
function forwardProcess(c: Coefficients, n: number, seed: number) {
  const x0 = Float64Array.from(normals(2 * n, seed), (v) => 2 * v);
  const epsilon = Float64Array.from(normals(2 * n, seed + 1));
  const x = x0.map((v, i) => c.alpha * v + c.sigma * epsilon[i]!);
  return {
    x0,
    epsilon,
    x,
    xTensor: tf.tensor2d(Float32Array.from(x), [n, 2]),
    x0Tensor: tf.tensor2d(Float32Array.from(x0), [n, 2]),
  };
}

/** What each prediction should be for known x₀ and ε (the definitions, in float64). */
function truePrediction(
  prediction: Prediction,
  c: Coefficients,
  x0: number,
  epsilon: number,
): number {
  switch (prediction) {
    case 'x0':
      return x0;
    case 'epsilon':
      return epsilon;
    case 'score':
      return -epsilon / c.sigma;
    case 'v':
      return c.alpha * epsilon - c.sigma * x0;
    case 'velocity':
      return c.alphaDot * x0 + c.sigmaDot * epsilon;
  }
}

describe.each(Object.entries(schedules))('conversions on the %s schedule', (_name, schedule) => {
  it('fromDenoised gives each prediction of the forward process x = αx₀ + σε', () => {
    for (const t of timesOf(schedule)) {
      const c = coefficientsAt(schedule, t);
      const { x0, epsilon, xTensor, x0Tensor } = forwardProcess(c, 16, 3);
      for (const prediction of PREDICTIONS) {
        const actual = valuesOf(fromDenoised(prediction, x0Tensor, xTensor, c));
        const expected = x0.map((v, i) => truePrediction(prediction, c, v, epsilon[i]!));
        // Relative to the prediction's own scale; a σ̃ up to ~1e3 costs float32 a few digits.
        expect(relativeError(actual, expected), `${prediction} at t = ${t}`).toBeLessThan(2e-4);
      }
      tf.dispose([xTensor, x0Tensor]);
    }
  });

  it('toDenoised recovers x₀ from every prediction of the forward process', () => {
    for (const t of timesOf(schedule)) {
      const c = coefficientsAt(schedule, t);
      const { x0, epsilon, xTensor, x0Tensor } = forwardProcess(c, 16, 5);
      for (const prediction of PREDICTIONS) {
        const output = x0.map((v, i) => truePrediction(prediction, c, v, epsilon[i]!));
        const outputTensor = tf.tensor2d(Float32Array.from(output), [16, 2]);
        const actual = valuesOf(toDenoised(prediction, outputTensor, xTensor, c));
        outputTensor.dispose();
        // x̂₀ from x/α loses |x|/α·2⁻²⁴ at large σ̃, hence the looser bound there.
        const tolerance = 1e-5 * (1 + c.sigma / c.alpha);
        expect(relativeError(actual, x0), `${prediction} at t = ${t}`).toBeLessThan(tolerance);
      }
      tf.dispose([xTensor, x0Tensor]);
    }
  });

  it('round-trips every pair of predictions', () => {
    for (const t of timesOf(schedule)) {
      const c = coefficientsAt(schedule, t);
      const sigmaTilde = c.sigma / c.alpha;
      const { xTensor, x0Tensor } = forwardProcess(c, 8, 11);
      for (const from of PREDICTIONS) {
        const start = fromDenoised(from, x0Tensor, xTensor, c);
        const startValues = Float64Array.from(start.dataSync());
        for (const to of PREDICTIONS) {
          const back = tf.tidy(() =>
            convertPrediction(to, from, convertPrediction(from, to, start, xTensor, c), xTensor, c),
          );
          const error = relativeError(valuesOf(back), startValues);
          worstRoundTrip = Math.max(worstRoundTrip, error);
          // Through D, ε̂ = (x − αD)/σ cancels at small σ̃ and D = (x − σε̂)/α at large σ̃.
          const conditioning = 2 + sigmaTilde + 1 / sigmaTilde;
          expect(error, `${from} → ${to} → ${from} at t = ${t}`).toBeLessThan(1e-6 * conditioning);
        }
        start.dispose();
      }
      tf.dispose([xTensor, x0Tensor]);
    }
  });
});

/** ∇ log p of the noised mixture at x̃, by float64 central differences of its log density. */
function finiteDifferenceScore(xTilde: Float32Array, sigmaTilde: number): Float64Array {
  const step = 1e-4 * Math.max(sigmaTilde, 0.1);
  const gradient = new Float64Array(xTilde.length);
  for (let j = 0; j < 2; j++) {
    const plus = Float64Array.from(xTilde);
    const minus = Float64Array.from(xTilde);
    for (let i = j; i < xTilde.length; i += 2) {
      plus[i]! += step;
      minus[i]! -= step;
    }
    const logPlus = gmmLogDensity(mixture, plus, sigmaTilde);
    const logMinus = gmmLogDensity(mixture, minus, sigmaTilde);
    for (let i = 0; i < logPlus.length; i++) {
      gradient[2 * i + j] = (logPlus[i]! - logMinus[i]!) / (2 * step);
    }
  }
  return gradient;
}

describe('conversions of the exact GMM denoiser', () => {
  const vp = schedules['vp-linear']!;

  it.each([0.05, 0.3, 0.6])(
    'give the exact score (Tweedie) and the PF-ODE velocity f x − ½g² s on VP at t = %s',
    (t) => {
      const c = coefficientsAt(vp, t);
      const sigmaTilde = vp.sigmaTilde(t);
      const xTilde = Float32Array.from(normals(64, 21), (v) => 3 * v);
      // The native density is p_t(x) = p̃(x/α)/α^d, so ∇_x log p_t = ∇_x̃ log p̃ / α.
      const exactScore = finiteDifferenceScore(xTilde, sigmaTilde).map((g) => g / c.alpha);
      const drift = c.alphaDot / c.alpha; // f
      const diffusionSquared = 2 * c.sigma * c.sigmaDot - 2 * drift * c.sigma * c.sigma; // g²
      const exactVelocity = exactScore.map(
        (s, i) => drift * c.alpha * xTilde[i]! - 0.5 * diffusionSquared * s,
      );

      const gmm = createGmmDenoiser(mixture);
      const [score, velocity] = tf.tidy(() => {
        const xTildeTensor = tf.tensor2d(xTilde, [32, 2]);
        const x = tf.mul(xTildeTensor, c.alpha) as tf.Tensor2D;
        const denoised = gmm.denoise(xTildeTensor, sigmaTilde);
        return [fromDenoised('score', denoised, x, c), fromDenoised('velocity', denoised, x, c)];
      });
      gmm.dispose();
      expect(relativeError(valuesOf(score), exactScore)).toBeLessThan(1e-4);
      expect(relativeError(valuesOf(velocity), exactVelocity)).toBeLessThan(1e-4);
    },
  );

  it.each(Object.entries(schedules))(
    'wrapped as each prediction type by denoiserFromModel gives the same D on %s',
    (_name, schedule) => {
      const gmm = createGmmDenoiser(mixture);
      const xTilde = tf.tensor2d(
        Float32Array.from(normals(64, 31), (v) => 3 * v),
        [32, 2],
      );
      let worst = 0;
      for (const prediction of PREDICTIONS) {
        // A "model" in native (x, t) that predicts `prediction` exactly.
        const model = denoiserFromModel({
          prediction,
          schedule,
          dim: 2,
          predict: (x, t) =>
            tf.tidy(() => {
              const c = coefficientsAt(schedule, t);
              const denoised = gmm.denoise(
                tf.div(x, c.alpha) as tf.Tensor2D,
                schedule.sigmaTilde(t),
              );
              return fromDenoised(prediction, denoised, x, c);
            }),
        });
        for (const t of timesOf(schedule).slice(1, 4)) {
          const sigmaTilde = schedule.sigmaTilde(t);
          const expected = valuesOf(gmm.denoise(xTilde, sigmaTilde));
          const actual = valuesOf(model.denoise(xTilde, sigmaTilde));
          const error = relativeError(actual, expected);
          worst = Math.max(worst, error);
          expect(error, `${prediction} at σ̃ = ${sigmaTilde}`).toBeLessThan(
            1e-5 * (2 + sigmaTilde + 1 / sigmaTilde),
          );
        }
        model.dispose();
      }
      tf.dispose(xTilde);
      gmm.dispose();
      console.log(
        `denoiserFromModel on ${schedule.name}: worst relative error ${worst.toExponential(2)}`,
      );
    },
  );
});

describe('conversion errors', () => {
  it('refuses a conversion that divides by zero, naming it', () => {
    const atNoise: Coefficients = { alpha: 0, sigma: 1, alphaDot: -1, sigmaDot: 1 };
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => toDenoised('epsilon', x, x, atNoise)).toThrow(/x̂₀ from a epsilon prediction/);
    // Velocity stays defined at α = 0 (RF's t = 1: D = x − t u with Δ = 1).
    const denoised = toDenoised('velocity', x, x, atNoise);
    expect(Array.from(denoised.dataSync())).toEqual([0, 0]);
    tf.dispose([x, denoised]);
  });

  it('reports a σ̃ outside the schedule before calling the model', () => {
    let calls = 0;
    const model = (schedule: Schedule) =>
      denoiserFromModel({
        prediction: 'epsilon',
        schedule,
        dim: 2,
        predict: (x) => {
          calls++;
          return x.clone();
        },
      });
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    // VE never reaches σ̃ = 0 (t = −∞); rectified flow reaches σ̃ = ∞ at t = 1, where α = 0.
    expect(() => model(schedules.ve!).denoise(x, 0)).toThrow(/no time for σ̃ = 0/);
    expect(() => model(schedules['rectified-flow']!).denoise(x, Infinity)).toThrow(
      /epsilon prediction at σ̃ = Infinity \(t = 1\) is undefined at α = 0/,
    );
    expect(calls).toBe(0);
    x.dispose();
  });
});
