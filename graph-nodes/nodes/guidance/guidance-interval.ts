// Guidance only in a band of noise levels (Kynkäänniemi et al. 2024): CFG where σ̃ lies in
// (σ_lo, σ_hi], the conditional denoiser elsewhere. Guiding at high noise costs diversity and at
// low noise does little, so limiting it improves FID (reference §5).
import { z } from 'zod';
import { agreedFacts } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import {
  guidanceScaleParam,
  numberIn,
  PARAM_LIMITS,
  requireAbove,
  withParamRules,
} from '../param-rules';
import type { Denoiser } from '../../core/values';
import { createCfgDenoiser, GUIDANCE_PAIR_PORTS, guidancePair } from './cfg';

/** An end of the guided band: 0 (σ̃_lo only) up to the largest noise level. */
const intervalEnd = () => numberIn(0, PARAM_LIMITS.maxNoiseLevel, { what: 'a noise level σ̃' });

export function createGuidanceIntervalDenoiser(
  conditional: Denoiser,
  unconditional: Denoiser,
  scale: number,
  sigmaLow: number,
  sigmaHigh: number,
): Denoiser {
  const guided = createCfgDenoiser(conditional, unconditional, scale);
  return {
    dim: guided.dim,
    ...(guided.shape ? { shape: guided.shape } : {}),
    denoise: (xTilde, sigmaTilde) =>
      sigmaTilde > sigmaLow && sigmaTilde <= sigmaHigh
        ? guided.denoise(xTilde, sigmaTilde)
        : conditional.denoise(xTilde, sigmaTilde),
    dispose() {},
  };
}

export default defineNode({
  type: 'guidance-interval',
  version: 1,
  kind: 'guidance',
  title: 'Guidance interval',
  description:
    'Classifier-free guidance applied only for noise levels in (σ̃_lo, σ̃_hi]; outside it the ' +
    'conditional denoiser alone. The defaults are the paper’s EDM2 interval.',
  section: '§8.3 (classifier-free guidance), reference §5 (guidance interval)',
  formula: 'D = D_u + w (D_c − D_u) if σ̃ ∈ (σ̃_lo, σ̃_hi], else D_c',
  inputs: guidancePair,
  outputs: {
    denoiser: { type: 'denoiser', description: 'The interval-guided denoiser.' },
  },
  params: withParamRules(
    z.object({
      scale: guidanceScaleParam(3, 'Guidance scale inside the interval; 1 means no guidance.'),
      sigma_lo: intervalEnd().default(0.28).meta({
        title: 'σ̃_lo',
        widget: 'number',
        description: 'Lower end of the interval (excluded).',
      }),
      sigma_hi: intervalEnd().default(5.42).meta({
        title: 'σ̃_hi',
        widget: 'number',
        description: 'Upper end of the interval (included); above σ̃_lo.',
      }),
    }),
    // An empty interval (σ̃_lo, σ̃_hi] would silently never guide.
    (p, report) => requireAbove(p, 'sigma_hi', 'sigma_lo', report),
  ),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, GUIDANCE_PAIR_PORTS) }),
  run(inputs, ctx) {
    const { scale, sigma_lo, sigma_hi } = ctx.params;
    return {
      denoiser: createGuidanceIntervalDenoiser(
        inputs.conditional,
        inputs.unconditional,
        scale,
        sigma_lo,
        sigma_hi,
      ),
    };
  },
});
