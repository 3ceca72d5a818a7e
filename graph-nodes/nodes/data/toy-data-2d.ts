// Small labelled 2-D distributions, the playground where every sampler's particles can be watched.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { datasetFromArray } from '../../core/samples';
import { TOY_2D_SHAPES, generateToy2d } from '../../math/toy-2d';
import { numberIn, PARAM_LIMITS } from '../param-rules';

/** Jitter relative to a shape of unit spread: far beyond it the shape is gone entirely. */
const MAX_NOISE = 1000;

export default defineNode({
  type: 'toy-data-2d',
  version: 1,
  kind: 'data',
  title: '2-D toy data set',
  description:
    'Samples one of the classic 2-D toy distributions (two moons, swiss roll, checkerboard, ' +
    'eight Gaussians, rings), centred at 0 with about unit standard deviation per axis, with a ' +
    'class label per point.',
  section: '§1 (data distribution p_data)',
  formula: 'x₀ = shape point (unit std per axis) + noise · ε,  ε ~ N(0, I)',
  inputs: {},
  outputs: {
    dataset: {
      type: 'dataset',
      description: 'count labelled points [count, 2], named after the shape.',
    },
  },
  params: z.object({
    shape: z
      .enum(TOY_2D_SHAPES)
      .default('two_moons')
      .meta({ title: 'Shape', widget: 'select', description: 'Which toy distribution to draw.' }),
    count: numberIn(1, PARAM_LIMITS.points, { integer: true })
      .default(1000)
      .meta({ title: 'Count', widget: 'number', description: 'Number of points to draw.' }),
    seed: z
      .number()
      .int()
      .default(0)
      .meta({ title: 'Seed', widget: 'seed', description: 'Seed of the draws.' }),
    noise: numberIn(0, MAX_NOISE)
      .default(0.05)
      .meta({
        title: 'Noise',
        widget: 'slider',
        step: 0.01,
        sliderMin: 0,
        sliderMax: 0.5,
        description:
          'Standard deviation of the Gaussian jitter added to each point, relative to the ' +
          'shape (which has unit standard deviation per axis).',
      }),
  }),
  facts: () => ({ dataset: { shape: [2] } }),
  run(_inputs, ctx) {
    const { shape, count, seed, noise } = ctx.params;
    const { points, labels } = generateToy2d(shape, count, seed, noise);
    return { dataset: datasetFromArray(shape, points, count, [2], labels) };
  },
});
