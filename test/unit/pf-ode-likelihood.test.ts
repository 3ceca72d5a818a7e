// The flow view made measurable: the PF-ODE log-likelihood against the closed form (exact prior),
// against an independent fixed-step float64 integration written here (Gaussian prior), and
// Hutchinson's estimate against the exact trace with an honest standard error.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Denoiser } from '../../graph-nodes/core/values';
import { createGmmDenoiser, type GmmParams } from '../../graph-nodes/denoisers/gmm';
import {
  bitsPerDimension,
  DEFAULT_LIKELIHOOD_TOLERANCE,
  pfOdeLogLikelihood,
  type PfOdeLikelihoodOptions,
} from '../../graph-nodes/likelihood/pf-ode-likelihood';
import { createRng } from '../../graph-nodes/math/rng';

const MIXTURE: GmmParams = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-1.5, 0],
    [1.5, 0.5],
    [0, 2],
  ],
  stds: [0.4, 0.6, 0.3],
};
const DIM = 2;
const SIGMA_MIN = 0.002;
const SIGMA_MAX = 80;

/** n points drawn from the mixture (row-major). */
function drawFromMixture(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const total = MIXTURE.weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(n * DIM);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform() * total;
    let k = 0;
    while (k < MIXTURE.weights.length - 1 && u >= MIXTURE.weights[k]!) u -= MIXTURE.weights[k++]!;
    for (let j = 0; j < DIM; j++)
      out[i * DIM + j] = MIXTURE.means[k]![j]! + MIXTURE.stds[k]! * rng.normal();
  }
  return out;
}

/** log Σ_k w_k N(x; μ_k, (s_k² + σ²) I), written here from the definition. */
function closedFormLogDensity(x: ArrayLike<number>, sigma: number): number {
  const total = MIXTURE.weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  MIXTURE.weights.forEach((w, k) => {
    const variance = MIXTURE.stds[k]! ** 2 + sigma * sigma;
    let squared = 0;
    for (let j = 0; j < DIM; j++) squared += (x[j]! - MIXTURE.means[k]![j]!) ** 2;
    sum +=
      ((w / total) * Math.exp(-squared / (2 * variance))) / (2 * Math.PI * variance) ** (DIM / 2);
  });
  return Math.log(sum);
}

/**
 * D and tr ∂D/∂x̃ of the mixture at one point, from reference §10's (uncentred) formula:
 * tr = Σ r_k d s_k²/v_k + Σ r_k post_kᵀ(g_k − Σ_l r_l g_l).
 */
function referenceDenoiserAndTrace(x: readonly number[], sigma: number) {
  const K = MIXTURE.weights.length;
  const v = MIXTURE.stds.map((s) => s * s + sigma * sigma);
  const logits = MIXTURE.weights.map((w, k) => {
    let squared = 0;
    for (let j = 0; j < DIM; j++) squared += (x[j]! - MIXTURE.means[k]![j]!) ** 2;
    return Math.log(w) - squared / (2 * v[k]!) - (DIM / 2) * Math.log(v[k]!);
  });
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const z = e.reduce((a, b) => a + b, 0);
  const r = e.map((value) => value / z);
  const post = MIXTURE.means.map((mu, k) =>
    mu.map((m, j) => (MIXTURE.stds[k]! ** 2 * x[j]! + sigma * sigma * m) / v[k]!),
  );
  const g = MIXTURE.means.map((mu, k) => mu.map((m, j) => -(x[j]! - m) / v[k]!));
  const gBar = [0, 1].map((j) => r.reduce((sum, rk, k) => sum + rk * g[k]![j]!, 0));
  const D = [0, 1].map((j) => r.reduce((sum, rk, k) => sum + rk * post[k]![j]!, 0));
  let trace = 0;
  for (let k = 0; k < K; k++) {
    trace += (r[k]! * DIM * MIXTURE.stds[k]! ** 2) / v[k]!;
    for (let j = 0; j < DIM; j++) trace += r[k]! * post[k]![j]! * (g[k]![j]! - gBar[j]!);
  }
  return { D, trace };
}

/**
 * Classic RK4 with many fixed steps in u = log σ̃ on (x̃, ℓ): dx̃/du = x̃ − D, dℓ/du = d − tr J,
 * then log p = log N(x̃(σ_max); 0, σ_max² I) + ℓ.
 */
function fixedStepLogLikelihood(point: readonly number[], steps: number): number {
  const u0 = Math.log(SIGMA_MIN);
  const u1 = Math.log(SIGMA_MAX);
  const h = (u1 - u0) / steps;
  const slope = (u: number, state: readonly number[]) => {
    const { D, trace } = referenceDenoiserAndTrace(state.slice(0, DIM), Math.exp(u));
    return [state[0]! - D[0]!, state[1]! - D[1]!, DIM - trace];
  };
  let state = [...point, 0];
  for (let step = 0; step < steps; step++) {
    const u = u0 + step * h;
    const k1 = slope(u, state);
    const k2 = slope(
      u + h / 2,
      state.map((s, i) => s + (h / 2) * k1[i]!),
    );
    const k3 = slope(
      u + h / 2,
      state.map((s, i) => s + (h / 2) * k2[i]!),
    );
    const k4 = slope(
      u + h,
      state.map((s, i) => s + h * k3[i]!),
    );
    state = state.map((s, i) => s + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  const squared = state[0]! ** 2 + state[1]! ** 2;
  const prior =
    -squared / (2 * SIGMA_MAX ** 2) - (DIM / 2) * Math.log(2 * Math.PI * SIGMA_MAX ** 2);
  return prior + state[2]!;
}

const BASE: PfOdeLikelihoodOptions = {
  sigmaMin: SIGMA_MIN,
  sigmaMax: SIGMA_MAX,
  divergence: 'exact',
  probes: 8,
  seed: 0,
  prior: 'gaussian',
  rtol: DEFAULT_LIKELIHOOD_TOLERANCE,
  atol: DEFAULT_LIKELIHOOD_TOLERANCE,
};

let denoiser: Denoiser;
beforeAll(async () => {
  await tf.setBackend('cpu');
  denoiser = createGmmDenoiser(MIXTURE);
});

// Drawn points plus a few in the tails and between modes.
const POINTS = Float64Array.from([...drawFromMixture(16, 3), 0, 0, 4, -3, -3.5, 2.5, 0.2, 1.1]);
const N = POINTS.length / DIM;

describe('PF-ODE log-likelihood of a 2-D Gaussian mixture', () => {
  it('with the exact prior at σ_max equals the closed-form log p_{σ_min} to 1e-6 nats', async () => {
    const result = await pfOdeLogLikelihood(denoiser, POINTS, DIM, {
      ...BASE,
      prior: 'exact',
      rtol: 1e-10,
      atol: 1e-10,
    });
    expect(result.analyticJacobian).toBe(true);
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const expected = closedFormLogDensity(POINTS.subarray(i * DIM, (i + 1) * DIM), SIGMA_MIN);
      worst = Math.max(worst, Math.abs(result.logDensity[i]! - expected));
    }
    console.info(`exact prior: max |ODE − closed form| = ${worst.toExponential(2)} nats`);
    expect(worst).toBeLessThan(1e-6);
  });

  it('with the Gaussian prior and default tolerances matches an independent fixed-step RK4 integration to 1e-4 nats', async () => {
    const result = await pfOdeLogLikelihood(denoiser, POINTS, DIM, BASE);
    let worst = 0;
    let priorMismatch = 0;
    for (let i = 0; i < N; i++) {
      const point = [...POINTS.subarray(i * DIM, (i + 1) * DIM)];
      const expected = fixedStepLogLikelihood(point, 4000);
      worst = Math.max(worst, Math.abs(result.logDensity[i]! - expected));
      priorMismatch = Math.max(
        priorMismatch,
        Math.abs(result.logDensity[i]! - closedFormLogDensity(point, SIGMA_MIN)),
      );
    }
    console.info(
      `gaussian prior (default rtol = atol, ${result.nfe} NFE): max |adaptive − RK4| = ` +
        `${worst.toExponential(2)} nats; prior mismatch ${priorMismatch.toExponential(2)} nats`,
    );
    expect(worst).toBeLessThan(1e-4);
    // The Gaussian prior is not the mixture noised to σ_max, so the two differ a little
    // (reference §10: ≈ 0.03 nats at scale 2), but not by much.
    expect(priorMismatch).toBeGreaterThan(1e-6);
    expect(priorMismatch).toBeLessThan(0.1);
  });

  it('reports bits per dimension as −log p/(d ln 2)', () => {
    expect(bitsPerDimension(-2 * Math.LN2 * 3, 2)).toBeCloseTo(3, 12);
  });

  it('Hutchinson lies within 3 standard errors of the exact value over 20 seeds, and its standard error is honest', async () => {
    const options = { ...BASE, rtol: 1e-8, atol: 1e-8 };
    const exact = await pfOdeLogLikelihood(denoiser, POINTS, DIM, options);
    const zScores: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const estimate = await pfOdeLogLikelihood(denoiser, POINTS, DIM, {
        ...options,
        divergence: 'hutchinson',
        probes: 16,
        seed,
      });
      let meanDifference = 0;
      let meanVariance = 0;
      for (let i = 0; i < N; i++) {
        const difference = estimate.logDensity[i]! - exact.logDensity[i]!;
        expect(estimate.standardError[i]).toBeGreaterThan(0);
        zScores.push(difference / estimate.standardError[i]!);
        meanDifference += difference / N;
        meanVariance += estimate.standardError[i]! ** 2 / N ** 2;
      }
      // The mean log-likelihood of the points (what an NLL metric reports), within 3 SE.
      expect(Math.abs(meanDifference)).toBeLessThan(3 * Math.sqrt(meanVariance));
    }
    // Coverage: about 68 % of the per-point errors within one standard error, 95 % within two
    // (Student's t with 15 degrees of freedom: 67 %, 94 %), and z-scores of unit spread.
    const within = (k: number) => zScores.filter((z) => Math.abs(z) <= k).length / zScores.length;
    const rms = Math.sqrt(zScores.reduce((sum, z) => sum + z * z, 0) / zScores.length);
    console.info(
      `hutchinson: ${zScores.length} estimates, within 1 SE ${within(1).toFixed(3)}, 2 SE ` +
        `${within(2).toFixed(3)}, 3 SE ${within(3).toFixed(3)}, RMS z ${rms.toFixed(3)}`,
    );
    expect(within(1)).toBeGreaterThan(0.55);
    expect(within(1)).toBeLessThan(0.8);
    expect(within(2)).toBeGreaterThan(0.88);
    expect(within(3)).toBeGreaterThan(0.97);
    expect(rms).toBeGreaterThan(0.75);
    expect(rms).toBeLessThan(1.3);
  });
});
