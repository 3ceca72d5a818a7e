// The variance-preserving schedule with linear β as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { vpLinearSchedule } from '../../schedules/vp-linear';

export default defineNode({
  type: 'vp-linear-schedule',
  version: 1,
  kind: 'schedule',
  title: 'VP schedule (linear β)',
  description:
    'Variance preserving (DDPM in continuous time, Score SDE): β(t) grows linearly from β_min to ' +
    'β_max and α² + σ² = 1. Sampling runs over [t_eps, 1].',
  section: '§4.3 (VP SDE), §2.2 (DDPM)',
  formula: 'α = exp(−¼t²(β_max−β_min) − ½tβ_min),  σ = √(1−α²),  σ̃ = √(exp(½β_d t² + β_min t) − 1)',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses.',
    },
  },
  params: z.object({
    beta_min: z
      .number()
      .default(0.1)
      .meta({ title: 'β_min', widget: 'number', description: 'β at t = 0; ≥ 0.' }),
    beta_max: z
      .number()
      .default(20)
      .meta({ title: 'β_max', widget: 'number', description: 'β at t = 1; > β_min.' }),
    t_eps: z.number().default(1e-3).meta({
      title: 't_eps',
      widget: 'number',
      description: 'Smallest sampling time (ε_s), in (0, 1).',
    }),
  }),
  run(_inputs, ctx) {
    const { beta_min, beta_max, t_eps } = ctx.params;
    if (!(beta_min >= 0)) throw new Error(`param "beta_min" must be ≥ 0 (got ${beta_min})`);
    if (!(beta_max > beta_min)) {
      throw new Error(
        `param "beta_max" must be greater than beta_min = ${beta_min} (got ${beta_max})`,
      );
    }
    if (!(t_eps > 0 && t_eps < 1))
      throw new Error(`param "t_eps" must lie in (0, 1) (got ${t_eps})`);
    return { schedule: vpLinearSchedule({ betaMin: beta_min, betaMax: beta_max, tEps: t_eps }) };
  },
});
