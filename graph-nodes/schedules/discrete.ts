// A schedule given by a table of noise levels σ̃_0 < … < σ̃_{T−1} at the integer times t = 0 … T−1
// (a model trained on T discrete steps), made continuous the way k-diffusion's DiscreteSchedule
// does: log σ̃ is interpolated linearly between neighbouring entries. The table is variance
// preserving (ᾱ = α² = 1/(1 + σ̃²)), as every DDPM-style table is.
//
// t is the table index itself (diffusers' and ComfyUI's "timestep"), so t ∈ [0, T − 1].
// Outside the table t is clamped to its ends (derivatives 0 there), and so is t(σ̃) (k-diffusion's
// sigma_to_t does the same): σ̃ below σ̃_0, σ̃ = 0 included, maps to t = 0.
//
// Derivatives are those of the piecewise-linear log σ̃: on the segment [k, k + 1] the slope
// d log σ̃/dt = log σ̃_{k+1} − log σ̃_k is constant; at an integer t the segment above it is used
// (the one below at t = T − 1). Then, with α = (1 + σ̃²)^{−1/2} and σ = σ̃ α,
//   dσ̃/dt = σ̃ · slope,   α̇ = −α³ σ̃ dσ̃/dt,   σ̇ = α³ dσ̃/dt.
import type { Schedule } from '../core/values';

/** Segment k ∈ [0, T − 2] holding t (already clamped to [0, T − 1]). */
function segmentOf(t: number, last: number): number {
  return Math.min(Math.floor(t), last - 1);
}

/** A continuous schedule through an ascending table of σ̃ (at least two finite, positive entries). */
export function discreteSchedule(name: string, ascendingSigmas: Float64Array): Schedule {
  const table = Float64Array.from(ascendingSigmas);
  const count = table.length;
  if (count < 2) throw new Error(`${name} schedule: the σ̃ table needs at least 2 entries`);
  const logSigmas = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const sigma = table[i]!;
    if (!(sigma > 0) || !Number.isFinite(sigma)) {
      throw new Error(`${name} schedule: table entry σ̃[${i}] = ${sigma} is not finite and > 0`);
    }
    if (i > 0 && !(sigma > table[i - 1]!)) {
      throw new Error(
        `${name} schedule: the σ̃ table must be strictly ascending, but σ̃[${i}] = ${sigma} ` +
          `follows σ̃[${i - 1}] = ${table[i - 1]}`,
      );
    }
    logSigmas[i] = Math.log(sigma);
  }
  const last = count - 1;
  const clampT = (t: number): number => Math.min(Math.max(t, 0), last);
  const slopeAt = (t: number): number => {
    if (t < 0 || t > last) return 0; // flat beyond the clamped ends
    const k = segmentOf(t, last);
    return logSigmas[k + 1]! - logSigmas[k]!;
  };
  const logSigmaTilde = (t: number): number => {
    const clamped = clampT(t);
    const k = segmentOf(clamped, last);
    const w = clamped - k;
    // (1 − w)·a + w·b hits the table exactly at w = 0 and w = 1
    return (1 - w) * logSigmas[k]! + w * logSigmas[k + 1]!;
  };
  const tOfLogSigma = (logSigma: number): number => {
    if (Number.isNaN(logSigma)) return NaN;
    if (logSigma <= logSigmas[0]!) return 0;
    if (logSigma >= logSigmas[last]!) return last;
    // largest k with log σ̃_k ≤ log σ̃ (binary search; the table is ascending)
    let low = 0;
    let high = last;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (logSigmas[middle]! <= logSigma) low = middle;
      else high = middle;
    }
    return low + (logSigma - logSigmas[low]!) / (logSigmas[low + 1]! - logSigmas[low]!);
  };
  // the table's own entries at the knots, rather than exp(log σ̃) one rounding away
  const sigmaTilde = (t: number): number => {
    const clamped = clampT(t);
    return Number.isInteger(clamped) ? table[clamped]! : Math.exp(logSigmaTilde(t));
  };
  const alpha = (t: number): number => 1 / Math.sqrt(1 + sigmaTilde(t) ** 2);
  // σ̇ = α³ dσ̃/dt = α³ σ̃ · slope
  const alphaCubedSigmaTildeDot = (t: number): number => alpha(t) ** 3 * sigmaTilde(t) * slopeAt(t);
  return {
    name,
    tMin: 0,
    tMax: last,
    discreteSigmas: Float64Array.from(table), // a copy: nothing outside can bend this schedule
    alpha,
    sigma: (t) => sigmaTilde(t) * alpha(t),
    alphaDot: (t) => -sigmaTilde(t) * alphaCubedSigmaTildeDot(t),
    sigmaDot: alphaCubedSigmaTildeDot,
    lambda: (t) => -logSigmaTilde(t),
    tOfLambda: (lambda) => tOfLogSigma(-lambda),
    sigmaTilde,
    tOfSigmaTilde: (st) => tOfLogSigma(Math.log(st)),
  };
}
