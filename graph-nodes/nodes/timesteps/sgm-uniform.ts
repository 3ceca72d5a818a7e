// ComfyUI's "sgm_uniform" and "normal" timesteps: even steps in the model's own clock.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { stepsParam } from '../../timesteps/node-params';
import { CLOCK_UNIFORM_VARIANTS, clockUniformTimes } from '../../timesteps/sgm-uniform';

export default defineNode({
  type: 'sgm-uniform-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'SGM-uniform timesteps',
  description:
    'ComfyUI’s sgm_uniform (n + 1 times evenly spaced in the model clock from t_max to t_min, the ' +
    'last dropped) or normal (n times, t_min included), each mapped to σ̃, then 0. The clock is ' +
    'the schedule’s t (the table index for DDPM), or ln σ for EDM, as in ComfyUI.',
  section: '§9 (time discretisation)',
  formula: 'sgm_uniform: c_k = c_max + k/n·(c_min − c_max),  k = 0…n−1;  σ̃_k = σ̃(t(c_k));  σ̃_n = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'Supplies the time range and σ̃(t).',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'steps + 1 descending noise levels ending at 0, with their times.',
    },
  },
  params: z.object({
    steps: stepsParam(),
    variant: z.enum(CLOCK_UNIFORM_VARIANTS).default('sgm_uniform').meta({
      title: 'Variant',
      widget: 'select',
      description: 'sgm_uniform stops one step short of t_min; normal ends on it.',
    }),
  }),
  run(inputs, ctx) {
    const { schedule } = inputs;
    const times = clockUniformTimes(schedule, ctx.params.steps, ctx.params.variant);
    return { timesteps: timestepsFromTimes(schedule, times) };
  },
});
