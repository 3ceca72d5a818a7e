// The Solver node: integrates the PF-ODE from the initial noise down the timestep list with one
// of the registered algorithms, recording every step.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import type { Samples } from '../../core/values';
import {
  CHURN_ALGORITHM_NAMES,
  SOLVER_ALGORITHM_NAMES,
  getSolverAlgorithm,
} from '../../solvers/algorithms';
import { gaussianNoise, solve } from '../../solvers/loop';

const churnOnly = { visibleWhen: { algorithm: CHURN_ALGORITHM_NAMES } };

/** s_tmax's default: above any σ̃ a schedule produces, i.e. "no upper bound" (JSON has no ∞). */
export const S_TMAX_UNBOUNDED = 1e9;

export default defineNode({
  type: 'solver',
  version: 1,
  kind: 'solver',
  title: 'Solver',
  description:
    'Integrates the probability-flow ODE from the initial noise down the timestep list, ' +
    'and records every step of every particle.',
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
  params: z.object({
    algorithm: z.enum(SOLVER_ALGORITHM_NAMES).default('euler').meta({
      title: 'Algorithm',
      widget: 'select',
      description: 'k-diffusion sampler name.',
    }),
    s_churn: z
      .number()
      .min(0)
      .default(0)
      .meta({
        ...churnOnly,
        title: 'S_churn',
        widget: 'number',
        description:
          'EDM stochasticity: γ = min(S_churn/N, √2 − 1). 0 gives the deterministic ODE.',
      }),
    s_tmin: z
      .number()
      .min(0)
      .default(0)
      .meta({
        ...churnOnly,
        title: 'S_tmin',
        widget: 'number',
        description: 'Churn only where σ̃ ≥ S_tmin.',
      }),
    s_tmax: z
      .number()
      .min(0)
      .default(S_TMAX_UNBOUNDED)
      .meta({
        ...churnOnly,
        title: 'S_tmax',
        widget: 'number',
        description: 'Churn only where σ̃ ≤ S_tmax (the default 1e9 means no bound).',
      }),
    s_noise: z
      .number()
      .min(0)
      .default(1)
      .meta({
        ...churnOnly,
        title: 'S_noise',
        widget: 'number',
        description: 'Scale of the churn noise.',
      }),
    seed: z.number().int().default(0).meta({
      title: 'Seed',
      widget: 'seed',
      description: 'Seed of the noise for stochastic steps.',
    }),
  }),
  async run(inputs, ctx) {
    const { params } = ctx;
    const { noise, denoiser, timesteps } = inputs;
    const [, dim] = noise.points.shape;
    if (dim !== denoiser.dim) {
      throw new Error(
        `input "noise" has ${dim}-dimensional points but the denoiser works in ${denoiser.dim} ` +
          "dimensions; connect noise drawn in the denoiser's dimension",
      );
    }
    const { samples: points, trajectory } = await solve({
      algorithm: getSolverAlgorithm(params.algorithm),
      denoiser,
      timesteps,
      x: noise.points,
      settings: {
        churn: {
          sChurn: params.s_churn,
          sTmin: params.s_tmin,
          sTmax: params.s_tmax,
          sNoise: params.s_noise,
        },
      },
      noise: gaussianNoise(params.seed),
      hooks: ctx,
    });
    const samples: Samples = {
      points,
      ...(noise.labels ? { labels: noise.labels } : {}),
      dispose: () => points.dispose(),
    };
    return { samples, trajectory };
  },
});
