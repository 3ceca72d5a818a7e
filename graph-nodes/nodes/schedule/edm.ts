// The EDM schedule as a node: α = 1, σ(t) = t.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { EDM_DEFAULT_SIGMA_DATA, edmSchedule, type EdmScheduleParams } from '../../schedules/edm';
import { noiseLevel, numberIn, PARAM_LIMITS, requireAbove, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

const scheduleOptions = (p: {
  sigma_min: number;
  sigma_max: number;
  sigma_data: number;
}): EdmScheduleParams => ({
  sigmaMin: p.sigma_min,
  sigmaMax: p.sigma_max,
  sigmaData: p.sigma_data,
});

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
  params: withParamRules(
    z.object({
      sigma_min: noiseLevel().default(0.002).meta({
        title: 'σ_min',
        widget: 'number',
        description: 'Smallest noise level (the data end).',
      }),
      sigma_max: noiseLevel().default(80).meta({
        title: 'σ_max',
        widget: 'number',
        description: 'Largest noise level (the noise end); above σ_min.',
      }),
      sigma_data: numberIn(0, PARAM_LIMITS.coordinate, {
        aboveMin: true,
        what: 'a standard deviation',
      })
        .default(EDM_DEFAULT_SIGMA_DATA)
        .meta({
          title: 'σ_data',
          widget: 'number',
          description: 'Standard deviation of the data, used by EDM preconditioning.',
        }),
    }),
    (p, report) => {
      if (!requireAbove(p, 'sigma_max', 'sigma_min', report)) return;
      checkNoiseRange(
        () => edmSchedule(scheduleOptions(p)),
        { low: 'sigma_min', high: 'sigma_max' },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: edmSchedule(scheduleOptions(ctx.params)) }),
});
