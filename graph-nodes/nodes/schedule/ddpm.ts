// A discrete DDPM β table (diffusers' beta_schedule) as a continuous schedule in the table index.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { BETA_SCHEDULES, DEFAULT_BETA_RANGE, ddpmSchedule } from '../../schedules/ddpm';

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
  params: z.object({
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
    beta_start: z
      .number()
      .default(0)
      .meta({
        title: 'β_start',
        widget: 'number',
        description: 'β_0; 0 = the standard value (1e-4 for linear, 0.00085 for scaled_linear).',
        visibleWhen: { beta_schedule: ['linear', 'scaled_linear'] },
      }),
    beta_end: z
      .number()
      .default(0)
      .meta({
        title: 'β_end',
        widget: 'number',
        description: 'β_{T−1}; 0 = the standard value (0.02 for linear, 0.012 for scaled_linear).',
        visibleWhen: { beta_schedule: ['linear', 'scaled_linear'] },
      }),
    num_train_timesteps: z.number().int().min(2).max(100000).default(1000).meta({
      title: 'Training steps T',
      widget: 'number',
      description: 'Length of the table; t runs over 0 … T − 1.',
    }),
    zero_terminal_snr: z.boolean().default(false).meta({
      title: 'Zero terminal SNR',
      description: 'Rescale √ᾱ so that the last step is pure noise (Lin et al. 2023).',
    }),
  }),
  run(_inputs, ctx) {
    const { beta_schedule, num_train_timesteps, zero_terminal_snr } = ctx.params;
    const defaults =
      beta_schedule === 'squaredcos_cap_v2' ? [0, 0] : DEFAULT_BETA_RANGE[beta_schedule];
    const betaStart = ctx.params.beta_start === 0 ? defaults[0]! : ctx.params.beta_start;
    const betaEnd = ctx.params.beta_end === 0 ? defaults[1]! : ctx.params.beta_end;
    if (beta_schedule !== 'squaredcos_cap_v2') {
      if (!(betaStart > 0 && betaStart < 1)) {
        throw new Error(
          `param "beta_start" must lie in (0, 1), or 0 for the default (got ${betaStart})`,
        );
      }
      if (!(betaEnd >= betaStart && betaEnd < 1)) {
        throw new Error(
          `param "beta_end" must lie in [beta_start, 1) = [${betaStart}, 1) (got ${betaEnd})`,
        );
      }
    }
    return {
      schedule: ddpmSchedule({
        betaSchedule: beta_schedule,
        betaStart,
        betaEnd,
        trainSteps: num_train_timesteps,
        zeroTerminalSnr: zero_terminal_snr,
      }),
    };
  },
});
