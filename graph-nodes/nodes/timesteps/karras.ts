// Karras (EDM) timesteps over a schedule's noise range.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromSigmas } from '../../timesteps/from-sigmas';
import { karrasSigmas } from '../../timesteps/karras';

export default defineNode({
  type: 'karras-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Karras timesteps',
  description:
    'Noise levels evenly spaced in σ̃^{1/ρ} from σ_max down to σ_min, then 0 (k-diffusion ' +
    'get_sigmas_karras). sigma_min / sigma_max = 0 take the schedule’s own σ̃ at t_min / t_max.',
  section: '§9 (EDM time discretisation)',
  formula: 'σ_i = (σ_max^{1/ρ} + i/(n−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ,  i = 0…n−1;  σ_n = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'Maps each σ̃ to its time t and supplies the default noise range.',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'steps + 1 descending noise levels ending at 0, with their times.',
    },
  },
  params: z.object({
    steps: z.number().int().min(1).max(1000).default(20).meta({
      title: 'Steps',
      widget: 'slider',
      step: 1,
      description: 'Number of solver steps n.',
    }),
    sigma_min: z.number().default(0).meta({
      title: 'σ_min',
      widget: 'number',
      description: 'Last non-zero noise level; 0 = the schedule’s σ̃(t_min).',
    }),
    sigma_max: z.number().default(0).meta({
      title: 'σ_max',
      widget: 'number',
      description: 'First noise level; 0 = the schedule’s σ̃(t_max).',
    }),
    rho: z.number().default(7).meta({
      title: 'ρ',
      widget: 'number',
      description: 'Larger ρ packs steps towards σ_min; ρ = 7 is EDM’s choice.',
    }),
  }),
  run(inputs, ctx) {
    const { steps, rho } = ctx.params;
    const { schedule } = inputs;
    const sigmaMin =
      ctx.params.sigma_min === 0 ? schedule.sigmaTilde(schedule.tMin) : ctx.params.sigma_min;
    const sigmaMax =
      ctx.params.sigma_max === 0 ? schedule.sigmaTilde(schedule.tMax) : ctx.params.sigma_max;
    if (!(sigmaMin > 0) || !Number.isFinite(sigmaMin)) {
      throw new Error(
        `param "sigma_min" must be > 0, or 0 for the schedule’s own (got ${sigmaMin})`,
      );
    }
    if (!(sigmaMax > sigmaMin) || !Number.isFinite(sigmaMax)) {
      throw new Error(
        `param "sigma_max" (${sigmaMax}) must be finite and greater than sigma_min (${sigmaMin})`,
      );
    }
    if (!(rho > 0)) throw new Error(`param "rho" must be > 0 (got ${rho})`);
    return {
      timesteps: timestepsFromSigmas(schedule, karrasSigmas(steps, sigmaMin, sigmaMax, rho)),
    };
  },
});
