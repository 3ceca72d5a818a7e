// The variance-exploding schedule as a node: α = 1, geometric σ(t).
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { veSchedule } from '../../schedules/ve';
import { noiseLevel, requireAbove, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

const scheduleOptions = (p: { sigma_min: number; sigma_max: number }) => ({
  sigmaMin: p.sigma_min,
  sigmaMax: p.sigma_max,
});

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
  params: withParamRules(
    z.object({
      sigma_min: noiseLevel()
        .default(0.01)
        .meta({ title: 'σ_min', widget: 'number', description: 'Noise level at t = 0.' }),
      sigma_max: noiseLevel().default(50).meta({
        title: 'σ_max',
        widget: 'number',
        description: 'Noise level at t = 1; above σ_min.',
      }),
    }),
    (p, report) => {
      if (!requireAbove(p, 'sigma_max', 'sigma_min', report)) return;
      checkNoiseRange(
        () => veSchedule(scheduleOptions(p)),
        { low: 'sigma_min', high: 'sigma_max' },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: veSchedule(scheduleOptions(ctx.params)) }),
});
