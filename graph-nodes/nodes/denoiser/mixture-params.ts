// The params of an isotropic Gaussian mixture, shared by the mixture denoisers and classifier.
import { z } from 'zod';

const DEFAULT_COMPONENTS = 8;
const DEFAULT_RADIUS = 2.5;
const DEFAULT_STD = 0.25;

// Eight equal components on a circle: well separated modes, the classic 2-D demo.
const defaultMeans = (): number[][] =>
  Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => {
    const angle = (2 * Math.PI * k) / DEFAULT_COMPONENTS;
    return [DEFAULT_RADIUS * Math.cos(angle), DEFAULT_RADIUS * Math.sin(angle)];
  });

export const mixtureParams = {
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
};

/** A labelled mixture: the default labels alternate 0 and 1, so each class is a ring of four modes. */
export const labelledMixtureParams = {
  ...mixtureParams,
  labels: z
    .array(z.number().int())
    .default(() => Array.from({ length: DEFAULT_COMPONENTS }, (_, k) => k % 2))
    .meta({
      title: 'Labels c_k',
      widget: 'json',
      description: 'One integer class label (≥ 0) per component.',
    }),
};

/** A mixture's models take flat points of its means' dimension (the first mean's, as checked). */
export function mixtureShape(params: { readonly means: readonly (readonly number[])[] }): {
  shape?: readonly number[];
} {
  const dim = params.means[0]?.length;
  return dim ? { shape: [dim] } : {};
}
