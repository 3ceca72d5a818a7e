// The exact flow map of Gaussian data, the oracle the other flow maps are tested against.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { createGaussianFlowMap } from '../../flowmaps/gaussian';
import { coordinate, PARAM_LIMITS, standardDeviation, withParamRules } from '../param-rules';

const axisList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, 'expected at least one axis')
    .max(PARAM_LIMITS.valuesPerPoint, `expected at most ${PARAM_LIMITS.valuesPerPoint} axes`);

export default defineNode({
  type: 'gaussian-flowmap',
  version: 1,
  kind: 'flowmap',
  title: 'Gaussian flow map (exact)',
  description:
    'The closed-form PF-ODE flow map of Gaussian data N(μ, diag(s²)): carries points from any ' +
    'noise level to any lower one exactly, including to the data end σ̃ = 0.',
  section: 'reference §7 (closed-form flow map) / book §11.4',
  formula: "Ψ_{σ→σ'}(x̃) = μ + √((s² + σ'²)/(s² + σ²)) (x̃ − μ), per axis",
  inputs: {},
  outputs: { flowmap: { type: 'flowmap', description: 'Ψ_{σ→σ′} of the Gaussian.' } },
  params: withParamRules(
    z.object({
      mean: axisList(coordinate()).default([0, 0]).meta({
        title: 'Mean μ',
        widget: 'json',
        description: 'One entry per axis.',
      }),
      std: axisList(standardDeviation()).default([1, 1]).meta({
        title: 'Std s',
        widget: 'json',
        description: 'Standard deviation per axis (same length as the mean).',
      }),
    }),
    (p, report) => {
      if (p.std.length !== p.mean.length) {
        report(
          ['std'],
          `expected one std per axis of the mean (${p.mean.length}), got ${p.std.length}`,
        );
      }
    },
  ),
  facts: (params) => ({ flowmap: { shape: [params.mean.length] } }),
  run(_inputs, ctx) {
    return { flowmap: createGaussianFlowMap(ctx.params.mean, ctx.params.std) };
  },
});
