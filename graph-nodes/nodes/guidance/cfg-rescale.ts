// CFG with the rescale of Lin et al. 2023 (§3.4): at large w the CFG prediction's spread grows
// past the conditional one's, which over-exposes images. Rescale it per sample to the
// conditional's standard deviation, and blend: x_final = φ·x_cfg·std(x_c)/std(x_cfg) + (1 − φ)·x_cfg.
//
// Which parameterisation: x̂₀ (the denoiser D), as in the paper, which rescales x₀/v predictions.
// diffusers' rescale_noise_cfg applies the same formula to ε̂, which gives a different result:
// rescaling is not affine, so unlike CFG it depends on what is rescaled.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { agreedFacts } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { guidanceScaleParam, numberIn } from '../param-rules';
import type { Denoiser } from '../../core/values';
import { GUIDANCE_PAIR_PORTS, guidancePair, sharedSpace } from './cfg';

/** Standard deviation of each row over its coordinates (the "non-batch dims"), as [n, 1]. */
function rowStd(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.moments(x, 1, true).variance);
}

export function createRescaledCfgDenoiser(
  conditional: Denoiser,
  unconditional: Denoiser,
  scale: number,
  phi: number,
): Denoiser {
  return {
    ...sharedSpace({ conditional, unconditional }),
    denoise: (xTilde, sigmaTilde) =>
      tf.tidy(() => {
        const denoisedUnconditional = unconditional.denoise(xTilde, sigmaTilde);
        const denoisedConditional = conditional.denoise(xTilde, sigmaTilde);
        const guided = tf.add(
          denoisedUnconditional,
          tf.mul(tf.sub(denoisedConditional, denoisedUnconditional), scale),
        );
        const guidedStd = rowStd(guided);
        // A constant row (std 0, e.g. 1-D data) has nothing to rescale: keep it (diffusers #13425).
        const hasSpread = tf.greater(guidedStd, 0);
        const one = tf.onesLike(guidedStd);
        const ratio = tf.where(
          hasSpread,
          tf.div(rowStd(denoisedConditional), tf.where(hasSpread, guidedStd, one)),
          one,
        );
        return tf.add(tf.mul(tf.mul(guided, ratio), phi), tf.mul(guided, 1 - phi));
      }),
    dispose() {},
  };
}

export default defineNode({
  type: 'cfg-rescale',
  version: 1,
  kind: 'guidance',
  title: 'CFG with rescale',
  description:
    'Classifier-free guidance whose x̂₀ prediction is rescaled, per sample, to the standard ' +
    'deviation of the conditional one, then blended with the plain CFG by φ. Meant for samples ' +
    'with many coordinates (images): on 2-D points the per-sample std is that of two numbers.',
  section: '§8.3 (classifier-free guidance), reference §5 (CFG rescale)',
  formula:
    'x_cfg = D_u + w (D_c − D_u);  x_r = x_cfg·std(D_c)/std(x_cfg);  D = φ x_r + (1 − φ) x_cfg',
  inputs: guidancePair,
  outputs: {
    denoiser: { type: 'denoiser', description: 'The rescaled guided denoiser.' },
  },
  params: z.object({
    scale: guidanceScaleParam(3, 'Guidance scale; 1 means no guidance.'),
    phi: numberIn(0, 1).default(0.7).meta({
      title: 'Rescale φ',
      widget: 'slider',
      step: 0.05,
      description: '0 is plain CFG; 1 fully rescaled. The paper uses 0.7.',
    }),
  }),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, GUIDANCE_PAIR_PORTS) }),
  run(inputs, ctx) {
    const { scale, phi } = ctx.params;
    return {
      denoiser: createRescaledCfgDenoiser(inputs.conditional, inputs.unconditional, scale, phi),
    };
  },
});
