// Observed convergence order on Gaussian data, where the PF-ODE has a closed form: for data
// N(μ, s²I) in σ̃ form, x̃(σ) = μ + √((s² + σ²)/(s² + σ₀²))·(x̃₀ − μ).
// Karras ρ = 7 grids over [0.002, 80], 8 → 64 steps; shared by the order tests.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../../graph-nodes/math/rng';
import { edmSchedule } from '../../../graph-nodes/schedules/edm';
import { solve, type SolverAlgorithm } from '../../../graph-nodes/solvers/loop';
import type { SolverSettingsInput } from '../../../graph-nodes/solvers/settings';
import { karrasSigmas } from '../../../graph-nodes/timesteps/karras';
import { timestepsFromSigmas } from '../../../graph-nodes/timesteps/from-sigmas';
import { observedOrder as observedOrderOver } from '../../../graph-nodes/metrics/observed-order';
import { gaussianDenoiser } from './gaussian-denoiser';
import { makeTestContext } from './run-context';

const MU = [0.5, -1] as const;
const S = 1;
const SIGMA_MIN = 0.002;
const SIGMA_MAX = 80;
const PARTICLES = 256;
export const ORDER_STEP_COUNTS = [8, 16, 32, 64];

const x0 = createRng(7)
  .fillNormal(new Float64Array(PARTICLES * 2))
  .map((z) => SIGMA_MAX * z);

/** The exact final output: the ODE solution at σ_min, then D there (float64, float32 start). */
function exactFinal(): Float64Array {
  const shrink = Math.sqrt((S * S + SIGMA_MIN ** 2) / (S * S + SIGMA_MAX ** 2));
  const denoiseFactor = (S * S) / (S * S + SIGMA_MIN ** 2);
  return Float64Array.from(x0, (value, k) => {
    const mu = MU[k % 2]!;
    return mu + denoiseFactor * shrink * (Math.fround(value) - mu);
  });
}

/** Mean L2 distance to the exact answer after `steps` steps. */
export async function gaussianError(
  algorithm: SolverAlgorithm,
  steps: number,
  settings?: SolverSettingsInput,
): Promise<number> {
  const denoiser = gaussianDenoiser(MU, [S, S]);
  const start = tf.tensor2d(Float32Array.from(x0), [PARTICLES, 2]);
  const timesteps = timestepsFromSigmas(
    edmSchedule({ sigmaMin: SIGMA_MIN, sigmaMax: SIGMA_MAX }),
    karrasSigmas(steps + 1, SIGMA_MIN, SIGMA_MAX, 7),
  );
  const { samples } = await solve({
    algorithm,
    denoiser,
    timesteps,
    x: start,
    ...(settings ? { settings } : {}),
    hooks: makeTestContext({}),
  });
  const got = await samples.data();
  tf.dispose([samples, start]);
  denoiser.dispose();
  const exact = exactFinal();
  let total = 0;
  for (let p = 0; p < PARTICLES; p++) {
    total += Math.hypot(got[2 * p]! - exact[2 * p]!, got[2 * p + 1]! - exact[2 * p + 1]!);
  }
  return total / PARTICLES;
}

/** The observed order over ORDER_STEP_COUNTS. */
export function observedOrder(errors: readonly number[]): number {
  return observedOrderOver(ORDER_STEP_COUNTS, errors);
}
