// KL-optimal timesteps: noise levels uniform in arctan σ̃.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromSigmas } from '../../timesteps/from-sigmas';
import { klOptimalSigmas } from '../../timesteps/kl-optimal';
import {
  checkSigmaRange,
  resolveSigmaRange,
  sigmaMaxParam,
  sigmaMinParam,
  stepsParam,
} from '../../timesteps/node-params';
import { withParamRules } from '../param-rules';

export default defineNode({
  type: 'kl-optimal-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'KL-optimal timesteps',
  description:
    'Noise levels evenly spaced in arctan σ̃ from σ_max down to σ_min, then 0 (Sabour et al. 2024; ' +
    'ComfyUI kl_optimal). sigma_min / sigma_max = 0 take the schedule’s own σ̃ at t_min / t_max.',
  section: '§9 (time discretisation)',
  formula: 'σ_i = tan(i/(n−1)·atan σ_min + (1 − i/(n−1))·atan σ_max),  i = 0…n−1;  σ_n = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'Maps each σ̃ to its time t and supplies the default noise range.',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'steps + 1 descending noise levels ending at 0, with their times.',
    },
  },
  params: withParamRules(
    z.object({ steps: stepsParam(), sigma_min: sigmaMinParam(), sigma_max: sigmaMaxParam() }),
    checkSigmaRange,
  ),
  run(inputs, ctx) {
    const { schedule } = inputs;
    const { sigmaMin, sigmaMax } = resolveSigmaRange(
      schedule,
      ctx.params.sigma_min,
      ctx.params.sigma_max,
    );
    return {
      timesteps: timestepsFromSigmas(
        schedule,
        klOptimalSigmas(ctx.params.steps, sigmaMin, sigmaMax),
      ),
    };
  },
});
