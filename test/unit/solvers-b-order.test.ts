// Observed convergence orders of the solvers-b algorithms on Gaussian data, where the PF-ODE has a
// closed form (helpers/solvers-b.ts), and the identities that tie them to simpler solvers.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dpmAdaptive } from '../../graph-nodes/solvers/dpm-adaptive';
import { dpmFastGrid, dpmFastOrders } from '../../graph-nodes/solvers/dpm-fast';
import { resolveSettings } from '../../graph-nodes/solvers/settings';
import type { SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import type { SolverSettingsInput } from '../../graph-nodes/solvers/loop';
import { exponentialSigmas } from '../../graph-nodes/timesteps/exponential';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import {
  exactFinal,
  maxAbsDiff,
  meanL2,
  observedOrder,
  priorPoints,
  runSolver,
  SIGMA_MAX,
  SIGMA_MIN,
} from './helpers/solvers-b';

const x0 = priorPoints(256);
const exact = exactFinal(x0, 1, SIGMA_MIN);

type Grid = 'karras' | 'exponential';

/** `intervals` positive-to-positive steps down to σ_min, then the step onto 0. */
function sigmasFor(grid: Grid, intervals: number): Float64Array {
  return grid === 'karras'
    ? karrasSigmas(intervals + 1, SIGMA_MIN, SIGMA_MAX, 7)
    : exponentialSigmas(intervals + 1, SIGMA_MIN, SIGMA_MAX);
}

async function errorAt(
  algorithm: SolverAlgorithmName,
  settings: SolverSettingsInput,
  grid: Grid,
  intervals: number,
): Promise<{ error: number; nfe: number }> {
  const result = await runSolver(algorithm, sigmasFor(grid, intervals), x0, { settings });
  return { error: meanL2(result.samples, exact), nfe: result.nfe };
}

describe('solvers-b: observed order on the closed-form Gaussian PF-ODE', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // [algorithm, settings, grid, interval counts, lowest accepted order, highest]. Counts start
  // where each method is in its asymptotic regime (DEIS-3's coarse errors change sign).
  const cases: [SolverAlgorithmName, SolverSettingsInput, Grid, number[], number, number][] = [
    ['uni_pc', { order: 2, variant: 'bh2' }, 'karras', [8, 16, 32, 64], 2, 3.6],
    ['uni_pc', { order: 3, variant: 'bh2' }, 'karras', [16, 32, 64], 2.5, 5],
    ['uni_pc', { order: 3, variant: 'bh1' }, 'karras', [16, 32, 64], 2.5, 5],
    ['deis', { order: 3 }, 'karras', [32, 64, 128], 2.5, 3.6],
    // Constant-step Adams–Bashforth weights on a non-uniform grid: second order, whatever `order`.
    ['ipndm', { order: 4 }, 'karras', [8, 16, 32, 64], 1.8, 3],
    ['ipndm', { order: 2 }, 'karras', [8, 16, 32, 64], 1.8, 3],
    ['dpmpp_sde', { eta: 0 }, 'karras', [8, 16, 32, 64], 1.7, 2.6],
    // In its NFE budget n (k-diffusion's grid: ⌊n/3⌋ + 1 intervals uniform in λ, mostly order 3).
    ['dpm_fast', {}, 'karras', [12, 24, 48, 96], 2.5, 4],
  ];

  it.each(cases)('%s %o on %s grids', async (algorithm, settings, grid, counts, low, high) => {
    const errors: number[] = [];
    for (const intervals of counts) {
      errors.push((await errorAt(algorithm, settings, grid, intervals)).error);
    }
    const order = observedOrder(counts, errors);
    console.info(
      `${algorithm} ${JSON.stringify(settings)} (${grid}, ${counts.join('/')} intervals): ` +
        `errors ${errors.map((e) => e.toExponential(2)).join(', ')}; order ${order.toFixed(2)}`,
    );
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThan(errors[k - 1]!);
    expect(order).toBeGreaterThanOrEqual(low);
    expect(order).toBeLessThanOrEqual(high);
  });

  it('dpm_fast beats euler at equal NFE', async () => {
    // dpm_fast: a budget of 24 NFE on its own grid + the step onto 0 = 25; euler: 25 steps.
    const fast = await errorAt('dpm_fast', {}, 'exponential', 23);
    const euler = await errorAt('euler', {}, 'exponential', 24);
    console.info(
      `NFE ${fast.nfe}: dpm_fast ${fast.error.toExponential(2)}, euler ${euler.error.toExponential(2)}`,
    );
    expect(fast.nfe).toBe(25);
    expect(euler.nfe).toBe(25);
    expect(fast.error).toBeLessThan(euler.error / 10);
  });
});

describe('solvers-b: identities with simpler solvers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const sigmas = karrasSigmas(12, SIGMA_MIN, SIGMA_MAX, 7);

  // Each pair takes the same step in exact arithmetic; float32 rounding differs by the order of
  // operations only. The tolerance is relative to |x̃| ≲ 400 at the start.
  const pairs: [
    SolverAlgorithmName,
    SolverSettingsInput,
    SolverAlgorithmName,
    SolverSettingsInput,
  ][] = [
    // η = 0 turns the reverse SDE into the PF-ODE, whose Euler–Maruyama step is Euler's.
    ['euler_maruyama', { eta: 0 }, 'euler', {}],
    // Order 1: one interpolation node, weight ∫ dσ̃ = σ̃' − σ̃.
    ['deis', { order: 1 }, 'euler', {}],
    ['ipndm', { order: 1 }, 'euler', {}],
    // With r = 1/2 and η = 0 both are DPM-Solver++(2S) with the midpoint in λ.
    ['dpmpp_sde', { eta: 0 }, 'dpmpp_2s_ancestral', { eta: 0 }],
  ];

  it.each(pairs)('%s %o equals %s %o', async (algorithm, settings, other, otherSettings) => {
    const a = await runSolver(algorithm, sigmas, x0, { settings, seed: 1 });
    const b = await runSolver(other, sigmas, x0, { settings: otherSettings, seed: 2 });
    const diff = maxAbsDiff(a.samples, b.samples);
    console.info(`${algorithm} vs ${other}: max |diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-4);
    expect(a.nfe).toBe(b.nfe);
  });

  it('dpmpp_sde with η = 0 ignores the seed; with η = 1 it does not', async () => {
    const deterministic = [1, 2].map((seed) =>
      runSolver('dpmpp_sde', sigmas, x0, { settings: { eta: 0 }, seed }),
    );
    const [a, b] = await Promise.all(deterministic);
    expect(maxAbsDiff(a!.samples, b!.samples)).toBe(0);
    const c = await runSolver('dpmpp_sde', sigmas, x0, { settings: { eta: 1 }, seed: 1 });
    const d = await runSolver('dpmpp_sde', sigmas, x0, { settings: { eta: 1 }, seed: 2 });
    expect(maxAbsDiff(c.samples, d.samples)).toBeGreaterThan(1e-3);
  });
});

describe("dpm_fast and dpm_adaptive step on k-diffusion's own grids", () => {
  it('spends the budget n as k-diffusion does: ⌊n/3⌋ + 1 intervals with orders 3, …, then 2, 1 or n mod 3', () => {
    expect(dpmFastOrders(1)).toEqual([1]);
    expect(dpmFastOrders(3)).toEqual([2, 1]);
    expect(dpmFastOrders(4)).toEqual([3, 1]);
    expect(dpmFastOrders(10)).toEqual([3, 3, 3, 1]);
    expect(dpmFastOrders(12)).toEqual([3, 3, 3, 2, 1]);
    for (let n = 1; n <= 40; n++) {
      const orders = dpmFastOrders(n);
      expect(orders.length).toBe(Math.floor(n / 3) + 1);
      expect(orders.reduce((a, b) => a + b, 0)).toBe(n);
    }
  });

  it('builds the grid uniform in λ from the list’s first and last positive levels', () => {
    const list = karrasSigmas(10, SIGMA_MIN, SIGMA_MAX, 7);
    const { sigmas, plan } = dpmFastGrid(list);
    expect(plan).toEqual([3, 3, 3, 1]);
    expect(sigmas.length).toBe(6);
    expect(sigmas[0]).toBe(SIGMA_MAX);
    expect(sigmas[4]).toBe(list[9]);
    expect(sigmas[5]).toBe(0);
    const step = Math.log(sigmas[0]! / sigmas[1]!);
    for (let k = 1; k < 4; k++) expect(Math.log(sigmas[k]! / sigmas[k + 1]!)).toBeCloseTo(step, 12);
  });

  it('dpm_adaptive integrates σ_max → σ_min in one pass, then returns D', () => {
    const list = karrasSigmas(10, SIGMA_MIN, SIGMA_MAX, 7);
    expect(Array.from(dpmAdaptive.prepare!(list, resolveSettings(dpmAdaptive, {})).sigmas)).toEqual(
      [SIGMA_MAX, list[9], 0],
    );
  });
});
