// ComfyUI's "ddim_uniform" timesteps: every ⌊L/n⌋-th entry of the noise table from index 1.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { ddimUniformIndices } from '../../timesteps/ddim-uniform';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { stepsParam } from '../../timesteps/node-params';
import { timeTable, timesAt } from '../../timesteps/time-table';

export default defineNode({
  type: 'ddim-uniform-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'DDIM-uniform timesteps',
  description:
    'ComfyUI’s ddim_uniform scheduler: table entries 1, 1 + s, 1 + 2s, … with s = ⌊L/n⌋, ' +
    'noisiest first, then 0. When s does not divide L − 1 this gives a step or more beyond n, as ' +
    'in ComfyUI. Continuous schedules are tabulated at 1000 times (see Simple timesteps).',
  section: '§9.2 (DDIM)',
  formula: 'i ∈ {1, 1+s, 1+2s, …} ∩ [1, L),  s = max(⌊L/n⌋, 1),  descending;  then σ̃ = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description:
        'Supplies the noise table (its own, or 1000 levels tabulated from it) and σ̃ ↦ t.',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'Descending noise levels from the table, ending at 0, with their times.',
    },
  },
  params: z.object({ steps: stepsParam() }),
  run(inputs, ctx) {
    const { schedule } = inputs;
    const table = timeTable(schedule);
    const indices = ddimUniformIndices(ctx.params.steps, table.times.length);
    return { timesteps: timestepsFromTimes(schedule, timesAt(table, indices)) };
  },
});
