// The exact class-conditional denoiser of a labelled Gaussian mixture, as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { ALL_CLASSES, createLabelledGmmDenoiser } from '../../denoisers/labelled';
import { labelledMixtureParams, mixtureShape } from './mixture-params';

/**
 * Says which param a library error is about, as nodes do: "labels: expected …" becomes
 * `param "labels": expected …`, and "stds[2] = −1: …" becomes `param "stds": stds[2] = −1: …`.
 */
export function asParamError(error: unknown, params: readonly string[]): Error {
  const message = error instanceof Error ? error.message : String(error);
  for (const param of params) {
    if (message.startsWith(`${param}: `)) {
      return new Error(`param "${param}": ${message.slice(param.length + 2)}`, { cause: error });
    }
    if (message.startsWith(`${param}[`)) {
      return new Error(`param "${param}": ${message}`, { cause: error });
    }
  }
  return new Error(message, { cause: error });
}

export default defineNode({
  type: 'labelled-gmm-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'Labelled Gaussian mixture (exact, per class)',
  description:
    'The exact denoiser of one class of a labelled Gaussian mixture: the mixture of the ' +
    `components with that label. Class ${ALL_CLASSES} gives the unconditional denoiser of the ` +
    'whole mixture. Two of these (a class and all) make exact CFG.',
  section: '§8.3 (conditional denoisers), reference §7 (class-conditional)',
  formula:
    'r = softmax over {k : c_k = c} of ℓ_k;  D_c = Σ_{k : c_k = c} r_k [μ_k + s_k²/(s_k²+σ̃²)(x̃ − μ_k)]',
  inputs: {},
  outputs: {
    denoiser: {
      type: 'denoiser',
      description: 'D_c(x̃; σ̃) = E[x₀ | x̃, c] (or E[x₀ | x̃] for all classes).',
    },
  },
  params: z.object({
    ...labelledMixtureParams,
    class: z
      .number()
      .int()
      .min(ALL_CLASSES)
      .default(0)
      .meta({
        title: 'Class c',
        widget: 'number',
        description: `The label to condition on; ${ALL_CLASSES} means all classes (unconditional).`,
      }),
  }),
  facts: (params) => ({ denoiser: mixtureShape(params) }),
  run(_inputs, ctx) {
    try {
      return { denoiser: createLabelledGmmDenoiser(ctx.params, ctx.params.class) };
    } catch (error) {
      throw asParamError(error, ['weights', 'means', 'stds', 'labels', 'class']);
    }
  },
});
