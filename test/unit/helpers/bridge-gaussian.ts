// Independent float64 oracles for the bridge tests: Gaussian sampling, sample moments, and the
// closed forms of the entropic plan between Gaussians and of its Brownian bridge's marginals.
//
// Entropic plan (reference §9): for μ = N(a, A), ν = N(b, B), cost ½‖x − y‖² and regularisation
// ε KL(π ‖ μ⊗ν), the plan is Gaussian with cross-covariance
//   C = ½ (A^{1/2} D A^{−1/2} − ε I),  D = (4 A^{1/2} B A^{1/2} + ε² I)^{1/2}.
// Its density is ∝ e^{f(x) + g(y) + x·y/ε}, so the off-diagonal block of the joint precision is
// −I/ε: entropicCrossCovariance checks exactly that before returning C.
//
// Brownian-bridge marginal of a Gaussian plan: X_t = (1 − t) X + t Y + √(ε t(1 − t)) Z with Z
// independent of (X, Y), hence mean (1 − t) a + t b and covariance
//   (1 − t)² A + t² B + t(1 − t)(C + Cᵀ) + ε t(1 − t) I.

import type { Rng } from '../../../graph-nodes/math/rng';

/** A d × d matrix as rows. */
export type Matrix = number[][];

export const identity = (d: number): Matrix =>
  Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));

export const multiply = (p: Matrix, q: Matrix): Matrix =>
  p.map((row) => q[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * q[k]![j]!, 0)));

export const transpose = (p: Matrix): Matrix => p[0]!.map((_, j) => p.map((row) => row[j]!));

export const combine = (terms: [number, Matrix][]): Matrix =>
  terms[0]![1].map((row, i) =>
    row.map((_, j) => terms.reduce((sum, [scale, matrix]) => sum + scale * matrix[i]![j]!, 0)),
  );

/** Lower-triangular L with L Lᵀ = S (S symmetric positive definite). */
export function cholesky(s: Matrix): Matrix {
  const d = s.length;
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let sum = s[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) throw new Error('cholesky: matrix is not positive definite');
        l[i]![i] = Math.sqrt(sum);
      } else l[i]![j] = sum / l[j]![j]!;
    }
  return l;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
export function inverse(s: Matrix): Matrix {
  const d = s.length;
  const work = s.map((row, i) => [...row, ...identity(d)[i]!]);
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++)
      if (Math.abs(work[r]![c]!) > Math.abs(work[pivot]![c]!)) pivot = r;
    [work[c], work[pivot]] = [work[pivot]!, work[c]!];
    const scale = work[c]![c]!;
    work[c] = work[c]!.map((value) => value / scale);
    for (let r = 0; r < d; r++)
      if (r !== c) {
        const factor = work[r]![c]!;
        work[r] = work[r]!.map((value, k) => value - factor * work[c]![k]!);
      }
  }
  return work.map((row) => row.slice(d));
}

/** Principal square root of a symmetric positive definite 1 × 1 or 2 × 2 matrix. */
export function sqrtSpd(s: Matrix): Matrix {
  if (s.length === 1) return [[Math.sqrt(s[0]![0]!)]];
  if (s.length !== 2) throw new Error('sqrtSpd: 1-D or 2-D only');
  // √S = (S + √det·I)/√(tr S + 2√det), by Cayley–Hamilton.
  const root = Math.sqrt(s[0]![0]! * s[1]![1]! - s[0]![1]! * s[1]![0]!);
  const scale = Math.sqrt(s[0]![0]! + s[1]![1]! + 2 * root);
  return combine([
    [1 / scale, s],
    [root / scale, identity(2)],
  ]);
}

/** The entropic plan's cross-covariance C between N(·, A) and N(·, B) at ε (see header). */
export function entropicCrossCovariance(a: Matrix, b: Matrix, epsilon: number): Matrix {
  const d = a.length;
  const rootA = sqrtSpd(a);
  const inner = combine([
    [4, multiply(multiply(rootA, b), rootA)],
    [epsilon * epsilon, identity(d)],
  ]);
  const c = combine([
    [0.5, multiply(multiply(rootA, sqrtSpd(inner)), inverse(rootA))],
    [-0.5 * epsilon, identity(d)],
  ]);
  // The plan's joint precision must have −I/ε as its off-diagonal block.
  const joint = jointCovariance(a, b, c);
  const precision = inverse(joint);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const expected = i === j ? -1 / epsilon : 0;
      if (Math.abs(precision[i]![d + j]! - expected) > 1e-9 * (1 + 1 / epsilon))
        throw new Error('entropicCrossCovariance: the plan is not of Gibbs form');
    }
  return c;
}

export function jointCovariance(a: Matrix, b: Matrix, c: Matrix): Matrix {
  const ct = transpose(c);
  return [...a.map((row, i) => [...row, ...c[i]!]), ...ct.map((row, i) => [...row, ...b[i]!])];
}

/** The Brownian bridge marginal of the Gaussian plan (a, A; b, B; C) at t (see header). */
export function brownianBridgeMarginal(
  a: number[],
  b: number[],
  covA: Matrix,
  covB: Matrix,
  cross: Matrix,
  epsilon: number,
  t: number,
): { mean: number[]; cov: Matrix } {
  const mean = a.map((value, i) => (1 - t) * value + t * b[i]!);
  const cov = combine([
    [(1 - t) ** 2, covA],
    [t * t, covB],
    [t * (1 - t), cross],
    [t * (1 - t), transpose(cross)],
    [epsilon * t * (1 - t), identity(a.length)],
  ]);
  return { mean, cov };
}

/** count draws of N(mean, cov), row-major [count, d]. */
export function sampleGaussian(rng: Rng, count: number, mean: number[], cov: Matrix): Float64Array {
  const d = mean.length;
  const l = cholesky(cov);
  const z = new Float64Array(d);
  const out = new Float64Array(count * d);
  for (let row = 0; row < count; row++) {
    rng.fillNormal(z);
    for (let i = 0; i < d; i++) {
      let value = mean[i]!;
      for (let k = 0; k <= i; k++) value += l[i]![k]! * z[k]!;
      out[row * d + i] = value;
    }
  }
  return out;
}

/** Sample mean and (1/(count − 1)) covariance of rows [count, d]. */
export function sampleMoments(x: Float64Array, d: number): { mean: number[]; cov: Matrix } {
  const count = x.length / d;
  const mean = new Array<number>(d).fill(0);
  for (let row = 0; row < count; row++)
    for (let i = 0; i < d; i++) mean[i]! += x[row * d + i]! / count;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let row = 0; row < count; row++)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        cov[i]![j]! += ((x[row * d + i]! - mean[i]!) * (x[row * d + j]! - mean[j]!)) / (count - 1);
  return { mean, cov };
}

/** Sample cross-covariance of paired rows u, v ([count, d] each). */
export function sampleCrossCovariance(u: Float64Array, v: Float64Array, d: number): Matrix {
  const mu = sampleMoments(u, d).mean;
  const mv = sampleMoments(v, d).mean;
  const count = u.length / d;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let row = 0; row < count; row++)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        cov[i]![j]! += ((u[row * d + i]! - mu[i]!) * (v[row * d + j]! - mv[j]!)) / (count - 1);
  return cov;
}

/**
 * Checks sample moments against a Gaussian's within z standard errors: for independent draws the
 * sample mean's error has variance Σ_ii/N and a covariance entry's (Σ_ij² + Σ_ii Σ_jj)/N (Gaussian
 * fourth moments). `effectiveInverseCount` is Σ 1/N over the independent sources of error (the
 * particles, and the point clouds that the coupling was built from). `allowance` is added to every
 * tolerance: a bias that is not sampling error (a discretisation's). Returns the failures as text.
 */
export function momentMismatches(
  got: { mean: number[]; cov: Matrix },
  expected: { mean: number[]; cov: Matrix },
  effectiveInverseCount: number,
  z: number,
  allowance: { mean: number | number[]; cov: number | Matrix } = { mean: 0, cov: 0 },
): string[] {
  const failures: string[] = [];
  const s = expected.cov;
  const meanAllowance = (i: number): number =>
    typeof allowance.mean === 'number' ? allowance.mean : allowance.mean[i]!;
  const covAllowance = (i: number, j: number): number =>
    typeof allowance.cov === 'number' ? allowance.cov : allowance.cov[i]![j]!;
  got.mean.forEach((value, i) => {
    const tolerance = z * Math.sqrt(s[i]![i]! * effectiveInverseCount) + meanAllowance(i);
    if (!(Math.abs(value - expected.mean[i]!) <= tolerance))
      failures.push(`mean[${i}] ${value} vs ${expected.mean[i]} (± ${tolerance})`);
  });
  got.cov.forEach((row, i) =>
    row.forEach((value, j) => {
      const spread = Math.sqrt((s[i]![j]! ** 2 + s[i]![i]! * s[j]![j]!) * effectiveInverseCount);
      const tolerance = z * spread + covAllowance(i, j);
      if (!(Math.abs(value - s[i]![j]!) <= tolerance))
        failures.push(`cov[${i}][${j}] ${value} vs ${s[i]![j]} (± ${tolerance})`);
    }),
  );
  return failures;
}

/**
 * Checks a sample cross-covariance Cov(U, V) against `expected` within z standard errors, the
 * error of entry (i, j) having variance (E_ij² + Cov(U)_ii Cov(V)_jj)/N for jointly Gaussian U, V.
 */
export function crossCovarianceMismatches(
  got: Matrix,
  expected: Matrix,
  covU: Matrix,
  covV: Matrix,
  effectiveInverseCount: number,
  z: number,
): string[] {
  const failures: string[] = [];
  got.forEach((row, i) =>
    row.forEach((value, j) => {
      const e = expected[i]![j]!;
      const tolerance =
        z * Math.sqrt((e * e + covU[i]![i]! * covV[j]![j]!) * effectiveInverseCount);
      if (!(Math.abs(value - e) <= tolerance))
        failures.push(`cross[${i}][${j}] ${value} vs ${e} (± ${tolerance})`);
    }),
  );
  return failures;
}

/**
 * The exact law, at each of `times` after the first, of the 'conditional' SDE or ODE of
 * bridge-markov.ts (Brownian reference) started from the Gaussian N(a, covA) and run with the
 * population posterior of the Gaussian plan with cross-covariance `cross` to N(b, covB). Every
 * step is affine in x (posterior means of jointly Gaussian variables are linear regressions), so
 * the scheme's own discretisation bias is computable exactly: what the finite runs are compared
 * against, beside the continuous-time closed form.
 */
export function conditionalSchemeMoments(
  gaussian: { a: number[]; b: number[]; covA: Matrix; covB: Matrix; cross: Matrix },
  epsilon: number,
  times: ArrayLike<number>,
  mode: 'sde' | 'ode',
): Map<number, { mean: number[]; cov: Matrix }> {
  const { a, b, covA, covB, cross } = gaussian;
  const d = a.length;
  const eye = identity(d);
  const apply = (l: Matrix, v: number[]): number[] =>
    l.map((row) => row.reduce((sum, value, k) => sum + value * v[k]!, 0));
  const marginal = (t: number): { mean: number[]; cov: Matrix } =>
    brownianBridgeMarginal(a, b, covA, covB, cross, epsilon, t);
  /** ŷ = G x + g and x̂ = Ĝ x + ĝ at t. */
  const regressions = (t: number): { gy: Matrix; oy: number[]; gx: Matrix; ox: number[] } => {
    const { mean, cov } = marginal(t);
    const precision = inverse(cov);
    const gy = multiply(
      combine([
        [1 - t, transpose(cross)],
        [t, covB],
      ]),
      precision,
    );
    const gx = multiply(
      combine([
        [1 - t, covA],
        [t, cross],
      ]),
      precision,
    );
    const shift = (g: Matrix, centre: number[]): number[] =>
      centre.map((value, i) => value - apply(g, mean)[i]!);
    return { gy, oy: shift(gy, b), gx, ox: shift(gx, a) };
  };
  let mean = a.slice();
  let cov = covA;
  const laws = new Map<number, { mean: number[]; cov: Matrix }>();
  for (let k = 0; k + 1 < times.length; k++) {
    const [t, s] = [times[k]!, times[k + 1]!];
    // The step as x ↦ L x + o (+ noise γ I).
    let l: Matrix;
    let o: number[];
    let noise = 0;
    const at = s === 1 || mode === 'sde' || t > 0 ? t : s; // the first ODE step looks at s
    const { gy, oy, gx, ox } = regressions(at);
    const mix = (terms: [number, number[]][]): number[] =>
      terms[0]![1].map((_, i) => terms.reduce((sum, [scale, v]) => sum + scale * v[i]!, 0));
    if (s === 1) [l, o] = [gy, oy];
    else if (mode === 'sde') {
      const [alpha, beta] = [(1 - s) / (1 - t), (s - t) / (1 - t)];
      l = combine([
        [alpha, eye],
        [beta, gy],
      ]);
      o = oy.map((value) => beta * value);
      noise = (epsilon * (s - t) * (1 - s)) / (1 - t);
    } else if (t === 0) {
      // x + s v = (1 − s/(1 − s) + 1/(2(1 − s))) x + s/(2(1 − s)) ŷ − ½ x̂.
      const [cx, cy] = [1 - s / (1 - s) + 1 / (2 * (1 - s)), s / (2 * (1 - s))];
      l = combine([
        [cx, eye],
        [cy, gy],
        [-0.5, gx],
      ]);
      o = mix([
        [cy, oy],
        [-0.5, ox],
      ]);
    } else {
      const r = Math.sqrt((s * (1 - s)) / (t * (1 - t)));
      l = combine([
        [1 - s - r * (1 - t), gx],
        [s - r * t, gy],
        [r, eye],
      ]);
      o = mix([
        [1 - s - r * (1 - t), ox],
        [s - r * t, oy],
      ]);
    }
    mean = mix([
      [1, apply(l, mean)],
      [1, o],
    ]);
    cov = combine([
      [1, multiply(multiply(l, cov), transpose(l))],
      [noise, eye],
    ]);
    laws.set(s, { mean, cov });
  }
  return laws;
}
