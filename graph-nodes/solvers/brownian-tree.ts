// A seeded Brownian path W(σ̃) over [σ̃_min, σ̃_max], one independent path per coordinate, so that
// stochastic samplers see the same path whatever the step count (k-diffusion's
// BrownianTreeNoiseSampler). W is sampled by Brownian-bridge bisection: the value at a dyadic point
// of the interval comes from its two bracketing points plus a normal draw whose seed is derived
// from the seed and that point alone. W(σ̃) is therefore a fixed function of σ̃ for each seed,
// whichever points were asked for before.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../math/rng';
import type { NoiseSource } from './loop';

export interface BrownianTree {
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  /** W(t) for lo ≤ t ≤ hi, with W(lo) = 0: a new array of `size` values. */
  at(t: number): Float64Array;
}

export interface BrownianTreeOptions {
  readonly seed: number;
  /** Independent coordinates (points × dimensions). */
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  /**
   * Bisection levels. Between the dyadic points of the last level W is linear; 40 levels put
   * them (hi − lo)·2⁻⁴⁰ apart, far below any step a sampler takes.
   */
  readonly depth?: number;
}

/** A 32-bit integer hash (the "lowbias32" finaliser): nearby inputs give unrelated outputs. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The seed of the dyadic point j/2^level (j odd, or level 0 for the right end). Names a point of
 * the interval, never a query order. 32 bits: two of the few thousand points a run touches share
 * their draws with probability ~1e-3, a harmless correlation for a visual workbench.
 */
function pointSeed(seed: number, level: number, j: number): number {
  let h = mix32(Math.trunc(seed) ^ 0x9e3779b9);
  h = mix32(h ^ level);
  h = mix32(h ^ (j >>> 0));
  return mix32(h ^ Math.floor(j / 4294967296));
}

interface Bracket {
  readonly a: number;
  readonly b: number;
  readonly wa: Float64Array;
  readonly wb: Float64Array;
  /** Index of the left end at this level: a = lo + j·(hi − lo)/2^level. */
  readonly j: number;
}

export function createBrownianTree(options: BrownianTreeOptions): BrownianTree {
  const { seed, size, lo, hi } = options;
  const depth = options.depth ?? 40;
  if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new Error(`Brownian tree: needs a finite interval lo < hi (got [${lo}, ${hi}])`);
  }
  const normals = (level: number, j: number, scale: number): Float64Array => {
    const values = createRng(pointSeed(seed, level, j)).fillNormal(new Float64Array(size));
    for (let k = 0; k < size; k++) values[k]! *= scale;
    return values;
  };
  const root: Bracket = {
    a: lo,
    b: hi,
    wa: new Float64Array(size),
    wb: normals(0, 1, Math.sqrt(hi - lo)),
    j: 0,
  };
  // The brackets of the last query, level by level: consecutive queries (σ̃_i, σ̃_{i+1}) share
  // most of their ancestors, so only the levels below the split are drawn again.
  let path: Bracket[] = [root];

  const bisect = (bracket: Bracket, level: number, t: number): Bracket => {
    const { a, b, wa, wb, j } = bracket;
    const m = (a + b) / 2;
    // Brownian bridge: W(m) | W(a), W(b) ~ N((W(a) + W(b))/2, (b − a)/4).
    const wm = normals(level, 2 * j + 1, Math.sqrt((b - a) / 4));
    for (let k = 0; k < size; k++) wm[k]! += (wa[k]! + wb[k]!) / 2;
    return t < m ? { a, b: m, wa, wb: wm, j: 2 * j } : { a: m, b, wa: wm, wb, j: 2 * j + 1 };
  };

  return {
    size,
    lo,
    hi,
    at(t) {
      if (!(t >= lo && t <= hi)) {
        throw new Error(`Brownian tree: σ̃ = ${t} lies outside its interval [${lo}, ${hi}]`);
      }
      let level = 0;
      while (level + 1 < path.length && path[level + 1]!.a <= t && t < path[level + 1]!.b) level++;
      path = path.slice(0, level + 1);
      let bracket = path[level]!;
      while (level < depth && t !== bracket.a && t !== bracket.b) {
        level++;
        bracket = bisect(bracket, level, t);
        path.push(bracket);
      }
      const { a, b, wa, wb } = bracket;
      if (t === a) return Float64Array.from(wa);
      if (t === b) return Float64Array.from(wb);
      const weight = (t - a) / (b - a);
      return Float64Array.from(wa, (value, k) => value + weight * (wb[k]! - value));
    },
  };
}

export interface BrownianTreeNoiseOptions {
  readonly seed: number;
  /** The smallest positive and the largest noise level of the run. */
  readonly sigmaMin: number;
  readonly sigmaMax: number;
}

/**
 * Noise from one Brownian path per seed: z = (W(σ̃_to) − W(σ̃_from))/√|σ̃_to − σ̃_from|, N(0, I)
 * per step, and steps of a refined grid are pieces of the same path. `fresh` draws (EDM churn)
 * come from the seed's ordinary generator, as gaussianNoise(seed) does.
 */
export function brownianTreeNoise(options: BrownianTreeNoiseOptions): NoiseSource {
  const { seed, sigmaMin, sigmaMax } = options;
  const rng = createRng(seed);
  let tree: BrownianTree | undefined;
  return {
    sample(n, dim, sigmaFrom, sigmaTo) {
      tree ??= createBrownianTree({ seed, size: n * dim, lo: sigmaMin, hi: sigmaMax });
      if (tree.size !== n * dim) {
        throw new Error(`Brownian tree: built for ${tree.size} values, asked for ${n}×${dim}`);
      }
      const from = tree.at(sigmaFrom);
      const to = tree.at(sigmaTo);
      const scale = 1 / Math.sqrt(Math.abs(sigmaTo - sigmaFrom));
      const z = Float32Array.from(to, (value, k) => (value - from[k]!) * scale);
      return tf.tensor2d(z, [n, dim]);
    },
    fresh(n, dim) {
      return tf.tensor2d(rng.fillNormal(new Float32Array(n * dim)), [n, dim]);
    },
  };
}

/** Brownian-tree noise spanning a run's noise levels (its smallest positive σ̃ to its largest). */
export function brownianTreeNoiseFor(seed: number, sigmas: Float64Array): NoiseSource {
  const positive = Array.from(sigmas).filter((sigma) => sigma > 0);
  const sigmaMin = positive.length > 0 ? Math.min(...positive) : 1;
  const sigmaMax = positive.length > 0 ? Math.max(...positive) : 1;
  // With a single noise level no step draws from the path, but the tree needs an interval.
  return brownianTreeNoise({
    seed,
    sigmaMin,
    sigmaMax: sigmaMax > sigmaMin ? sigmaMax : sigmaMin + 1,
  });
}
