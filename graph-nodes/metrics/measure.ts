// The numbers the Metrics and Compare nodes report for one set of samples: paired error against a
// reference solution and distances to the data distribution. One definition, so a table of
// branches and a single Metrics node agree to the last digit.
import type { Samples, Trajectory } from '../core/values';
import { pairedL2 } from './mean-l2';
import { mmdSquared } from './mmd';
import { nearestDataDistance } from './nearest-data';
import { pointSet, subsampleRows, type PointSet } from './point-set';
import { slicedWasserstein } from './sliced-wasserstein';

export interface MeasureOptions {
  /** Paired row by row with the samples (the same initial noise). */
  readonly reference?: PointSet;
  /** The target distribution, for swd and mmd. */
  readonly data?: PointSet;
  readonly projections: number;
  /** 0 picks the median heuristic. */
  readonly mmdBandwidth: number;
  readonly maxPoints: number;
  readonly seed: number;
  /** Called between the costly parts, so a run stays cancellable. */
  readonly checkpoint?: () => Promise<void>;
}

/**
 * n; mean_l2, max_l2 with a reference; swd, mmd2, mmd, mmd_bandwidth, nearest_data_l2 and
 * nearest_data_l2_max with data.
 */
export async function measureSamples(
  samples: PointSet,
  options: MeasureOptions,
): Promise<Record<string, number>> {
  const values: Record<string, number> = { n: samples.n };
  if (options.reference) {
    const { mean, max } = pairedL2(samples, options.reference);
    values.mean_l2 = mean;
    values.max_l2 = max;
  }
  await options.checkpoint?.();
  if (options.data) {
    const { projections, seed } = options;
    values.swd = slicedWasserstein(samples, options.data, { projections, seed });
    await options.checkpoint?.();
    const { mmd2, bandwidth } = mmdSquared(samples, options.data, {
      bandwidth: options.mmdBandwidth,
      maxPoints: options.maxPoints,
      seed,
    });
    values.mmd2 = mmd2;
    values.mmd = Math.sqrt(Math.max(0, mmd2));
    values.mmd_bandwidth = bandwidth;
    await options.checkpoint?.();
    // Exhaustive search costs n · m · d: at most maxPoints samples are searched for.
    const nearest = nearestDataDistance(
      subsampleRows(samples, options.maxPoints, seed),
      options.data,
    );
    values.nearest_data_l2 = nearest.mean;
    values.nearest_data_l2_max = nearest.max;
  }
  return values;
}

export async function downloadPoints(samples: Samples): Promise<PointSet> {
  const [n, dim] = samples.points.shape;
  return pointSet(await samples.points.data(), n, dim);
}

/** The last recorded state of a trajectory (the solver's output). */
export function finalPoints(trajectory: Trajectory, inputName: string): PointSet {
  const last = trajectory.frames.at(-1);
  if (!last) throw new Error(`input "${inputName}" has no frames`);
  return pointSet(last.x, trajectory.n, trajectory.dim);
}
