// The exact class-conditional denoiser of a labelled Gaussian mixture, as a node.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { ALL_CLASSES, createLabelledGmmDenoiser } from '../../denoisers/labelled';

const DEFAULT_COMPONENTS = 8;
const DEFAULT_RADIUS = 2.5;
const DEFAULT_STD = 0.25;

// Eight modes on a circle, labelled alternately 0 and 1: each class is a ring of four modes, so
// guidance has to pick modes, not just a side.
const defaultMeans = (): number[][] =>
  Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => {
    const angle = (2 * Math.PI * k) / DEFAULT_COMPONENTS;
    return [DEFAULT_RADIUS * Math.cos(angle), DEFAULT_RADIUS * Math.sin(angle)];
  });

/** A labelled isotropic mixture; shared with the exact-classifier node. */
export const labelledMixtureParams = {
  weights: z
    .array(z.number())
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, () => 1))
    .meta({
      title: 'Weights π_k',
      widget: 'json',
      description: 'One positive weight per component (normalised).',
    }),
  means: z.array(z.array(z.number())).default(defaultMeans).meta({
    title: 'Means μ_k',
    widget: 'json',
    description: 'One mean per component, all of the same dimension.',
  }),
  stds: z
    .array(z.number())
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, () => DEFAULT_STD))
    .meta({
      title: 'Stds s_k',
      widget: 'json',
      description: 'Isotropic standard deviation per component (≥ 0).',
    }),
  labels: z
    .array(z.number().int())
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => k % 2))
    .meta({
      title: 'Labels c_k',
      widget: 'json',
      description: 'One integer class label (≥ 0) per component.',
    }),
};

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
  run(_inputs, ctx) {
    try {
      return { denoiser: createLabelledGmmDenoiser(ctx.params, ctx.params.class) };
    } catch (error) {
      throw asParamError(error, ['weights', 'means', 'stds', 'labels', 'class']);
    }
  },
});
