// The seeded Brownian tree: W(σ̃) is a fixed function of σ̃ per seed (whatever was queried
// before), its increments are N(0, |Δσ̃|) and independent, and a stochastic sampler refined from N
// to 2N to 4N steps follows one path and converges.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_ALGORITHMS, type SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import {
  brownianTreeNoise,
  brownianTreeNoiseFor,
  createBrownianTree,
} from '../../graph-nodes/solvers/brownian-tree';
import type { SolverSettingsInput } from '../../graph-nodes/solvers/settings';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { gmmProblem, meanL2, runOnGmm } from './helpers/gmm-reference';

const LO = 0.002;
const HI = 80;

describe('Brownian tree', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the same W(σ̃) whatever was queried before, and another path for another seed', () => {
    const points = [0.002, 0.0131, 0.5, 1.7, 1.70001, 17, 42.5, 79.99, 80];
    const inOrder = createBrownianTree({ seed: 3, size: 4, lo: LO, hi: HI });
    const shuffled = createBrownianTree({ seed: 3, size: 4, lo: LO, hi: HI });
    const other = createBrownianTree({ seed: 4, size: 4, lo: LO, hi: HI });
    const expected = points.map((t) => inOrder.at(t));
    // A different history: other points first, then ours in reverse.
    [5, 0.003, 60, 1.69].forEach((t) => shuffled.at(t));
    const got = [...points]
      .reverse()
      .map((t) => shuffled.at(t))
      .reverse();
    expect(got).toEqual(expected);
    expect(expected[0]).toEqual(new Float64Array(4)); // W(lo) = 0
    expect(other.at(17)).not.toEqual(inOrder.at(17));
    expect(() => inOrder.at(81)).toThrow(/outside/);
  });

  it('sums the increments of a refined grid to the coarse increment (same path)', async () => {
    const size = 8;
    const coarseGrid = karrasSigmas(6, LO, HI, 7).subarray(0, 6);
    const fineGrid = karrasSigmas(41, LO, HI, 7).subarray(0, 41);
    const coarse = brownianTreeNoise({ seed: 9, sigmaMin: LO, sigmaMax: HI });
    const fine = brownianTreeNoise({ seed: 9, sigmaMin: LO, sigmaMax: HI });
    // ΔW over [a, b] = z·√(b − a), from each source's own queries.
    const increment = async (source: typeof coarse, a: number, b: number) => {
      const z = source.sample(1, size, a, b);
      const values = Float64Array.from(await z.data(), (value) => value * Math.sqrt(a - b));
      z.dispose();
      return values;
    };
    const fineSums = new Float64Array(size);
    let worst = 0;
    let c = 0;
    for (let k = 0; k + 1 < fineGrid.length; k++) {
      const piece = await increment(fine, fineGrid[k]!, fineGrid[k + 1]!);
      piece.forEach((value, j) => (fineSums[j]! += value));
      if (fineGrid[k + 1] === coarseGrid[c + 1]) {
        const whole = await increment(coarse, coarseGrid[c]!, coarseGrid[c + 1]!);
        whole.forEach((value, j) => {
          worst = Math.max(worst, Math.abs(value - fineSums[j]!) / (1 + Math.abs(value)));
        });
        fineSums.fill(0);
        c++;
      }
    }
    // Karras grids with 5 and 40 intervals share every 8th point.
    expect(c).toBe(5);
    expect(worst).toBeLessThanOrEqual(1e-5); // float32 z, summed 8 at a time
  });

  it('has increments N(0, |Δσ̃|) that are independent of each other', () => {
    const size = 8000;
    const tree = createBrownianTree({ seed: 1, size, lo: LO, hi: HI });
    const intervals = [
      [0.002, 0.0021],
      [0.0021, 0.0131],
      [0.9, 1],
      [1, 3.5],
      [10, 79],
    ] as const;
    const normalised = intervals.map(([a, b]) => {
      const wa = tree.at(a);
      const wb = tree.at(b);
      return Float64Array.from(wb, (value, k) => (value - wa[k]!) / Math.sqrt(b - a));
    });
    const tolerance = 4 * Math.sqrt(2 / size); // ≈ 0.063
    normalised.forEach((z, k) => {
      const mean = z.reduce((s, v) => s + v, 0) / size;
      const variance = z.reduce((s, v) => s + v * v, 0) / size;
      expect(Math.abs(mean), `mean of increment ${k}`).toBeLessThan(tolerance);
      expect(Math.abs(variance - 1), `variance of increment ${k}`).toBeLessThan(tolerance);
    });
    // Neighbouring intervals: Brownian increments are uncorrelated.
    for (let k = 0; k + 1 < normalised.length; k++) {
      const a = normalised[k]!;
      const b = normalised[k + 1]!;
      const correlation = a.reduce((s, v, j) => s + v * b[j]!, 0) / size;
      expect(Math.abs(correlation), `correlation ${k}, ${k + 1}`).toBeLessThan(tolerance);
    }
  });

  it('is reproducible per seed through the noise source', async () => {
    const sigmas = karrasSigmas(5, LO, HI, 7);
    const draw = async (seed: number) => {
      const z = brownianTreeNoiseFor(seed, sigmas).sample(3, 2, sigmas[1]!, sigmas[2]!);
      const values = await z.data();
      z.dispose();
      return values;
    };
    expect(await draw(5)).toEqual(await draw(5));
    expect(await draw(5)).not.toEqual(await draw(6));
  });
});

describe('stochastic samplers follow one Brownian path as the step count is refined', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: [SolverAlgorithmName, SolverSettingsInput][] = [
    ['euler_ancestral', {}],
    ['dpm_2_ancestral', {}],
    ['dpmpp_2s_ancestral', {}],
    ['dpmpp_2m_sde', {}],
    ['dpmpp_2m_sde', { solverType: 'heun' }],
    ['dpmpp_3m_sde', {}],
    ['ddim', { eta: 1 }],
    ['ddpm', {}],
  ];

  it.each(cases)(
    '%s %o: the 2N-step result is closer to 4N than the N-step one',
    async (name, settings) => {
      const { sigma_min: sigmaMin, sigma_max: sigmaMax } = gmmProblem.problem;
      const finals: Float32Array[] = [];
      for (const steps of [12, 24, 48]) {
        const sigmas = karrasSigmas(steps, sigmaMin, sigmaMax, 7);
        const { final } = await runOnGmm({
          algorithm: SOLVER_ALGORITHMS[name],
          sigmas,
          settings,
          noise: brownianTreeNoiseFor(21, sigmas),
        });
        finals.push(final);
      }
      const [coarse, middle, fine] = finals as [Float32Array, Float32Array, Float32Array];
      const coarseGap = meanL2(coarse, fine);
      const middleGap = meanL2(middle, fine);
      console.info(
        `${name} ${JSON.stringify(settings)}: mean L2 to the 48-step result: 12 steps ${coarseGap.toFixed(4)}, 24 steps ${middleGap.toFixed(4)}`,
      );
      // Independent noise per run gives gaps of ~4 that barely shrink (ratio 0.8–1.1).
      expect(middleGap).toBeLessThan(0.75 * coarseGap);
      expect(middleGap).toBeLessThan(1);
    },
  );
});
