// The Solver node: integrates the PF-ODE from the initial noise down the timestep list with one
// of the registered algorithms, recording every step.
import { z } from 'zod';
import { agreedShape, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { samplesCarriedFrom } from '../../core/samples';
import {
  SOLVER_ALGORITHMS,
  SOLVER_ALGORITHM_NAMES,
  algorithmsReading,
  getSolverAlgorithm,
} from '../../solvers/algorithms';
import { brownianTreeNoiseFor } from '../../solvers/brownian-tree';
import { solve, type SolverAlgorithm } from '../../solvers/loop';
import {
  maxOrderOf,
  orderProblem,
  type SolverDefaults,
  type SolverParamName,
} from '../../solvers/settings';
import { numberIn, tolerance, withParamRules } from '../param-rules';

/** Shown only for the algorithms that read the param. */
const readBy = (param: SolverParamName) => ({
  visibleWhen: { algorithm: algorithmsReading(param) },
});

/** "euler_ancestral 1, ddim 0": the per-algorithm defaults of a setting, for its description. */
function defaultsOf(param: SolverParamName, setting: keyof SolverDefaults): string {
  return algorithmsReading(param)
    .map((name) => {
      const { defaults, maxOrder }: SolverAlgorithm = SOLVER_ALGORITHMS[name];
      const value = defaults?.[setting];
      const max = setting === 'order' && maxOrder !== undefined ? ` (max ${maxOrder})` : '';
      return value === undefined ? '' : `${name} ${value}${max}`;
    })
    .filter(Boolean)
    .join(', ');
}

/** s_tmax's default: above any σ̃ a schedule produces, i.e. "no upper bound" (JSON has no ∞). */
export const S_TMAX_UNBOUNDED = 1e9;

/** η and S_noise scale fresh noise: 1 is the SDE, far beyond it only swamps the samples. */
const MAX_NOISE_FACTOR = 100;
/** γ = min(S_churn/N, √2 − 1) is capped anyway; this only keeps the number finite. */
const MAX_CHURN = 1e6;
/** The Langevin corrector's step grows as snr²; typical values are 0.01–0.2. */
const MAX_SNR = 10;
/** Each corrector step is one more NFE per step. */
const MAX_CORRECTOR_STEPS = 100;
/** The highest order an algorithm that reads `order` takes (lms, ipndm, deis: 4). */
const HIGHEST_ORDER = Math.max(
  ...algorithmsReading('order').map((name) => maxOrderOf(SOLVER_ALGORITHMS[name])),
);

export default defineNode({
  type: 'solver',
  version: 1,
  kind: 'solver',
  title: 'Solver',
  description:
    'Integrates the probability-flow ODE (or, for stochastic samplers, the reverse SDE) from the ' +
    'initial noise down the timestep list, and records every step of every particle.',
  section: '§9 (PF-ODE solvers)',
  formula: 'dx̃/dσ̃ = (x̃ − D(x̃; σ̃))/σ̃, from σ̃_0 down to σ̃_N = 0',
  inputs: {
    noise: {
      accepts: ['samples'],
      required: true,
      description: 'The initial points x̃ at the first noise level σ̃_0.',
    },
    denoiser: {
      accepts: ['denoiser'],
      required: true,
      description: 'D(x̃; σ̃), the estimate of the clean data.',
    },
    timesteps: {
      accepts: ['timesteps'],
      required: true,
      description: 'The descending noise levels σ̃_0 > … > σ̃_N = 0 to step through.',
    },
  },
  outputs: {
    samples: { type: 'samples', description: 'The final points x̃ at σ̃_N.' },
    trajectory: {
      type: 'trajectory',
      description: 'Every particle at every step, with the denoiser prediction made in that step.',
    },
  },
  params: withParamRules(
    z.object({
      algorithm: z.enum(SOLVER_ALGORITHM_NAMES).default('euler').meta({
        title: 'Algorithm',
        widget: 'select',
        description: 'k-diffusion sampler name.',
      }),
      eta: numberIn(0, MAX_NOISE_FACTOR)
        .optional()
        .meta({
          ...readBy('eta'),
          title: 'η',
          widget: 'number',
          description:
            'Fresh noise per step: 0 gives the ODE, 1 the reverse SDE (DDPM posterior). ' +
            `Empty means the algorithm's default: ${defaultsOf('eta', 'eta')}.`,
        }),
      s_noise: numberIn(0, MAX_NOISE_FACTOR)
        .default(1)
        .meta({
          ...readBy('s_noise'),
          title: 'S_noise',
          widget: 'number',
          description: 'Scale of the fresh noise (churn, ancestral and SDE steps).',
        }),
      s_churn: numberIn(0, MAX_CHURN)
        .default(0)
        .meta({
          ...readBy('s_churn'),
          title: 'S_churn',
          widget: 'number',
          description:
            'EDM stochasticity: γ = min(S_churn/N, √2 − 1). 0 gives the deterministic ODE.',
        }),
      s_tmin: numberIn(0, S_TMAX_UNBOUNDED)
        .default(0)
        .meta({
          ...readBy('s_tmin'),
          title: 'S_tmin',
          widget: 'number',
          description: 'Churn only where σ̃ ≥ S_tmin.',
        }),
      s_tmax: numberIn(0, S_TMAX_UNBOUNDED)
        .default(S_TMAX_UNBOUNDED)
        .meta({
          ...readBy('s_tmax'),
          title: 'S_tmax',
          widget: 'number',
          description: 'Churn only where σ̃ ≤ S_tmax (the default 1e9 means no bound).',
        }),
      order: numberIn(1, HIGHEST_ORDER, { integer: true })
        .optional()
        .meta({
          ...readBy('order'),
          title: 'Order',
          widget: 'number',
          description: `Order of the method. Empty means the algorithm's default: ${defaultsOf('order', 'order')}.`,
        }),
      r: numberIn(0, 1, { aboveMin: true })
        .default(0.5)
        .meta({
          ...readBy('r'),
          title: 'r',
          widget: 'number',
          description: 'Where the intermediate stage sits, as a fraction of the step in λ.',
        }),
      solver_type: z
        .enum(['midpoint', 'heun'])
        .default('midpoint')
        .meta({
          ...readBy('solver_type'),
          title: 'Solver type',
          widget: 'select',
          description: 'How the second-order correction is formed (DPM-Solver++ 2M SDE).',
        }),
      variant: z
        .enum(['bh1', 'bh2'])
        .default('bh2')
        .meta({
          ...readBy('variant'),
          title: 'Variant',
          widget: 'select',
          description: 'UniPC B(h): bh1 = −h, bh2 = e^{−h} − 1.',
        }),
      rtol: tolerance()
        .optional()
        .meta({
          ...readBy('rtol'),
          title: 'rtol',
          widget: 'number',
          description: `Relative error tolerance. Empty means the algorithm's default: ${defaultsOf('rtol', 'rtol')}.`,
        }),
      atol: tolerance()
        .optional()
        .meta({
          ...readBy('atol'),
          title: 'atol',
          widget: 'number',
          description: `Absolute error tolerance. Empty means the algorithm's default: ${defaultsOf('atol', 'atol')}.`,
        }),
      snr: numberIn(0, MAX_SNR, { aboveMin: true })
        .optional()
        .meta({
          ...readBy('snr'),
          title: 'Corrector SNR',
          widget: 'number',
          description: `Signal-to-noise ratio of the Langevin corrector. Empty means the algorithm's default: ${defaultsOf('snr', 'snr')}.`,
        }),
      corrector_steps: numberIn(0, MAX_CORRECTOR_STEPS, { integer: true })
        .default(1)
        .meta({
          ...readBy('corrector_steps'),
          title: 'Corrector steps',
          widget: 'number',
          description: 'Langevin corrector steps after each predictor step.',
        }),
      seed: z
        .number()
        .int()
        .default(0)
        .meta({
          ...readBy('seed'),
          title: 'Seed',
          widget: 'seed',
          description: 'Seed of the noise for stochastic steps (one Brownian path per seed).',
        }),
    }),
    (p, report) => {
      // Which orders work depends on the algorithm: lms takes up to 4, heun none at all.
      const problem =
        p.order === undefined ? undefined : orderProblem(SOLVER_ALGORITHMS[p.algorithm], p.order);
      if (problem) report(['order'], problem);
    },
  ),
  facts(_params, inputs) {
    const shape = agreedShape(inputs, ['noise', 'denoiser']);
    return shape ? { samples: { shape }, trajectory: { shape } } : {};
  },
  async run(inputs, ctx) {
    const { params } = ctx;
    const { noise, denoiser, timesteps } = inputs;
    const shape = agreedValueShape({ noise, denoiser });
    const { samples: points, trajectory } = await solve({
      algorithm: getSolverAlgorithm(params.algorithm),
      denoiser,
      timesteps,
      x: noise.points,
      shape,
      settings: {
        churn: { sChurn: params.s_churn, sTmin: params.s_tmin, sTmax: params.s_tmax },
        eta: params.eta,
        sNoise: params.s_noise,
        order: params.order,
        r: params.r,
        solverType: params.solver_type,
        variant: params.variant,
        rtol: params.rtol,
        atol: params.atol,
        snr: params.snr,
        correctorSteps: params.corrector_steps,
      },
      noise: brownianTreeNoiseFor(params.seed, timesteps.sigmaTilde),
      hooks: ctx,
    });
    return { samples: samplesCarriedFrom(noise, points, shape), trajectory };
  },
});
