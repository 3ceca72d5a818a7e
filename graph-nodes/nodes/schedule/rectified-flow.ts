// The rectified-flow (flow matching) schedule with the SD3/Flux shift, as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import {
  RECTIFIED_FLOW_DEFAULT_T_MAX,
  RECTIFIED_FLOW_DEFAULT_T_MIN,
  rectifiedFlowSchedule,
} from '../../schedules/rectified-flow';

export default defineNode({
  type: 'rectified-flow-schedule',
  version: 1,
  kind: 'schedule',
  title: 'Rectified-flow schedule',
  description:
    'Straight-line interpolation x_t = (1 − s) x₀ + s ε between data and noise, with the SD3/Flux ' +
    'shift s = k t/(1 + (k − 1) t), which multiplies σ̃ by k. t_max stays below 1 because σ̃ is ' +
    'infinite at t = 1; the default 0.999 gives σ̃ = 999·k.',
  section: '§5.4 (canonical affine flow), §5.3',
  formula: 's = k t/(1+(k−1)t),  α = 1 − s,  σ = s,  σ̃ = k t/(1 − t),  t = σ̃/(k + σ̃)',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses.',
    },
  },
  params: z.object({
    shift: z.number().default(1).meta({
      title: 'Shift k',
      widget: 'number',
      description:
        'SD3/Flux shift; 1 is plain rectified flow, > 1 spends more steps at high noise.',
    }),
    t_min: z.number().default(RECTIFIED_FLOW_DEFAULT_T_MIN).meta({
      title: 't_min',
      widget: 'number',
      description: 'Smallest sampling time, in (0, t_max).',
    }),
    t_max: z.number().default(RECTIFIED_FLOW_DEFAULT_T_MAX).meta({
      title: 't_max',
      widget: 'number',
      description: 'Largest sampling time, in (t_min, 1).',
    }),
  }),
  run(_inputs, ctx) {
    const { shift, t_min, t_max } = ctx.params;
    if (!(shift > 0)) throw new Error(`param "shift" must be > 0 (got ${shift})`);
    if (!(t_min > 0 && t_min < 1))
      throw new Error(`param "t_min" must lie in (0, 1) (got ${t_min})`);
    if (!(t_max > t_min && t_max < 1)) {
      throw new Error(
        `param "t_max" must lie in (t_min, 1) = (${t_min}, 1) (got ${t_max}); σ̃ is infinite at t = 1`,
      );
    }
    return { schedule: rectifiedFlowSchedule({ shift, tMin: t_min, tMax: t_max }) };
  },
});
