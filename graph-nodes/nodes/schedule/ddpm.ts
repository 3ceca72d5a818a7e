// A discrete DDPM β table (diffusers' beta_schedule) as a continuous schedule in the table index.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import {
  BETA_SCHEDULES,
  DEFAULT_BETA_RANGE,
  ddpmSchedule,
  type BetaSchedule,
  type DdpmScheduleParams,
} from '../../schedules/ddpm';
import { numberIn, PARAM_LIMITS, withParamRules } from '../param-rules';
import { checkNoiseRange } from './schedule-rules';

/** The library's options, with β_start / β_end = 0 replaced by the schedule's standard values. */
function scheduleOptions(p: {
  beta_schedule: BetaSchedule;
  beta_start: number;
  beta_end: number;
  num_train_timesteps: number;
  zero_terminal_snr: boolean;
}): DdpmScheduleParams {
  const standard =
    p.beta_schedule === 'squaredcos_cap_v2' ? [0, 0] : DEFAULT_BETA_RANGE[p.beta_schedule];
  return {
    betaSchedule: p.beta_schedule,
    betaStart: p.beta_start === 0 ? standard[0]! : p.beta_start,
    betaEnd: p.beta_end === 0 ? standard[1]! : p.beta_end,
    trainSteps: p.num_train_timesteps,
    zeroTerminalSnr: p.zero_terminal_snr,
  };
}

export default defineNode({
  type: 'ddpm-schedule',
  version: 1,
  kind: 'schedule',
  title: 'DDPM schedule (discrete β table)',
  description:
    'A model trained on T discrete steps: ᾱ_i = Π(1 − β_j) for β from diffusers’ beta_schedule, ' +
    'and σ̃_i = √((1 − ᾱ_i)/ᾱ_i). Time t is the table index 0 … T − 1; between entries log σ̃ is ' +
    'interpolated linearly (k-diffusion’s DiscreteSchedule). Zero terminal SNR rescales √ᾱ so that ' +
    'ᾱ_{T−1} = 0; that entry is then capped at ᾱ = 4.9e-8 (σ̃ ≈ 4519), as ComfyUI does.',
  section: '§2.2 (DDPM), §4.3 (VP SDE)',
  formula:
    'ᾱ_i = Π_{j≤i}(1 − β_j),  σ̃_i = √((1−ᾱ_i)/ᾱ_i),  log σ̃(t) linear between integers,  α = 1/√(1+σ̃²)',
  inputs: {},
  outputs: {
    schedule: {
      type: 'schedule',
      description: 'α(t), σ(t), their derivatives, λ(t) and σ̃(t) with inverses, and the σ̃ table.',
    },
  },
  params: withParamRules(
    z.object({
      beta_schedule: z
        .enum(BETA_SCHEDULES)
        .default('linear')
        .meta({
          title: 'β schedule',
          widget: 'select',
          description:
            'linear: β = linspace(β_start, β_end) (DDPM); scaled_linear: linspace(√β_start, √β_end)² ' +
            '(Stable Diffusion); squaredcos_cap_v2: the cosine ᾱ of improved DDPM.',
        }),
      beta_start: numberIn(0, 1, { belowMax: true })
        .default(0)
        .meta({
          title: 'β_start',
          widget: 'number',
          description: 'β_0; 0 = the standard value (1e-4 for linear, 0.00085 for scaled_linear).',
          visibleWhen: { beta_schedule: ['linear', 'scaled_linear'] },
        }),
      beta_end: numberIn(0, 1, { belowMax: true })
        .default(0)
        .meta({
          title: 'β_end',
          widget: 'number',
          description:
            'β_{T−1}, at least β_start; 0 = the standard value (0.02 for linear, 0.012 for ' +
            'scaled_linear).',
          visibleWhen: { beta_schedule: ['linear', 'scaled_linear'] },
        }),
      num_train_timesteps: numberIn(2, PARAM_LIMITS.trainSteps, { integer: true })
        .default(1000)
        .meta({
          title: 'Training steps T',
          widget: 'number',
          description: 'Length of the table; t runs over 0 … T − 1.',
        }),
      zero_terminal_snr: z
        .boolean()
        .default(false)
        .meta({
          title: 'Zero terminal SNR',
          description:
            'Rescale √ᾱ so that the last step is pure noise (Lin et al. 2023). Needs a table whose ' +
            'next-to-last σ̃ stays below the capped last one (≈ 4519): scaled_linear or ' +
            'squaredcos_cap_v2 at T = 1000, not linear.',
        }),
    }),
    (p, report) => {
      const options = scheduleOptions(p);
      const usesBetas = p.beta_schedule !== 'squaredcos_cap_v2';
      if (usesBetas && !(options.betaEnd >= options.betaStart)) {
        report(
          ['beta_end'],
          `must be at least β_start = ${options.betaStart} (got ${options.betaEnd}; 0 stands ` +
            `for the schedule's standard value)`,
        );
        return;
      }
      checkNoiseRange(
        () => ddpmSchedule(options),
        {
          low: usesBetas ? 'beta_start' : 'num_train_timesteps',
          high: usesBetas ? 'beta_end' : 'num_train_timesteps',
          failure: p.zero_terminal_snr ? 'zero_terminal_snr' : 'num_train_timesteps',
        },
        report,
      );
    },
  ),
  run: (_inputs, ctx) => ({ schedule: ddpmSchedule(scheduleOptions(ctx.params)) }),
});
