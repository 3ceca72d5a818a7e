// DPM-Solver-Fast (k-diffusion sample_dpm_fast; Lu et al. 2022): singlestep DPM-Solver-1/2/3 in
// ε form, stepping in λ = −log σ̃ on k-diffusion's own grid. As ComfyUI's wrapper does, the
// timestep list gives σ_max (its first level), σ_min (its last positive level) and the NFE budget
// n = N (its number of intervals); the grid is then m = ⌊n/3⌋ + 1 intervals uniform in λ with
// orders [3, …, 3, 2, 1] (n divisible by 3) or [3, …, 3, n mod 3], spending exactly n NFE.
// k-diffusion stops at σ_min; our lists end at 0, so one more step returns D (NFE n + 1; at
// σ_min = 0.002, D differs from x by ~σ_min²/s² of the distance to the data).
//
// η > 0 (ancestral): each interval steps to σ_down ≥ σ_min and adds σ_up of Brownian noise
// (k-diffusion's dpm_solver_fast with eta).
import * as tf from '@tensorflow/tfjs-core';
import { dpmSolverStep, epsilonAt, toTensor, toVector } from './dpm-solver';
import { ancestralStep } from './ancestral';
import { lambdaOf, sigmaOf } from './lambda-math';
import type { SolverAlgorithm, StepState } from './loop';

/** The last positive level of the list: the end of the ODE integration. */
export function lastPositiveSigma(sigmas: Float64Array): number {
  for (let k = sigmas.length - 1; k >= 0; k--) {
    if (sigmas[k]! > 0) return sigmas[k]!;
  }
  return NaN;
}

/**
 * An ancestral target that never steps below σ_min (λ beyond the end), with σ_up recomputed so
 * that σ_down² + σ_up² = σ_to² still holds.
 */
export function clampedAncestralStep(
  state: StepState,
  sigmaFrom: number,
  sigmaTo: number,
): { sigmaDown: number; sigmaUp: number } {
  const { eta } = state.settings;
  if (eta === 0) return { sigmaDown: sigmaTo, sigmaUp: 0 };
  const sigmaDown = Math.max(
    ancestralStep(sigmaFrom, sigmaTo, eta).sigmaDown,
    lastPositiveSigma(state.sigmas),
  );
  return { sigmaDown, sigmaUp: Math.sqrt(Math.max(sigmaTo ** 2 - sigmaDown ** 2, 0)) };
}

/** k-diffusion's orders for a budget of n NFE over m = ⌊n/3⌋ + 1 intervals. */
export function dpmFastOrders(n: number): number[] {
  const m = Math.floor(n / 3) + 1;
  if (n % 3 === 0) return [...Array<number>(m - 2).fill(3), 2, 1];
  return [...Array<number>(m - 1).fill(3), n % 3];
}

/** The grid: σ_max, m − 1 levels uniform in λ, σ_min, then 0. */
export function dpmFastGrid(sigmas: Float64Array): { sigmas: Float64Array; plan?: unknown } {
  const sigmaMax = sigmas[0]!;
  const sigmaMin = lastPositiveSigma(sigmas);
  const budget = sigmas.length - 1;
  if (!(sigmaMin < sigmaMax) || budget < 1) return { sigmas };
  const orders = dpmFastOrders(budget);
  const lambdaStart = lambdaOf(sigmaMax);
  const lambdaEnd = lambdaOf(sigmaMin);
  const grid = new Float64Array(orders.length + 2);
  for (let k = 0; k <= orders.length; k++) {
    grid[k] = sigmaOf(lambdaStart + ((lambdaEnd - lambdaStart) * k) / orders.length);
  }
  grid[0] = sigmaMax;
  grid[orders.length] = sigmaMin;
  return { sigmas: grid, plan: orders };
}

export const dpmFast: SolverAlgorithm = {
  name: 'dpm_fast',
  title: 'DPM-Solver-Fast',
  order: 3,
  nfe: 'N + 1 (N on its own grid, then D at σ_min)',
  params: ['eta', 's_noise', 'seed'],
  defaults: { eta: 0 },
  historyLength: 0,
  prepare: dpmFastGrid,
  step(state) {
    const { x, sigma, sigmaNext, settings } = state;
    const orders = state.plan as number[] | undefined;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const { sigmaDown, sigmaUp } = clampedAncestralStep(state, sigma, sigmaNext);
    const x64 = toVector(x);
    const d = denoised.dataSync();
    const eps = x64.map((value, k) => (value - d[k]!) / sigma);
    const next = toTensor(
      dpmSolverStep(
        orders?.[state.i] ?? 1,
        x64,
        lambdaOf(sigma),
        lambdaOf(sigmaDown),
        eps,
        epsilonAt(state),
      ),
      x,
    );
    if (sigmaUp === 0) return { x: next, denoised };
    const [n, dim] = x.shape;
    const z = state.noise.sample(n, dim, sigma, sigmaNext);
    return { x: tf.add(next, tf.mul(z, settings.sNoise * sigmaUp)), denoised };
  },
};
