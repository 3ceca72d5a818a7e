// Per-particle error against a paired reference (the same initial noise carried by a reference
// solver): how far each solver's sample lands from where the exact ODE solution puts it.
import { checkSameDimension, squaredDistance, type PointSet } from './point-set';

/** mean_i ‖x_i − x_ref,i‖ and max_i ‖x_i − x_ref,i‖ over paired rows. */
export function pairedL2(samples: PointSet, reference: PointSet): { mean: number; max: number } {
  checkSameDimension(samples, reference, 'mean L2');
  if (samples.n !== reference.n) {
    throw new Error(
      `mean L2 pairs sample i with reference i, but there are ${samples.n} samples and ` +
        `${reference.n} reference points; run both from the same initial noise`,
    );
  }
  if (samples.n === 0) throw new Error('mean L2 of an empty point set');
  let sum = 0;
  let max = 0;
  for (let i = 0; i < samples.n; i++) {
    const distance = Math.sqrt(squaredDistance(samples, i, reference, i));
    sum += distance;
    max = Math.max(max, distance);
  }
  return { mean: sum / samples.n, max };
}
