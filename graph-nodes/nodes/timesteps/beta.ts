// ComfyUI's "beta" timesteps: table indices at the quantiles of a Beta(α, β) distribution.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { betaIndices } from '../../timesteps/beta';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { stepsParam } from '../../timesteps/node-params';
import { timeTable, timesAt } from '../../timesteps/time-table';
import { numberIn } from '../param-rules';

// A shape parameter of the Beta distribution. Its quantiles are found by bisection on a continued
// fraction, which converges over this range (and the scheduler needs nothing outside it).
const betaShape = () => numberIn(0.01, 100, { what: 'a shape parameter' });

export default defineNode({
  type: 'beta-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Beta timesteps',
  description:
    'ComfyUI’s beta scheduler (Lee et al. 2024): table index rint(BetaPPF(1 − k/n; α, β)·(L − 1)) ' +
    'for k = 0…n−1, repeats dropped, then 0. α = β = 0.6 puts more steps near both ends. ' +
    'Continuous schedules are tabulated at 1000 times (see Simple timesteps).',
  section: '§9 (time discretisation)',
  formula: 'i_k = rint(F⁻¹_{Beta(α,β)}(1 − k/n)·(L − 1)),  k = 0…n−1, deduplicated;  then σ̃ = 0',
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
  params: z.object({
    steps: stepsParam(),
    alpha: betaShape().default(0.6).meta({
      title: 'α',
      widget: 'number',
      description: 'First shape parameter of the Beta distribution; < 1 crowds steps at low noise.',
    }),
    beta: betaShape().default(0.6).meta({
      title: 'β',
      widget: 'number',
      description: 'Second shape parameter; < 1 crowds steps at high noise.',
    }),
  }),
  run(inputs, ctx) {
    const { steps, alpha, beta } = ctx.params;
    const { schedule } = inputs;
    const table = timeTable(schedule);
    const indices = betaIndices(steps, table.times.length, alpha, beta);
    return { timesteps: timestepsFromTimes(schedule, timesAt(table, indices)) };
  },
});
