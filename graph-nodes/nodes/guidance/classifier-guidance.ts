// Classifier guidance (Dhariwal & Nichol 2021) in denoiser form. The score gains w ∇log p(c | x̃),
// and Tweedie (D = x̃ + σ̃² ∇log p̃) turns that into
//   D = D_u + w σ̃² ∇_x̃ log p(c | x̃; σ̃).
// The gradient comes from tf.grad through the classifier. With the exact classifier of a labelled
// mixture, σ̃² ∇log p(c | x̃) = D_c − D_u, so this equals CFG at the same w (reference §7).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { registerClassifierGradients } from '../../classifiers/gradients';
import { agreedFacts } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { classLabel, guidanceScaleParam } from '../param-rules';
import type { Classifier, Denoiser } from '../../core/values';
import { sharedSpace } from './cfg';

/**
 * The result carries D_u as `unconditional`, so CFG++ solvers accept it as they accept CFG.
 * Inputs stay owned by their nodes.
 */
export function createClassifierGuidedDenoiser(
  denoiser: Denoiser,
  classifier: Classifier,
  label: number,
  scale: number,
): Denoiser {
  const space = sharedSpace({ denoiser, classifier });
  if (!classifier.classes.includes(label)) {
    throw new Error(
      `param "class" = ${label} is not a class of the classifier; its classes are ` +
        classifier.classes.join(', '),
    );
  }
  registerClassifierGradients();
  return {
    ...space,
    unconditional: denoiser,
    denoise: (xTilde, sigmaTilde) =>
      tf.tidy(() => {
        const denoised = denoiser.denoise(xTilde, sigmaTilde);
        // Rows are independent, so the gradient of the sum is each row's own gradient.
        const gradient = tf.grad((x) =>
          tf.sum(classifier.logProbability(x as Tensor2D, sigmaTilde, label)),
        )(xTilde);
        return tf.add(denoised, tf.mul(gradient, scale * sigmaTilde * sigmaTilde));
      }),
    dispose() {},
  };
}

export default defineNode({
  type: 'classifier-guidance',
  version: 1,
  kind: 'guidance',
  title: 'Classifier guidance',
  description:
    'Adds the gradient of a noisy classifier’s log p(c | x̃) to the unconditional score. With ' +
    'the exact classifier of a labelled mixture it equals classifier-free guidance at the same w.',
  section: '§8.2 (classifier guidance), reference §5 and §7',
  formula: 'D = D_u + w σ̃² ∇_x̃ log p(c | x̃; σ̃)',
  inputs: {
    denoiser: {
      accepts: ['denoiser'],
      required: true,
      description: 'D_u(x̃; σ̃): the unconditional denoiser.',
    },
    classifier: {
      accepts: ['classifier'],
      required: true,
      description: 'log p(c | x̃; σ̃), differentiated by autodiff.',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'The classifier-guided denoiser.' },
  },
  params: z.object({
    class: classLabel(0).default(0).meta({
      title: 'Class c',
      widget: 'number',
      description: 'The label to guide towards.',
    }),
    scale: guidanceScaleParam(3, 'Guidance scale; 0 is the unconditional denoiser.'),
  }),
  facts: (_params, inputs) => ({ denoiser: agreedFacts(inputs, ['denoiser', 'classifier']) }),
  run(inputs, ctx) {
    const { class: label, scale } = ctx.params;
    return {
      denoiser: createClassifierGuidedDenoiser(inputs.denoiser, inputs.classifier, label, scale),
    };
  },
});
