// Classifier-free guidance (Ho & Salimans 2022), on the denoiser: D = D_u + w (D_c − D_u).
// The rule is affine in the prediction, so it is the same on ε̂, x̂₀, score or velocity (reference §5).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { agreedFacts, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { guidanceScaleParam } from '../param-rules';
import { shapeSize, type PointShape } from '../../core/shapes';
import type { Classifier, Denoiser } from '../../core/values';

/**
 * Guidance combines models of one space: the dimension and layout they share, keyed by input
 * name, or an error naming the two inputs that differ.
 */
export function sharedSpace(models: Readonly<Record<string, Denoiser | Classifier>>): {
  dim: number;
  shape?: PointShape;
} {
  const shape = agreedValueShape(models);
  return shape.length > 1 ? { dim: shapeSize(shape), shape } : { dim: shapeSize(shape) };
}

/**
 * D_u + w (D_c − D_u). The result carries D_u as `unconditional`, so CFG++ solvers can step with
 * it. The inputs stay owned by their nodes; dispose() frees nothing.
 */
export function createCfgDenoiser(
  conditional: Denoiser,
  unconditional: Denoiser,
  scale: number,
): Denoiser {
  return {
    ...sharedSpace({ conditional, unconditional }),
    unconditional,
    denoise: (xTilde, sigmaTilde) =>
      tf.tidy(() => {
        const denoisedUnconditional = unconditional.denoise(xTilde, sigmaTilde);
        const denoisedConditional = conditional.denoise(xTilde, sigmaTilde);
        return tf.add(
          denoisedUnconditional,
          tf.mul(tf.sub(denoisedConditional, denoisedUnconditional), scale),
        );
      }),
    dispose() {},
  };
}

export const GUIDANCE_PAIR_PORTS = ['conditional', 'unconditional'];

export const guidancePair = {
  conditional: {
    accepts: ['denoiser'],
    required: true,
    description: 'D_c(x̃; σ̃): the denoiser given the condition (class, prompt).',
  },
  unconditional: {
    accepts: ['denoiser'],
    required: true,
    description: 'D_u(x̃; σ̃): the denoiser without the condition.',
  },
} as const;

export default defineNode({
  type: 'cfg',
  version: 1,
  kind: 'guidance',
  title: 'Classifier-free guidance',
  description:
    'Extrapolates from the unconditional towards the conditional prediction. w = 1 is the ' +
    'conditional model, w = 0 the unconditional one; w > 1 sharpens towards the condition. ' +
    'The output also carries D_u, for the CFG++ solvers (use a scale in [0, 1] there).',
  section: '§8.3 (classifier-free guidance), reference §5',
  formula: 'D = D_u + w (D_c − D_u)',
  inputs: guidancePair,
  outputs: {
    denoiser: { type: 'denoiser', description: 'The guided denoiser (carrying D_u for CFG++).' },
  },
  params: z.object({
    scale: guidanceScaleParam(3, 'Guidance scale; 1 means no guidance (the paper’s 1 + w).'),
  }),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, GUIDANCE_PAIR_PORTS) }),
  run(inputs, ctx) {
    return {
      denoiser: createCfgDenoiser(inputs.conditional, inputs.unconditional, ctx.params.scale),
    };
  },
});
