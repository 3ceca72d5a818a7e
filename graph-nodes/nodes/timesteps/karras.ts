// Karras (EDM) timesteps over a schedule's noise range.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { timestepsFromSigmas } from '../../timesteps/from-sigmas';
import { karrasSigmas } from '../../timesteps/karras';
import {
  checkSigmaRange,
  resolveSigmaRange,
  rhoParam,
  sigmaMaxParam,
  sigmaMinParam,
  stepsParam,
} from '../../timesteps/node-params';
import { withParamRules } from '../param-rules';

export default defineNode({
  type: 'karras-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Karras timesteps',
  description:
    'Noise levels evenly spaced in σ̃^{1/ρ} from σ_max down to σ_min, then 0 (k-diffusion ' +
    'get_sigmas_karras). sigma_min / sigma_max = 0 take the schedule’s own σ̃ at t_min / t_max.',
  section: '§9 (EDM time discretisation)',
  formula: 'σ_i = (σ_max^{1/ρ} + i/(n−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ,  i = 0…n−1;  σ_n = 0',
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
    z.object({
      steps: stepsParam(),
      sigma_min: sigmaMinParam(),
      sigma_max: sigmaMaxParam(),
      rho: rhoParam(7, 'Larger ρ packs steps towards σ_min; ρ = 7 is EDM’s choice.', 'slider'),
    }),
    checkSigmaRange,
  ),
  run(inputs, ctx) {
    const { steps, rho } = ctx.params;
    const { schedule } = inputs;
    const { sigmaMin, sigmaMax } = resolveSigmaRange(
      schedule,
      ctx.params.sigma_min,
      ctx.params.sigma_max,
    );
    return {
      timesteps: timestepsFromSigmas(schedule, karrasSigmas(steps, sigmaMin, sigmaMax, rho)),
    };
  },
});
