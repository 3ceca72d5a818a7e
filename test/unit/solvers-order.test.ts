// Observed convergence orders of the new solvers on the closed-form Gaussian PF-ODE (8 → 64
// Karras steps); stochastic samplers run with η = 0, where they are ODE solvers.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_ALGORITHMS, type SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import { lmsCoefficients } from '../../graph-nodes/solvers/lms';
import type { SolverSettingsInput } from '../../graph-nodes/solvers/settings';
import { ORDER_STEP_COUNTS, gaussianError, observedOrder } from './helpers/gaussian-order';

const cases: [string, SolverAlgorithmName, SolverSettingsInput, number, number][] = [
  ['dpm_2', 'dpm_2', {}, 1.7, 2.3],
  ['dpmpp_2m', 'dpmpp_2m', {}, 1.7, 2.3],
  ['dpm_2_ancestral η = 0', 'dpm_2_ancestral', { eta: 0 }, 1.7, 2.3],
  ['dpmpp_2s_ancestral η = 0', 'dpmpp_2s_ancestral', { eta: 0 }, 1.7, 2.3],
  ['dpmpp_2m_sde η = 0 (midpoint)', 'dpmpp_2m_sde', { eta: 0 }, 1.7, 2.3],
  ['dpmpp_2m_sde η = 0 (heun)', 'dpmpp_2m_sde', { eta: 0, solverType: 'heun' }, 1.7, 2.3],
  ['dpmpp_3m_sde η = 0', 'dpmpp_3m_sde', { eta: 0 }, 2.5, 3.5],
  // Variable-step Adams–Bashforth in σ̃ on Karras grids is still pre-asymptotic at 8–64 steps
  // (measured 0.93, 1.68, 2.31, 2.85; the 32 → 64 slopes are 0.97, 1.85, 2.69, 3.48).
  ['lms order 1', 'lms', { order: 1 }, 0.7, 1.3],
  ['lms order 2', 'lms', { order: 2 }, 1.5, 2.3],
  ['lms order 3', 'lms', { order: 3 }, 2.1, 3.3],
  ['lms order 4', 'lms', { order: 4 }, 2.5, 4.3],
  ['ddim η = 0', 'ddim', {}, 0.7, 1.3],
];

describe('observed orders on Gaussian data (closed-form PF-ODE, 8 → 64 steps)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(cases)('%s', async (_label, name, settings, low, high) => {
    const errors: number[] = [];
    for (const steps of ORDER_STEP_COUNTS) {
      errors.push(await gaussianError(SOLVER_ALGORITHMS[name], steps, settings));
    }
    const order = observedOrder(errors);
    console.info(
      `${_label}: errors ${errors.map((e) => e.toExponential(3)).join(', ')}; order ${order.toFixed(3)}`,
    );
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThan(errors[k - 1]!);
    expect(order).toBeGreaterThanOrEqual(low);
    expect(order).toBeLessThanOrEqual(high);
  });
});

describe('lms coefficients', () => {
  it('integrate every polynomial of degree < m exactly over [σ̃_i, σ̃_{i+1}]', () => {
    const nodes = [3.1, 5.7, 9.2, 20];
    const sigmaNext = 1.4;
    for (let m = 1; m <= 4; m++) {
      const c = lmsCoefficients(nodes.slice(0, m), sigmaNext);
      for (let degree = 0; degree < m; degree++) {
        const quadrature = c.reduce((total, cj, j) => total + cj * nodes[j]! ** degree, 0);
        const exact = (sigmaNext ** (degree + 1) - nodes[0]! ** (degree + 1)) / (degree + 1);
        expect(quadrature).toBeCloseTo(exact, 10);
      }
    }
  });
});
