// The rectified-flow (flow matching) schedule with the SD3/Flux shift, as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import {
  RECTIFIED_FLOW_DEFAULT_T_MAX,
  RECTIFIED_FLOW_DEFAULT_T_MIN,
  rectifiedFlowSchedule,
} from '../../schedules/rectified-flow';
import { numberIn, requireAbove, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

// SD3 uses 3 and Flux about 1.15–3; far beyond, σ̃ = k t/(1 − t) leaves the noise limits anyway.
const MAX_SHIFT = 1000;

const scheduleOptions = (p: { shift: number; t_min: number; t_max: number }) => ({
  shift: p.shift,
  tMin: p.t_min,
  tMax: p.t_max,
});

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
  params: withParamRules(
    z.object({
      shift: numberIn(0, MAX_SHIFT, { aboveMin: true }).default(1).meta({
        title: 'Shift k',
        widget: 'number',
        description:
          'SD3/Flux shift; 1 is plain rectified flow, > 1 spends more steps at high noise.',
      }),
      t_min: numberIn(0, 1, { aboveMin: true, belowMax: true })
        .default(RECTIFIED_FLOW_DEFAULT_T_MIN)
        .meta({
          title: 't_min',
          widget: 'number',
          description: 'Smallest sampling time, below t_max.',
        }),
      t_max: numberIn(0, 1, { aboveMin: true, belowMax: true })
        .default(RECTIFIED_FLOW_DEFAULT_T_MAX)
        .meta({
          title: 't_max',
          widget: 'number',
          description: 'Largest sampling time, above t_min; σ̃ is infinite at t = 1.',
        }),
    }),
    (p, report) => {
      if (!requireAbove(p, 't_max', 't_min', report)) return;
      checkNoiseRange(
        () => rectifiedFlowSchedule(scheduleOptions(p)),
        { low: 't_min', high: 't_max' },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: rectifiedFlowSchedule(scheduleOptions(ctx.params)) }),
});
