// The variance-preserving schedule with linear β as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { vpLinearSchedule } from '../../schedules/vp-linear';
import { numberIn, requireAbove, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

// β(t) integrates to −2 log α; past a few dozen σ̃(1) leaves the noise limits anyway, and the
// noise-range rule says so. This bound only keeps the arithmetic finite.
const MAX_BETA = 1000;

const scheduleOptions = (p: { beta_min: number; beta_max: number; t_eps: number }) => ({
  betaMin: p.beta_min,
  betaMax: p.beta_max,
  tEps: p.t_eps,
});

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
  params: withParamRules(
    z.object({
      beta_min: numberIn(0, MAX_BETA)
        .default(0.1)
        .meta({ title: 'β_min', widget: 'number', description: 'β at t = 0.' }),
      beta_max: numberIn(0, MAX_BETA)
        .default(20)
        .meta({ title: 'β_max', widget: 'number', description: 'β at t = 1; above β_min.' }),
      t_eps: numberIn(0, 1, { aboveMin: true, belowMax: true }).default(1e-3).meta({
        title: 't_eps',
        widget: 'number',
        description: 'Smallest sampling time (ε_s).',
      }),
    }),
    (p, report) => {
      if (!requireAbove(p, 'beta_max', 'beta_min', report)) return;
      checkNoiseRange(
        () => vpLinearSchedule(scheduleOptions(p)),
        { low: 't_eps', high: 'beta_max' },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: vpLinearSchedule(scheduleOptions(ctx.params)) }),
});
