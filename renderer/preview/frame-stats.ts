// Numbers the preview shows about one frame: how widely the particles are spread (about σ̃_max at
// the start of a run, about the data's own spread at the end).

/** Root-mean-square deviation from the centroid per coordinate of a row-major [count, dim] array. */
export function spreadOf(values: Float32Array, dim: number): number {
  const count = Math.floor(values.length / dim);
  if (count === 0) return NaN;
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d]! += values[i * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= count;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) {
      const deviation = values[i * dim + d]! - mean[d]!;
      sum += deviation * deviation;
    }
  }
  return Math.sqrt(sum / (count * dim));
}

/** A number in at most four significant digits, without trailing exponent noise for ordinary sizes. */
export function formatLevel(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e5
    ? String(Number(value.toPrecision(4)))
    : value.toExponential(2);
}
