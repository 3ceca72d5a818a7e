// The starting noise of every sampler: points from N(0, σ̃_0² I) at the first (largest) noise level.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { samplesFromArray } from '../../core/samples';
import { MAX_POINT_RANK, shapeSize } from '../../core/shapes';
import { createRng } from '../../math/rng';
import { numberIn, PARAM_LIMITS, withParamRules } from '../param-rules';

const pointShape = (p: { readonly shape?: readonly number[]; readonly dim: number }) =>
  p.shape ?? [p.dim];

export default defineNode({
  type: 'gaussian-prior',
  version: 1,
  kind: 'prior',
  title: 'Gaussian prior',
  description:
    'Draws the initial points of a sampler from the prior N(0, σ̃_0² I), where σ̃_0 is the first ' +
    '(largest) noise level of the timestep list, or from N(0, I) with no timesteps connected ' +
    '(e.g. as the Gaussian end of a Schrödinger bridge); the same seed gives the same points ' +
    'everywhere.',
  section: '§4.2 (prior p_T ≈ N(0, σ_T² I))',
  formula: 'x̃_0 = σ̃_0 · ε,  ε ~ N(0, I)  (k-diffusion: randn * sigmas[0])',
  inputs: {
    timesteps: {
      accepts: ['timesteps'],
      required: false,
      description:
        'The noise levels to sample along; the prior is scaled by the first one, σ̃_0 (1 when ' +
        'not connected).',
    },
  },
  outputs: {
    samples: {
      type: 'samples',
      description: 'count points x̃ ~ N(0, σ̃_0² I), each of the given shape ([dim] by default).',
    },
  },
  params: withParamRules(
    z.object({
      count: numberIn(1, PARAM_LIMITS.points, { integer: true })
        .default(1000)
        .meta({ title: 'Count', widget: 'number', description: 'Number of points to draw.' }),
      dim: numberIn(1, PARAM_LIMITS.valuesPerPoint, { integer: true }).default(2).meta({
        title: 'Dimension',
        widget: 'number',
        description: 'Dimension d of each point, when shape is not set.',
      }),
      shape: z
        .array(numberIn(1, PARAM_LIMITS.valuesPerPoint, { integer: true, what: 'an axis size' }))
        .min(1, 'a point shape needs at least one axis')
        .max(MAX_POINT_RANK, `a point shape has at most ${MAX_POINT_RANK} axes`)
        .optional()
        .meta({
          title: 'Shape',
          widget: 'json',
          description:
            'Shape of each point, e.g. [1, 28, 28] for one-channel 28 × 28 images or [3, 32, 32] ' +
            'for RGB ones (channels first); empty means [dim].',
        }),
      seed: z
        .number()
        .int()
        .default(0)
        .meta({ title: 'Seed', widget: 'seed', description: 'Seed of the Gaussian draws.' }),
    }),
    (p, report) => {
      // Values per point and in all: the shape's size can be large even when each axis is not.
      const values = shapeSize(pointShape(p));
      if (values > PARAM_LIMITS.valuesPerPoint) {
        report(
          ['shape'],
          `holds ${values} values per point; at most ${PARAM_LIMITS.valuesPerPoint} are allowed`,
        );
      } else if (p.count * values > PARAM_LIMITS.values) {
        report(
          ['count'],
          `count × values per point = ${p.count} × ${values} is more than ` +
            `${PARAM_LIMITS.values} values; lower count, dim or shape`,
        );
      }
    },
  ),
  facts: (params) => ({ samples: { shape: pointShape(params) } }),
  run(inputs, ctx) {
    const { count, seed } = ctx.params;
    const shape = pointShape(ctx.params);
    const dim = shapeSize(shape);
    const sigmaMax = inputs.timesteps ? inputs.timesteps.sigmaTilde[0] : 1;
    if (sigmaMax === undefined || !Number.isFinite(sigmaMax) || sigmaMax < 0) {
      throw new Error(
        `input "timesteps" must start with a finite noise level σ̃_0 ≥ 0 (got ${sigmaMax ?? 'an empty list'})`,
      );
    }
    const values = createRng(seed).fillNormal(new Float32Array(count * dim));
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * sigmaMax;
    return { samples: samplesFromArray(values, count, shape) };
  },
});
