// Autoguidance (Karras et al. 2024): guide a model with a weaker version of itself (smaller or
// less trained, same conditioning) instead of an unconditional model. The extrapolation away from
// the weak model's errors improves quality without narrowing the distribution as CFG does.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { agreedFacts } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { guidanceScaleParam } from '../param-rules';
import type { Denoiser } from '../../core/values';
import { sharedSpace } from './cfg';

/** w D₁ + (1 − w) D₀, written D₀ + w (D₁ − D₀). Inputs stay owned by their nodes. */
export function createAutoguidedDenoiser(good: Denoiser, weak: Denoiser, scale: number): Denoiser {
  return {
    ...sharedSpace({ good, weak }),
    denoise: (xTilde, sigmaTilde) =>
      tf.tidy(() => {
        const denoisedWeak = weak.denoise(xTilde, sigmaTilde);
        const denoisedGood = good.denoise(xTilde, sigmaTilde);
        return tf.add(denoisedWeak, tf.mul(tf.sub(denoisedGood, denoisedWeak), scale));
      }),
    dispose() {},
  };
}

export default defineNode({
  type: 'autoguidance',
  version: 1,
  kind: 'guidance',
  title: 'Autoguidance',
  description:
    'Guides a denoiser D₁ by a weaker one D₀ with the same conditioning: w = 1 is D₁ itself, ' +
    'w > 1 pushes away from D₀’s mistakes.',
  section: '§8.4 (training-free guidance), reference §5 (autoguidance)',
  formula: 'D = w D₁ + (1 − w) D₀',
  inputs: {
    good: {
      accepts: ['denoiser'],
      required: true,
      description: 'D₁: the main model.',
    },
    weak: {
      accepts: ['denoiser'],
      required: true,
      description: 'D₀: a smaller or less-trained model with the same conditioning.',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'The autoguided denoiser.' },
  },
  params: z.object({
    scale: guidanceScaleParam(2, 'Guidance scale; 1 means D₁ alone.'),
  }),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, ['good', 'weak']) }),
  run(inputs, ctx) {
    return { denoiser: createAutoguidedDenoiser(inputs.good, inputs.weak, ctx.params.scale) };
  },
});
