// The params of a measurement (projections, MMD bandwidth and subsample, seed), shared by the
// Metrics and Compare nodes so both measure the same way.
import { z } from 'zod';
import { numberIn, PARAM_LIMITS } from '../param-rules';

export const measurementParams = z.object({
  projections: numberIn(1, 10_000, { integer: true }).default(128).meta({
    title: 'SWD projections',
    widget: 'number',
    description: 'Random directions θ the sliced Wasserstein distance averages over.',
  }),
  mmd_bandwidth: numberIn(0, PARAM_LIMITS.coordinate)
    .default(0)
    .meta({
      title: 'MMD bandwidth',
      widget: 'number',
      description:
        'Gaussian kernel width h; 0 uses the median heuristic (median pairwise distance of ' +
        'the pooled points).',
    }),
  max_points: numberIn(2, 100_000, { integer: true })
    .default(1000)
    .meta({
      title: 'MMD points',
      widget: 'number',
      description:
        'MMD subsamples each side to at most this many points (seeded); its cost grows as ' +
        '(n + m)² · d (1000 + 1000 points of dimension 784: about 0.6 s). The nearest-data ' +
        'distance is measured for at most this many samples, against every data point.',
    }),
  seed: z.number().int().default(0).meta({
    title: 'Seed',
    widget: 'seed',
    description: 'Seed of the projections and of the subsampling.',
  }),
});
