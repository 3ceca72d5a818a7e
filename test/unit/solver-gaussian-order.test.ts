// Observed convergence order of the solvers on Gaussian data, where the PF-ODE has a closed form:
// for data N(μ, s²I) in σ̃ form, x̃(σ) = μ + √((s² + σ²)/(s² + σ₀²))·(x̃₀ − μ).
// The reference (diffusion-math.md §4) reports Euler ≈ 1.0 and Heun ≈ 2.1 over 8 → 64 steps.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_ALGORITHMS } from '../../graph-nodes/solvers/algorithms';
import { gaussianError, observedOrder, ORDER_STEP_COUNTS } from './helpers/gaussian-order';

describe('solver convergence order on Gaussian data (closed-form PF-ODE)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['euler', 0.7, 1.3],
    ['heun', 1.7, 2.5],
  ] as const)('%s has the expected observed order', async (algorithm, low, high) => {
    const errors: number[] = [];
    for (const steps of ORDER_STEP_COUNTS) {
      errors.push(await gaussianError(SOLVER_ALGORITHMS[algorithm], steps));
    }
    const order = observedOrder(errors);
    console.info(
      `${algorithm}: errors ${errors.map((e) => e.toExponential(3)).join(', ')}; order ${order.toFixed(3)}`,
    );
    // Each refinement must help: a float32 error floor would flatten the curve first.
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThan(errors[k - 1]!);
    expect(order).toBeGreaterThanOrEqual(low);
    expect(order).toBeLessThanOrEqual(high);
  });
});
