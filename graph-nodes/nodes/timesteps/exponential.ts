// Exponential timesteps: noise levels uniform in log σ̃ (= uniform in λ).
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { exponentialSigmas } from '../../timesteps/exponential';
import { timestepsFromSigmas } from '../../timesteps/from-sigmas';
import {
  checkSigmaRange,
  resolveSigmaRange,
  sigmaMaxParam,
  sigmaMinParam,
  stepsParam,
} from '../../timesteps/node-params';
import { withParamRules } from '../param-rules';

export default defineNode({
  type: 'exponential-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Exponential timesteps',
  description:
    'Noise levels evenly spaced in log σ̃ — that is, in the half log-SNR λ — from σ_max down to ' +
    'σ_min, then 0 (k-diffusion get_sigmas_exponential; DPM-Solver’s logSNR grid). ' +
    'sigma_min / sigma_max = 0 take the schedule’s own σ̃ at t_min / t_max.',
  section: '§9.4 (DPM-Solver: uniform steps in λ)',
  formula: 'σ_i = exp(ln σ_max + i/(n−1)·(ln σ_min − ln σ_max)),  i = 0…n−1;  σ_n = 0',
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
        exponentialSigmas(ctx.params.steps, sigmaMin, sigmaMax),
      ),
    };
  },
});
