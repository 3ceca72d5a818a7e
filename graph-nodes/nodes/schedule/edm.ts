// The EDM schedule as a node: α = 1, σ(t) = t.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { EDM_DEFAULT_SIGMA_DATA, edmSchedule } from '../../schedules/edm';

export default defineNode({
  type: 'edm-schedule',
  version: 1,
  kind: 'schedule',
  title: 'EDM schedule',
  description:
    'Karras et al. (EDM): no signal scaling and noise level equal to time, so the probability-flow ' +
    'ODE is dx/dt = (x − D(x; t))/t. Time runs over [σ_min, σ_max]. σ_data travels with the ' +
    'schedule for the preconditioning of learned models.',
  section: '§D.6 (EDM), §4.3',
  formula: 'α(t) = 1,  σ(t) = t,  σ̃ = t,  λ = −ln t,  t ∈ [σ_min, σ_max]',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses.',
    },
  },
  params: z.object({
    sigma_min: z.number().default(0.002).meta({
      title: 'σ_min',
      widget: 'number',
      description: 'Smallest noise level (the data end); > 0.',
    }),
    sigma_max: z.number().default(80).meta({
      title: 'σ_max',
      widget: 'number',
      description: 'Largest noise level (the noise end); > σ_min.',
    }),
    sigma_data: z.number().default(EDM_DEFAULT_SIGMA_DATA).meta({
      title: 'σ_data',
      widget: 'number',
      description: 'Standard deviation of the data, used by EDM preconditioning; > 0.',
    }),
  }),
  run(_inputs, ctx) {
    const { sigma_min, sigma_max, sigma_data } = ctx.params;
    if (!(sigma_min > 0)) throw new Error(`param "sigma_min" must be > 0 (got ${sigma_min})`);
    if (!(sigma_max > sigma_min)) {
      throw new Error(
        `param "sigma_max" must be greater than sigma_min = ${sigma_min} (got ${sigma_max})`,
      );
    }
    if (!(sigma_data > 0)) throw new Error(`param "sigma_data" must be > 0 (got ${sigma_data})`);
    return {
      schedule: edmSchedule({ sigmaMin: sigma_min, sigmaMax: sigma_max, sigmaData: sigma_data }),
    };
  },
});
