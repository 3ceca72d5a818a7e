// How good are the samples? Error against a reference solution of the same ODE (per particle),
// distance to the data distribution (sliced Wasserstein, MMD) and the cost (NFE), as numbers.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import type { Samples, Trajectory } from '../../core/values';
import { pairedL2 } from '../../metrics/mean-l2';
import { mmdSquared } from '../../metrics/mmd';
import { pointSet, type PointSet } from '../../metrics/point-set';
import { slicedWasserstein } from '../../metrics/sliced-wasserstein';

export default defineNode({
  type: 'metrics',
  version: 1,
  kind: 'analysis',
  title: 'Metrics',
  description:
    'Measures samples: mean and max L2 error per particle against a paired reference solution ' +
    '(e.g. rk45 at tight tolerance from the same noise), sliced Wasserstein-2 distance and ' +
    'MMD² (Gaussian kernel, unbiased) to a data set, and the NFE a solver spent. Each value ' +
    'appears when its inputs are connected; computed in float64.',
  section: '§9 (solver accuracy vs NFE); evaluation of samples against p_data',
  formula:
    'mean_l2 = mean_i ‖x_i − x_ref,i‖;  swd = (mean_θ W2²(θ·x, θ·y))^{1/2};  ' +
    'mmd2 = E k(x,x′) + E k(y,y′) − 2 E k(x,y),  k = exp(−‖·‖²/(2h²))',
  inputs: {
    samples: { accepts: ['samples'], required: true, description: 'The points to measure.' },
    reference: {
      accepts: ['samples'],
      required: false,
      description: 'Reference points paired row by row with samples (same initial noise).',
    },
    reference_trajectory: {
      accepts: ['trajectory'],
      required: false,
      description: 'A reference solution; its last frame is the paired reference.',
    },
    data: {
      accepts: ['dataset', 'samples'],
      required: false,
      description: 'The target distribution, for swd and mmd2.',
    },
    trajectory: {
      accepts: ['trajectory'],
      required: false,
      description: 'The trajectory that produced samples, for its NFE.',
    },
  },
  outputs: {
    metrics: {
      type: 'metrics',
      description:
        'mean_l2, max_l2 (with a reference); swd, mmd2, mmd, mmd_bandwidth (with data); ' +
        'nfe (with a trajectory); reference_nfe (with a reference trajectory); n.',
    },
  },
  params: z.object({
    projections: z.number().int().min(1).max(10_000).default(128).meta({
      title: 'SWD projections',
      widget: 'number',
      description: 'Random directions θ the sliced Wasserstein distance averages over.',
    }),
    mmd_bandwidth: z
      .number()
      .min(0)
      .default(0)
      .meta({
        title: 'MMD bandwidth',
        widget: 'number',
        description:
          'Gaussian kernel width h; 0 uses the median heuristic (median pairwise distance of ' +
          'the pooled points).',
      }),
    max_points: z
      .number()
      .int()
      .min(2)
      .max(100_000)
      .default(1000)
      .meta({
        title: 'MMD points',
        widget: 'number',
        description:
          'MMD subsamples each side to at most this many points (seeded); its cost grows as ' +
          '(n + m)² · d (1000 + 1000 points of dimension 784: about 0.6 s).',
      }),
    seed: z.number().int().default(0).meta({
      title: 'Seed',
      widget: 'seed',
      description: 'Seed of the projections and of the subsampling.',
    }),
  }),
  async run(inputs, ctx) {
    const { projections, mmd_bandwidth, max_points, seed } = ctx.params;
    if (inputs.reference && inputs.reference_trajectory) {
      throw new Error(
        'connect either "reference" or "reference_trajectory", not both: both name the paired reference',
      );
    }
    const samples = await download(inputs.samples);
    const values: Record<string, number> = { n: samples.n };

    const reference = inputs.reference
      ? await download(inputs.reference)
      : inputs.reference_trajectory && finalFrame(inputs.reference_trajectory);
    if (reference) {
      const { mean, max } = pairedL2(samples, reference);
      values.mean_l2 = mean;
      values.max_l2 = max;
    }
    await ctx.checkpoint();

    if (inputs.data) {
      const data = await download(inputs.data);
      values.swd = slicedWasserstein(samples, data, { projections, seed });
      await ctx.checkpoint();
      const { mmd2, bandwidth } = mmdSquared(samples, data, {
        bandwidth: mmd_bandwidth,
        maxPoints: max_points,
        seed,
      });
      values.mmd2 = mmd2;
      values.mmd = Math.sqrt(Math.max(0, mmd2));
      values.mmd_bandwidth = bandwidth;
    }
    if (inputs.trajectory) values.nfe = inputs.trajectory.nfe;
    if (inputs.reference_trajectory) values.reference_nfe = inputs.reference_trajectory.nfe;
    return { metrics: { values } };
  },
});

async function download(samples: Samples): Promise<PointSet> {
  const [n, dim] = samples.points.shape;
  return pointSet(await samples.points.data(), n, dim);
}

function finalFrame(trajectory: Trajectory): PointSet {
  const last = trajectory.frames.at(-1);
  if (!last) throw new Error('input "reference_trajectory" has no frames');
  return pointSet(last.x, trajectory.n, trajectory.dim);
}
