// The variational view made measurable: the DDPM ELBO of a mixture under its exact denoiser lies
// below the exact log-likelihood, by a gap that shrinks as the number of steps T grows; and on
// Gaussian data, where every term has a closed-form expectation, it equals that expectation.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGmmDenoiser, gmmLogDensity } from '../../graph-nodes/denoisers/gmm';
import { alphaBarsOfSigmas, ddpmElbo } from '../../graph-nodes/likelihood/ddpm-elbo';
import { createRng } from '../../graph-nodes/math/rng';
import { ddpmSigmas } from '../../graph-nodes/schedules/ddpm';

const MIXTURE = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-1.5, 0],
    [1.5, 0.5],
    [0, 2],
  ],
  stds: [0.4, 0.6, 0.3],
};
const DIM = 2;

/** DDPM's linear β table with T steps, β scaled by 1000/T so that every T spans the same noise. */
function alphaBars(steps: number): Float64Array {
  const scale = 1000 / steps;
  return alphaBarsOfSigmas(
    ddpmSigmas({
      betaSchedule: 'linear',
      betaStart: 1e-4 * scale,
      betaEnd: 0.02 * scale,
      trainSteps: steps,
      zeroTerminalSnr: false,
    }),
  );
}

function drawFromMixture(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n * DIM);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    let k = 0;
    while (k < 2 && u >= MIXTURE.weights[k]!) u -= MIXTURE.weights[k++]!;
    for (let j = 0; j < DIM; j++) {
      out[i * DIM + j] = MIXTURE.means[k]![j]! + MIXTURE.stds[k]! * rng.normal();
    }
  }
  return out;
}

const mean = (values: Float64Array) => values.reduce((sum, v) => sum + v, 0) / values.length;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DDPM ELBO with the exact mixture denoiser', () => {
  it('lies below the exact log-likelihood, and the gap shrinks as T grows (50, 200, 1000)', async () => {
    const denoiser = createGmmDenoiser(MIXTURE);
    const points = drawFromMixture(200, 1);
    const exact = mean(gmmLogDensity(MIXTURE, points, 0));
    const gaps: number[] = [];
    for (const steps of [50, 200, 1000]) {
      const result = await ddpmElbo(denoiser, points, DIM, alphaBars(steps), {
        replicates: 4,
        seed: 3,
        variance: 'fixed_small',
      });
      expect(result.nfe).toBe(4 * steps);
      const elbo = mean(result.elbo);
      // Standard error of the mean bound: the points' spread dominates it, the MC noise adds.
      const standardError = Math.sqrt(mean(result.standardError.map((s) => s * s)) / 200);
      gaps.push(exact - elbo);
      console.info(
        `T = ${steps}: mean ELBO ${elbo.toFixed(4)} ± ${standardError.toFixed(4)} (MC), ` +
          `exact log p ${exact.toFixed(4)}, gap ${(exact - elbo).toFixed(4)} nats`,
      );
      expect(elbo).toBeLessThan(exact);
    }
    expect(gaps[1]).toBeLessThan(gaps[0]!);
    expect(gaps[2]).toBeLessThan(gaps[1]!);
  });

  it('on Gaussian data equals the closed-form expectation of every term', async () => {
    // x₀ ~ N(0, s² I) in d = 2: the exact denoiser is D = s²/(s² + σ̃²) x̃, so for a fixed x₀
    // E‖x₀ − D‖² follows from x̃ = x₀ + σ̃ ε in closed form (below).
    const s = 0.7;
    const denoiser = createGmmDenoiser({ weights: [1], means: [[0, 0]], stds: [s] });
    const point = Float64Array.of(0.9, -0.4);
    const table = alphaBars(100);
    const result = await ddpmElbo(denoiser, point, DIM, table, {
      replicates: 2000,
      seed: 9,
      variance: 'fixed_small',
    });
    const squaredNorm = point[0]! ** 2 + point[1]! ** 2;
    let expected = 0;
    table.forEach((alphaBar, index) => {
      const t = index + 1;
      const previous = t === 1 ? 1 : table[index - 1]!;
      const beta = 1 - alphaBar / previous;
      const sigma2 = (1 - alphaBar) / alphaBar;
      // x₀ − D = (σ̃²/(s² + σ̃²)) x₀ − (s²/(s² + σ̃²)) σ̃ ε
      const a = sigma2 / (s * s + sigma2);
      const b = (s * s) / (s * s + sigma2);
      const meanSquaredError = a * a * squaredNorm + b * b * sigma2 * DIM;
      if (t === 1) {
        expected += meanSquaredError / (2 * beta) + (DIM / 2) * Math.log(2 * Math.PI * beta);
      } else {
        const c = (Math.sqrt(previous) * beta) / (1 - alphaBar);
        const posteriorVariance = ((1 - previous) * beta) / (1 - alphaBar);
        expected += (c * c * meanSquaredError) / (2 * posteriorVariance);
      }
    });
    const last = table[table.length - 1]!;
    expected += 0.5 * (last * squaredNorm - DIM * last - DIM * Math.log(1 - last));
    const difference = result.elbo[0]! + expected;
    console.info(
      `Gaussian data: ELBO ${result.elbo[0]!.toFixed(4)} ± ${result.standardError[0]!.toFixed(4)}, ` +
        `expected ${(-expected).toFixed(4)} (${(difference / result.standardError[0]!).toFixed(2)} SE)`,
    );
    expect(Math.abs(difference)).toBeLessThan(3 * result.standardError[0]!);
    expect(result.standardError[0]).toBeLessThan(0.1);
  });

  it.each(['fixed_small', 'fixed_large'] as const)(
    'on Gaussian data lies below the model’s exact log p_θ(x₀) (a linear-Gaussian chain), %s',
    async (variance) => {
      // With x₀ ~ N(0, s² I) the exact D is linear, so every reverse kernel N(μ̃_t(D, x_t), σ_t²)
      // is x_{t−1} = a_t x_t + noise and p_θ(x₀) = N(0, S₀ I) by the recursion S_{t−1} = a_t² S_t + σ_t².
      const s = 0.7;
      const denoiser = createGmmDenoiser({ weights: [1], means: [[0, 0]], stds: [s] });
      const table = alphaBars(100);
      let spread = 1; // S_T: p(x_T) = N(0, I)
      for (let t = table.length; t >= 1; t--) {
        const alphaBar = table[t - 1]!;
        const previous = t === 1 ? 1 : table[t - 2]!;
        const beta = 1 - alphaBar / previous;
        // D(x_t) = √ᾱ s²/(ᾱ s² + 1 − ᾱ) x_t, from x̃ = x_t/√ᾱ and D = s²/(s² + σ̃²) x̃.
        const shrink = (Math.sqrt(alphaBar) * s * s) / (alphaBar * s * s + 1 - alphaBar);
        const c0 = (Math.sqrt(previous) * beta) / (1 - alphaBar);
        const ct = (Math.sqrt(1 - beta) * (1 - previous)) / (1 - alphaBar);
        const posteriorVariance = ((1 - previous) * beta) / (1 - alphaBar);
        const modelVariance = variance === 'fixed_large' || t === 1 ? beta : posteriorVariance;
        const a = t === 1 ? shrink : c0 * shrink + ct;
        spread = a * a * spread + modelVariance;
      }
      const rng = createRng(4);
      const points = Float64Array.from({ length: 40 * DIM }, () => s * rng.normal());
      const result = await ddpmElbo(denoiser, points, DIM, table, {
        replicates: 50,
        seed: 2,
        variance,
      });
      let worst = -Infinity;
      let meanGap = 0;
      for (let i = 0; i < 40; i++) {
        const squared = points[2 * i]! ** 2 + points[2 * i + 1]! ** 2;
        const logModel = -squared / (2 * spread) - Math.log(2 * Math.PI * spread);
        worst = Math.max(worst, (result.elbo[i]! - logModel) / result.standardError[i]!);
        meanGap += (logModel - result.elbo[i]!) / 40;
      }
      console.info(
        `${variance}: model spread S₀ = ${spread.toFixed(4)} (data ${s * s}), mean log p_θ − ELBO ` +
          `${meanGap.toFixed(4)} nats, largest (ELBO − log p_θ)/SE ${worst.toFixed(2)}`,
      );
      expect(worst).toBeLessThan(3.5);
      expect(meanGap).toBeGreaterThan(0);
    },
  );
});
