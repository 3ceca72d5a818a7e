// The variance-preserving cosine schedule (improved DDPM) as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import {
  VP_COSINE_DEFAULT_S,
  VP_COSINE_DEFAULT_T_MAX,
  VP_COSINE_DEFAULT_T_MIN,
  vpCosineSchedule,
} from '../../schedules/vp-cosine';
import { numberIn, requireAbove, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

const scheduleOptions = (p: { s: number; t_min: number; t_max: number }) => ({
  s: p.s,
  tMin: p.t_min,
  tMax: p.t_max,
});

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
  params: withParamRules(
    z.object({
      s: numberIn(0, 1, { aboveMin: true }).default(VP_COSINE_DEFAULT_S).meta({
        title: 's',
        widget: 'number',
        description: 'Offset that keeps β small near t = 0 (0.008 in improved DDPM).',
      }),
      t_min: numberIn(0, 1, { aboveMin: true, belowMax: true })
        .default(VP_COSINE_DEFAULT_T_MIN)
        .meta({
          title: 't_min',
          widget: 'number',
          description: 'Smallest sampling time, below t_max; σ̃ = 0 at t = 0.',
        }),
      t_max: numberIn(0, 1, { aboveMin: true, belowMax: true })
        .default(VP_COSINE_DEFAULT_T_MAX)
        .meta({
          title: 't_max',
          widget: 'number',
          description:
            'Largest sampling time, above t_min; α = 0 at t = 1, so keep λ ≥ −5.1 (t ≤ 0.9946) ' +
            'for stability.',
        }),
    }),
    (p, report) => {
      if (!requireAbove(p, 't_max', 't_min', report)) return;
      checkNoiseRange(
        () => vpCosineSchedule(scheduleOptions(p)),
        { low: 't_min', high: 't_max' },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: vpCosineSchedule(scheduleOptions(ctx.params)) }),
});
