// Polyexponential timesteps: the exponential grid with its ramp bent by a power ρ.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { polyexponentialSigmas } from '../../timesteps/exponential';
import { timestepsFromSigmas } from '../../timesteps/from-sigmas';
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
  type: 'polyexponential-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Polyexponential timesteps',
  description:
    'Noise levels with log(σ̃/σ_min) proportional to (1 − i/(n−1))^ρ, then 0 (k-diffusion ' +
    'get_sigmas_polyexponential). ρ = 1 is the exponential grid; larger ρ packs steps towards ' +
    'σ_min. sigma_min / sigma_max = 0 take the schedule’s own σ̃ at t_min / t_max.',
  section: '§9 (time discretisation)',
  formula: 'σ_i = exp((1 − i/(n−1))^ρ · ln(σ_max/σ_min) + ln σ_min),  i = 0…n−1;  σ_n = 0',
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
      rho: rhoParam(1, 'Power on the ramp; 1 = exponential, larger packs steps towards σ_min.'),
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
      timesteps: timestepsFromSigmas(
        schedule,
        polyexponentialSigmas(steps, sigmaMin, sigmaMax, rho),
      ),
    };
  },
});
