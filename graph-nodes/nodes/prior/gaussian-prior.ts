// The starting noise of every sampler: points from N(0, σ̃_0² I) at the first (largest) noise level.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { samplesFromArray } from '../../core/samples';
import { MAX_POINT_RANK, shapeSize } from '../../core/shapes';
import { createRng } from '../../math/rng';

// 2^27 float32 values (512 MiB): beyond this the allocation fails anyway, with a worse message.
const MAX_VALUES = 2 ** 27;

export default defineNode({
  type: 'gaussian-prior',
  version: 1,
  kind: 'prior',
  title: 'Gaussian prior',
  description:
    'Draws the initial points of a sampler from the prior N(0, σ̃_0² I), where σ̃_0 is the first ' +
    '(largest) noise level of the timestep list; the same seed gives the same points everywhere.',
  section: '§4.2 (prior p_T ≈ N(0, σ_T² I))',
  formula: 'x̃_0 = σ̃_0 · ε,  ε ~ N(0, I)  (k-diffusion: randn * sigmas[0])',
  inputs: {
    timesteps: {
      accepts: ['timesteps'],
      required: true,
      description: 'The noise levels to sample along; the prior is scaled by the first one, σ̃_0.',
    },
  },
  outputs: {
    samples: {
      type: 'samples',
      description: 'count points x̃ ~ N(0, σ̃_0² I), each of the given shape ([dim] by default).',
    },
  },
  params: z.object({
    count: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(1000)
      .meta({ title: 'Count', widget: 'number', description: 'Number of points to draw.' }),
    dim: z.number().int().min(1).max(4096).default(2).meta({
      title: 'Dimension',
      widget: 'number',
      description: 'Dimension d of each point, when shape is not set.',
    }),
    shape: z
      .array(z.number().int().min(1).max(4096))
      .min(1)
      .max(MAX_POINT_RANK)
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
  facts: (params) => ({ samples: { shape: params.shape ?? [params.dim] } }),
  run(inputs, ctx) {
    const { count, seed } = ctx.params;
    const shape = ctx.params.shape ?? [ctx.params.dim];
    const dim = shapeSize(shape);
    const sigmaMax = inputs.timesteps.sigmaTilde[0];
    if (sigmaMax === undefined || !Number.isFinite(sigmaMax) || sigmaMax < 0) {
      throw new Error(
        `input "timesteps" must start with a finite noise level σ̃_0 ≥ 0 (got ${sigmaMax ?? 'an empty list'})`,
      );
    }
    if (count * dim > MAX_VALUES) {
      throw new Error(
        `count × values per point = ${count} × ${dim} is more than ${MAX_VALUES} values; ` +
          'lower count, dim or shape',
      );
    }
    const values = createRng(seed).fillNormal(new Float32Array(count * dim));
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * sigmaMax;
    return { samples: samplesFromArray(values, count, shape) };
  },
});
