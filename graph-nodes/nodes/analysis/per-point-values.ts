// What the likelihood nodes share: their input points in float64, refused when they cannot be
// scored, and the mean of a per-point value with its standard error.
import type { Samples } from '../../core/values';

/** The points of an input as float64 rows; refuses an empty or non-finite input by port name. */
export async function downloadRows(
  samples: Samples,
  port: string,
): Promise<{ values: Float64Array; rows: number; dim: number }> {
  const [rows, dim] = samples.points.shape;
  if (rows === 0) throw new Error(`input "${port}" has no points to score`);
  const values = Float64Array.from(await samples.points.data());
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new Error(
      `input "${port}": point ${Math.floor(bad / dim)} has the value ${values[bad]}; ` +
        'only finite points have a likelihood',
    );
  }
  return { values, rows, dim };
}

/** The mean of per-point values and the standard error of that mean from per-point errors. */
export function perPointSummary(
  values: Float64Array,
  standardErrors: Float64Array,
): { mean: number; standardErrorOfMean: number } {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = standardErrors.reduce((sum, error) => sum + error * error, 0) / (n * n);
  return { mean, standardErrorOfMean: Math.sqrt(variance) };
}
