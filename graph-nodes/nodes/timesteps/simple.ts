// ComfyUI's "simple" timesteps: evenly strided entries from the top of the noise table.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { stepsParam } from '../../timesteps/node-params';
import { simpleIndices } from '../../timesteps/simple';
import { timeTable, timesAt } from '../../timesteps/time-table';

export default defineNode({
  type: 'simple-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Simple timesteps',
  description:
    'ComfyUI’s simple scheduler: n entries taken every L/n from the noisy end of the schedule’s ' +
    'noise table (length L), then 0. Discrete schedules use their own table; continuous ones are ' +
    'tabulated at 1000 times evenly spaced in their model clock (log σ for EDM).',
  section: '§9 (time discretisation)',
  formula: 'i_k = L − 1 − ⌊k·L/n⌋,  σ̃_k = table[i_k],  k = 0…n−1;  σ̃_n = 0',
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
    const indices = simpleIndices(ctx.params.steps, table.times.length);
    return { timesteps: timestepsFromTimes(schedule, timesAt(table, indices)) };
  },
});
