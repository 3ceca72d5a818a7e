// Classifier-free guidance (Ho & Salimans 2022), on the denoiser: D = D_u + w (D_c − D_u).
// The rule is affine in the prediction, so it is the same on ε̂, x̂₀, score or velocity (reference §5).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import type { Denoiser } from '../../core/values';

/** Guidance combines denoisers of one space; says which input to change when they differ. */
export function checkSameDimension(
  first: Denoiser,
  second: Denoiser,
  names: readonly [string, string],
): number {
  if (first.dim !== second.dim) {
    throw new Error(
      `input "${names[0]}" works in ${first.dim} dimensions but input "${names[1]}" in ` +
        `${second.dim}; connect two denoisers of the same data space`,
    );
  }
  return first.dim;
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
    dim: checkSameDimension(conditional, unconditional, ['conditional', 'unconditional']),
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
    scale: z.number().default(3).meta({
      title: 'Scale w',
      widget: 'slider',
      step: 0.1,
      description: 'Guidance scale; 1 means no guidance (the paper’s 1 + w).',
    }),
  }),
  run(inputs, ctx) {
    return {
      denoiser: createCfgDenoiser(inputs.conditional, inputs.unconditional, ctx.params.scale),
    };
  },
});
