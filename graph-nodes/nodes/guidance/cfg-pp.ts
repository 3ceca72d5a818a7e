// CFG++ (Chung et al. 2024): the CFG mixture with λ ∈ [0, 1], meant for the solvers that re-noise
// with the unconditional prediction (euler_cfg_pp, dpmpp_2m_cfg_pp; reference §5).
import { z } from 'zod';
import { agreedFacts } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { numberIn } from '../param-rules';
import { createCfgDenoiser, GUIDANCE_PAIR_PORTS, guidancePair } from './cfg';

export default defineNode({
  type: 'cfg-pp',
  version: 1,
  kind: 'guidance',
  title: 'CFG++',
  description:
    'Classifier-free guidance with a small scale λ ∈ [0, 1], for the CFG++ solvers: they take x̂₀ ' +
    'from the guided prediction but step along the unconditional noise ε̂_u, which keeps samples ' +
    'on the data manifold. With other solvers it is ordinary CFG at scale λ.',
  section: '§8.3 (classifier-free guidance), reference §5 (CFG++)',
  formula: "D_λ = D_u + λ (D_c − D_u);  x̃' = D_λ + σ̃'·(x̃ − D_u)/σ̃ (euler_cfg_pp)",
  inputs: guidancePair,
  outputs: {
    denoiser: { type: 'denoiser', description: 'D_λ, carrying D_u for the CFG++ solvers.' },
  },
  params: z.object({
    scale: numberIn(0, 1).default(0.6).meta({
      title: 'Scale λ',
      widget: 'slider',
      step: 0.05,
      description: 'CFG++ guidance scale in [0, 1]; 0 is the unconditional model.',
    }),
  }),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, GUIDANCE_PAIR_PORTS) }),
  run(inputs, ctx) {
    return {
      denoiser: createCfgDenoiser(inputs.conditional, inputs.unconditional, ctx.params.scale),
    };
  },
});
