// The variance-exploding schedule as a node: α = 1, geometric σ(t).
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { veSchedule } from '../../schedules/ve';

export default defineNode({
  type: 've-schedule',
  version: 1,
  kind: 'schedule',
  title: 'VE schedule',
  description:
    'Variance exploding (NCSN++, Score SDE): the signal is never scaled and the noise level grows ' +
    'geometrically from σ_min at t = 0 to σ_max at t = 1.',
  section: '§4.3 (VE SDE), §3.4 (NCSN)',
  formula: 'α(t) = 1,  σ(t) = σ_min (σ_max/σ_min)^t,  σ̇ = σ ln(σ_max/σ_min),  t ∈ [0, 1]',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses.',
    },
  },
  params: z.object({
    sigma_min: z
      .number()
      .default(0.01)
      .meta({ title: 'σ_min', widget: 'number', description: 'Noise level at t = 0; > 0.' }),
    sigma_max: z
      .number()
      .default(50)
      .meta({ title: 'σ_max', widget: 'number', description: 'Noise level at t = 1; > σ_min.' }),
  }),
  run(_inputs, ctx) {
    const { sigma_min, sigma_max } = ctx.params;
    if (!(sigma_min > 0)) throw new Error(`param "sigma_min" must be > 0 (got ${sigma_min})`);
    if (!(sigma_max > sigma_min)) {
      throw new Error(
        `param "sigma_max" must be greater than sigma_min = ${sigma_min} (got ${sigma_max})`,
      );
    }
    return { schedule: veSchedule({ sigmaMin: sigma_min, sigmaMax: sigma_max }) };
  },
});
