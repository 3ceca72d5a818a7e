// Samples with any flow map in a few jumps (1, 2, 4, …), with CTM's γ-sampling.
import { z } from 'zod';
import { agreedShape, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { samplesCarriedFrom } from '../../core/samples';
import { sampleWithFlowMap } from '../../flowmaps/sample';
import { karrasSigmas } from '../../timesteps/karras';
import { rhoParam } from '../../timesteps/node-params';
import { noiseLevel, numberIn } from '../param-rules';

/** Few-step sampling: a flow map is meant to need a handful of jumps, not a solver's thousand. */
const MAX_JUMPS = 256;

export default defineNode({
  type: 'flowmap-sampler',
  version: 1,
  kind: 'solver',
  title: 'Flow-map sampler',
  description:
    'Carries the noise to data in a few jumps of a flow map, on Karras-spaced levels from the ' +
    "timesteps' first level down to 0. γ = 0 jumps deterministically along the ODE; γ = 1 " +
    'jumps to the data end and re-noises (multistep consistency sampling); in between is CTM ' +
    'γ-sampling. One flow-map evaluation per jump.',
  section: 'book §11.2–11.5, reference §6 (γ-sampling)',
  formula: 't̃ = √(1 − γ²) t_{n+1};  x ← Ψ_{t_n→t̃}(x) + √(t_{n+1}² − t̃²) z;  last jump to 0',
  inputs: {
    noise: {
      accepts: ['samples'],
      required: true,
      description: 'The initial points x̃ at the first noise level σ̃_0.',
    },
    flowmap: { accepts: ['flowmap'], required: true, description: 'The flow map Ψ to jump with.' },
    timesteps: {
      accepts: ['timesteps'],
      required: true,
      description: 'Its first level σ̃_0 is where the noise starts (the prior’s timesteps).',
    },
  },
  outputs: {
    samples: { type: 'samples', description: 'The points after the last jump.' },
    trajectory: { type: 'trajectory', description: 'The points after every jump.' },
  },
  params: z.object({
    jumps: numberIn(1, MAX_JUMPS, { integer: true }).default(1).meta({
      title: 'Jumps',
      widget: 'number',
      description: 'Number of flow-map evaluations (1, 2, 4, …).',
    }),
    gamma: numberIn(0, 1).default(0).meta({
      title: 'γ',
      widget: 'slider',
      step: 0.05,
      description: '0: deterministic jumps; 1: jump to data and re-noise (consistency sampling).',
    }),
    sigma_min: noiseLevel().default(0.5).meta({
      title: 'Lowest intermediate σ',
      widget: 'number',
      description: 'The last level before the final jump to 0 (with 2 or more jumps).',
    }),
    rho: rhoParam(7, 'Karras spacing of the intermediate levels.'),
    seed: z.number().int().default(0).meta({
      title: 'Seed',
      widget: 'seed',
      description: 'Seed of the re-noising draws (γ > 0).',
    }),
  }),
  facts(_params, inputs) {
    const shape = agreedShape(inputs, ['noise', 'flowmap']);
    return shape ? { samples: { shape }, trajectory: { shape } } : {};
  },
  async run(inputs, ctx) {
    const { jumps, gamma, sigma_min, rho, seed } = ctx.params;
    const sigmaMax = inputs.timesteps.sigmaTilde[0] ?? NaN;
    if (!(sigmaMax > 0)) {
      throw new Error(`input "timesteps" starts at σ̃ = ${sigmaMax}; a flow map needs σ̃_0 > 0`);
    }
    // Where the timesteps start is known only now, so this is the run's to check.
    if (jumps > 1 && !(sigma_min < sigmaMax)) {
      throw new Error(
        `param "sigma_min" (${sigma_min}) must be below the first level σ̃_0 = ${sigmaMax} of ` +
          'input "timesteps"',
      );
    }
    const levels =
      jumps === 1 ? Float64Array.of(sigmaMax, 0) : karrasSigmas(jumps, sigma_min, sigmaMax, rho);
    const { noise, flowmap } = inputs;
    const shape = agreedValueShape({ noise, flowmap });
    const { samples: points, trajectory } = await sampleWithFlowMap({
      flowMap: flowmap,
      x: noise.points,
      shape,
      levels,
      gamma,
      seed,
      hooks: ctx,
    });
    return { samples: samplesCarriedFrom(noise, points, shape), trajectory };
  },
});
