// How close each sample lands to the data set itself: the distance to its nearest data point. An
// exact empirical denoiser memorises, so its samples sit on training points (distance ≈ 0), while a
// model that generalises lands between them, at about the spacing of the data.
import { checkSameDimension, squaredDistance, type PointSet } from './point-set';

/** mean_i min_j ‖x_i − y_j‖ and max_i min_j ‖x_i − y_j‖ (exhaustive, float64). */
export function nearestDataDistance(
  samples: PointSet,
  data: PointSet,
): { mean: number; max: number } {
  checkSameDimension(samples, data, 'nearest data distance');
  if (samples.n === 0 || data.n === 0) throw new Error('nearest data distance of an empty set');
  let sum = 0;
  let max = 0;
  for (let i = 0; i < samples.n; i++) {
    let nearest = Infinity;
    for (let j = 0; j < data.n && nearest > 0; j++) {
      nearest = Math.min(nearest, squaredDistance(samples, i, data, j));
    }
    const distance = Math.sqrt(nearest);
    sum += distance;
    max = Math.max(max, distance);
  }
  return { mean: sum / samples.n, max };
}
