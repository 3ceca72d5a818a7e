// Timesteps evenly spaced in the schedule's own time t.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { uniformTimes } from '../../timesteps/uniform';

export default defineNode({
  type: 'uniform-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Uniform timesteps',
  description:
    'Times evenly spaced from t_max down to t_min, each mapped to its noise level σ̃(t), then σ̃ = 0. ' +
    't_min / t_max = 0 take the schedule’s own bounds.',
  section: '§9 (time discretisation; EDM’s VP grid)',
  formula: 't_i = t_max + i/(n−1)·(t_min − t_max),  σ̃_i = σ̃(t_i),  i = 0…n−1;  σ̃_n = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'Supplies σ̃(t) and the default time range.',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'steps + 1 descending noise levels ending at 0, with their times.',
    },
  },
  params: z.object({
    steps: z.number().int().min(1).max(1000).default(20).meta({
      title: 'Steps',
      widget: 'slider',
      step: 1,
      description: 'Number of solver steps n.',
    }),
    t_min: z.number().default(0).meta({
      title: 't_min',
      widget: 'number',
      description: 'Last time before σ̃ = 0; 0 = the schedule’s t_min.',
    }),
    t_max: z.number().default(0).meta({
      title: 't_max',
      widget: 'number',
      description: 'First time; 0 = the schedule’s t_max.',
    }),
  }),
  run(inputs, ctx) {
    const { steps } = ctx.params;
    const { schedule } = inputs;
    const tMin = ctx.params.t_min === 0 ? schedule.tMin : ctx.params.t_min;
    const tMax = ctx.params.t_max === 0 ? schedule.tMax : ctx.params.t_max;
    if (!Number.isFinite(tMin) || !Number.isFinite(tMax) || !(tMax > tMin)) {
      throw new Error(
        `params "t_min" (${tMin}) and "t_max" (${tMax}) must be finite with t_min < t_max`,
      );
    }
    return { timesteps: timestepsFromTimes(schedule, uniformTimes(steps, tMin, tMax)) };
  },
});
