// The variance-preserving cosine schedule (improved DDPM) as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import {
  VP_COSINE_DEFAULT_S,
  VP_COSINE_DEFAULT_T_MAX,
  VP_COSINE_DEFAULT_T_MIN,
  vpCosineSchedule,
} from '../../schedules/vp-cosine';

export default defineNode({
  type: 'vp-cosine-schedule',
  version: 1,
  kind: 'schedule',
  title: 'VP schedule (cosine)',
  description:
    'Variance preserving with Nichol & Dhariwal’s cosine ᾱ, in continuous time. α reaches 0 at ' +
    't = 1 (λ = −∞), so sampling stops at t_max = 0.9946 (λ ≈ −4.78), as DPM-Solver does.',
  section: '§4.3 (VP SDE), §2.2 (DDPM)',
  formula: 'α = cos(((t+s)/(1+s))·π/2) / cos((s/(1+s))·π/2),  σ = √(1−α²),  σ̃ = σ/α',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses.',
    },
  },
  params: z.object({
    s: z.number().default(VP_COSINE_DEFAULT_S).meta({
      title: 's',
      widget: 'number',
      description: 'Offset that keeps β small near t = 0; > 0 (0.008 in improved DDPM).',
    }),
    t_min: z.number().default(VP_COSINE_DEFAULT_T_MIN).meta({
      title: 't_min',
      widget: 'number',
      description: 'Smallest sampling time, in (0, t_max); σ̃ = 0 at t = 0.',
    }),
    t_max: z.number().default(VP_COSINE_DEFAULT_T_MAX).meta({
      title: 't_max',
      widget: 'number',
      description:
        'Largest sampling time, in (t_min, 1); keep λ ≥ −5.1 (t ≤ 0.9946) for stability.',
    }),
  }),
  run(_inputs, ctx) {
    const { s, t_min, t_max } = ctx.params;
    if (!(s > 0)) throw new Error(`param "s" must be > 0 (got ${s})`);
    if (!(t_min > 0 && t_min < 1)) {
      throw new Error(`param "t_min" must lie in (0, 1) (got ${t_min})`);
    }
    if (!(t_max > t_min && t_max < 1)) {
      throw new Error(
        `param "t_max" must lie in (t_min, 1) = (${t_min}, 1) (got ${t_max}); α = 0 at t = 1`,
      );
    }
    return { schedule: vpCosineSchedule({ s, tMin: t_min, tMax: t_max }) };
  },
});
