// The entropic OT solver (graph-nodes/transport/sinkhorn.ts) against an independent float64
// computation written here (reference §9): cost c_ij = ½‖x_i − y_j‖², objective
// ⟨π, c⟩ + ε KL(π ‖ a⊗b), plan π_ij = a_i b_j exp((f_i + g_j − c_ij)/ε).
//
// The oracle is textbook log-domain Sinkhorn (one log-sum-exp per entry per half-step, no kernel
// matrix, no truncation, no relaxation) with its own ε-scaling (halving from the cost's range),
// finished by a dense Newton method on the dual (Cholesky of the full (n + m − 1)² Hessian, one
// potential pinned) until both marginals are within 1e-13 in L1 (it reaches ≤ 7e-13; the tests
// require 1e-11, a hundredth of the solver's tolerance). Plain Sinkhorn alone would need
// ~1e5 iterations at ε ≤ 0.01 (its rate is the plan's second singular value, near 1 when the plan
// almost splits into blocks), which is why the solver has Newton steps too; the oracle's Newton is
// a different algorithm (direct solve of the unscaled dual, not CG on the scalings).
//
// Tolerances. The solver stops at a marginal error of 1e-9 (L1), so its plan can differ from the
// exact one by ~1e-9 times the conditioning of the problem: measured up to 1.5e-8 of max π (n = m
// = 60, ε = 1e-3), 5e-11 to 8e-9 elsewhere; the tests allow 1e-7. Quantities computed from the plan
// (entropy, KL, ⟨π, c⟩, objectives) are checked against direct sums over the same plan to rounding
// (1e-10 relative), and against the oracle's to 1e-8 relative (measured ≤ 8e-10). The duality gap
// is held to 1e-8 (measured ≤ 6e-10 in 2-D and 4-D) and to its bound by the marginal error times
// the potentials' range (see expectConsistentSolution): 9.8e-9 in the 8-D case.

import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../graph-nodes/math/rng';
import type { OtProblem } from '../../graph-nodes/transport/ot-problem';
import {
  solveEntropicOt,
  solveEntropicOtSync,
  type EntropicOtSolution,
} from '../../graph-nodes/transport/sinkhorn';
import { squaredDistanceCost } from './helpers/bridge-couplings';

// ---------------------------------------------------------------------------------------------
// Data: two moons → eight Gaussians, both of scale ~2, and Gaussian clouds in any dimension.

/** Two interleaved half circles, centred and scaled to about [−2.3, 2.3] × [−1.3, 1.3]. */
function twoMoons(rng: Rng, count: number): Float64Array {
  const points = new Float64Array(2 * count);
  for (let k = 0; k < count; k++) {
    const t = Math.PI * rng.uniform();
    const upper = k % 2 === 0;
    const px = upper ? Math.cos(t) : 1 - Math.cos(t);
    const py = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    points[2 * k] = 1.5 * (px - 0.5 + 0.08 * rng.normal());
    points[2 * k + 1] = 1.5 * (py - 0.25 + 0.08 * rng.normal());
  }
  return points;
}

/** Eight Gaussians (std 0.15) at radius 2. */
function eightGaussians(rng: Rng, count: number): Float64Array {
  const points = new Float64Array(2 * count);
  for (let k = 0; k < count; k++) {
    const angle = (2 * Math.PI * Math.floor(8 * rng.uniform())) / 8;
    points[2 * k] = 2 * Math.cos(angle) + 0.15 * rng.normal();
    points[2 * k + 1] = 2 * Math.sin(angle) + 0.15 * rng.normal();
  }
  return points;
}

function gaussianCloud(rng: Rng, count: number, dim: number, scale: number, shift: number) {
  const points = new Float64Array(count * dim);
  for (let k = 0; k < points.length; k++) points[k] = shift + scale * rng.normal();
  return points;
}

/** Positive weights between 0.2 and 1.2 (before normalising), summing to 1. */
function randomWeights(rng: Rng, count: number): Float64Array {
  const weights = new Float64Array(count);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    weights[k] = 0.2 + rng.uniform();
    sum += weights[k]!;
  }
  for (let k = 0; k < count; k++) weights[k] = weights[k]! / sum;
  return weights;
}

const uniformWeights = (count: number): Float64Array => new Float64Array(count).fill(1 / count);

function range(values: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const value of values) {
    lo = Math.min(lo, value);
    hi = Math.max(hi, value);
  }
  return hi - lo;
}

// ---------------------------------------------------------------------------------------------
// The oracle (see the header).

interface Reference {
  readonly plan: Float64Array;
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly marginalError: number;
}

/** Solves (H + ridge·I) x = rhs by Cholesky (H symmetric, row-major size²); null if not PD. */
function choleskySolve(
  h: Float64Array,
  size: number,
  ridge: number,
  rhs: Float64Array,
): Float64Array | null {
  const l = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    let pivot = h[j * size + j]! + ridge;
    for (let k = 0; k < j; k++) pivot -= l[j * size + k]! ** 2;
    if (!(pivot > 0)) return null;
    const diagonal = Math.sqrt(pivot);
    l[j * size + j] = diagonal;
    for (let i = j + 1; i < size; i++) {
      let value = h[i * size + j]!;
      for (let k = 0; k < j; k++) value -= l[i * size + k]! * l[j * size + k]!;
      l[i * size + j] = value / diagonal;
    }
  }
  const x = rhs.slice();
  for (let i = 0; i < size; i++) {
    let value = x[i]!;
    for (let k = 0; k < i; k++) value -= l[i * size + k]! * x[k]!;
    x[i] = value / l[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let value = x[i]!;
    for (let k = i + 1; k < size; k++) value -= l[k * size + i]! * x[k]!;
    x[i] = value / l[i * size + i]!;
  }
  return x;
}

function referenceEntropicOt(
  cost: Float64Array,
  a: Float64Array,
  b: Float64Array,
  epsilon: number,
): Reference {
  const n = a.length;
  const m = b.length;
  const logA = a.map(Math.log);
  const logB = b.map(Math.log);
  const f = new Float64Array(n);
  const g = new Float64Array(m);

  const updateF = (e: number): void => {
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < m; j++) max = Math.max(max, logB[j]! + (g[j]! - cost[i * m + j]!) / e);
      let sum = 0;
      for (let j = 0; j < m; j++) sum += Math.exp(logB[j]! + (g[j]! - cost[i * m + j]!) / e - max);
      f[i] = -e * (max + Math.log(sum));
    }
  };
  const updateG = (e: number): void => {
    for (let j = 0; j < m; j++) {
      let max = -Infinity;
      for (let i = 0; i < n; i++) max = Math.max(max, logA[i]! + (f[i]! - cost[i * m + j]!) / e);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.exp(logA[i]! + (f[i]! - cost[i * m + j]!) / e - max);
      g[j] = -e * (max + Math.log(sum));
    }
  };
  const planOf = (e: number, ff: Float64Array, gg: Float64Array): Float64Array => {
    const plan = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++)
        plan[i * m + j] = Math.exp(logA[i]! + logB[j]! + (ff[i]! + gg[j]! - cost[i * m + j]!) / e);
    return plan;
  };
  const marginals = (plan: Float64Array) => {
    const rows = new Float64Array(n);
    const columns = new Float64Array(m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        rows[i] = rows[i]! + plan[i * m + j]!;
        columns[j] = columns[j]! + plan[i * m + j]!;
      }
    let error = 0;
    for (let i = 0; i < n; i++) error += Math.abs(rows[i]! - a[i]!);
    let columnError = 0;
    for (let j = 0; j < m; j++) columnError += Math.abs(columns[j]! - b[j]!);
    return { rows, columns, error: Math.max(error, columnError) };
  };

  // ε-scaling: ε_0 = range(c), halving, ≤ 200 Sinkhorn iterations per stage (to 1e-3 before ε).
  const stages: number[] = [];
  for (let e = range(cost); e > epsilon; e /= 2) stages.push(e);
  stages.push(epsilon);
  for (let s = 0; s < stages.length; s++) {
    const e = stages[s]!;
    for (let iteration = 0; iteration < 200; iteration++) {
      updateF(e);
      updateG(e);
      if (s < stages.length - 1 && iteration % 10 === 9 && marginals(planOf(e, f, g)).error < 1e-3)
        break;
    }
  }

  // Newton on Φ(f, g) = Σ a f + Σ b g − ε Σ π (concave; gradient (a − r, b − c), Hessian
  // −[[D_r, π], [πᵀ, D_c]]/ε), g_{m−1} pinned, with a backtracking line search.
  const size = n + m - 1;
  const dual = (ff: Float64Array, gg: Float64Array, plan: Float64Array): number => {
    let value = 0;
    for (let i = 0; i < n; i++) value += a[i]! * ff[i]!;
    for (let j = 0; j < m; j++) value += b[j]! * gg[j]!;
    let mass = 0;
    for (const p of plan) mass += p;
    return value - epsilon * mass;
  };
  let plan = planOf(epsilon, f, g);
  let state = marginals(plan);
  for (let step = 0; step < 200 && state.error > 1e-13; step++) {
    const h = new Float64Array(size * size);
    const rhs = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      h[i * size + i] = state.rows[i]!;
      rhs[i] = epsilon * (a[i]! - state.rows[i]!);
      for (let j = 0; j < m - 1; j++) {
        h[i * size + n + j] = plan[i * m + j]!;
        h[(n + j) * size + i] = plan[i * m + j]!;
      }
    }
    for (let j = 0; j < m - 1; j++) {
      h[(n + j) * size + n + j] = state.columns[j]!;
      rhs[n + j] = epsilon * (b[j]! - state.columns[j]!);
    }
    let largest = 0;
    for (let k = 0; k < size; k++) largest = Math.max(largest, h[k * size + k]!);
    // Levenberg–Marquardt: a ridge λ·max(H_kk) that grows from 1e-14 until the Cholesky factor
    // exists and the step is accepted (nearly decoupled blocks make H nearly singular).
    let accepted = false;
    for (let ridge = 1e-14; ridge < 1e3 && !accepted; ridge *= 100) {
      const direction = choleskySolve(h, size, ridge * largest, rhs);
      if (!direction) continue;
      let slope = 0;
      for (let k = 0; k < size; k++) slope += (rhs[k]! / epsilon) * direction[k]!;
      const dual0 = dual(f, g, plan);
      for (let t = 1; t > 1e-6 && !accepted; t /= 2) {
        const ff = f.map((value, i) => value + t * direction[i]!);
        const gg = g.map((value, j) => (j < m - 1 ? value + t * direction[n + j]! : value));
        const trialPlan = planOf(epsilon, ff, gg);
        const trial = marginals(trialPlan);
        const armijo = slope > 1e-12 && dual(ff, gg, trialPlan) >= dual0 + 1e-4 * t * slope;
        if (armijo || trial.error < state.error) {
          f.set(ff);
          g.set(gg);
          plan = trialPlan;
          state = trial;
          accepted = true;
        }
      }
    }
    if (!accepted) break;
  }
  return { plan, f, g, marginalError: state.error };
}

// ---------------------------------------------------------------------------------------------
// Direct sums over a plan.

interface PlanFacts {
  readonly rowError: number;
  readonly columnError: number;
  readonly total: number;
  readonly max: number;
  readonly transportCost: number;
  readonly entropy: number;
  readonly kl: number;
}

function planFacts(
  plan: Float64Array,
  cost: Float64Array,
  a: Float64Array,
  b: Float64Array,
): PlanFacts {
  const n = a.length;
  const m = b.length;
  const rows = new Float64Array(n);
  const columns = new Float64Array(m);
  let total = 0;
  let max = 0;
  let transportCost = 0;
  let entropy = 0;
  let kl = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const p = plan[i * m + j]!;
      rows[i] = rows[i]! + p;
      columns[j] = columns[j]! + p;
      total += p;
      max = Math.max(max, p);
      transportCost += p * cost[i * m + j]!;
      if (p > 0) {
        entropy -= p * Math.log(p);
        kl += p * (Math.log(p) - Math.log(a[i]!) - Math.log(b[j]!));
      }
    }
  let rowError = 0;
  for (let i = 0; i < n; i++) rowError += Math.abs(rows[i]! - a[i]!);
  let columnError = 0;
  for (let j = 0; j < m; j++) columnError += Math.abs(columns[j]! - b[j]!);
  return { rowError, columnError, total, max, transportCost, entropy, kl };
}

const maxAbsDifference = (p: Float64Array, q: Float64Array): number => {
  let worst = 0;
  for (let k = 0; k < p.length; k++) worst = Math.max(worst, Math.abs(p[k]! - q[k]!));
  return worst;
};

interface Case {
  readonly name: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly dim: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
}

function makeCase(
  name: string,
  x: Float64Array,
  y: Float64Array,
  dim: number,
  weighted: boolean,
  rng: Rng,
): Case {
  const n = x.length / dim;
  const m = y.length / dim;
  return {
    name,
    x,
    y,
    dim,
    a: weighted ? randomWeights(rng, n) : uniformWeights(n),
    b: weighted ? randomWeights(rng, m) : uniformWeights(m),
  };
}

const problemOf = (c: Case): OtProblem => ({ x: c.x, y: c.y, dim: c.dim, a: c.a, b: c.b });

/**
 * Every structural property of a solution that needs no oracle: finite values, marginals, total
 * mass, the plan given by its potentials, entropy / KL / cost / objectives against direct sums,
 * and the duality gap. Returns the direct sums.
 */
function expectConsistentSolution(
  c: Case,
  cost: Float64Array,
  epsilon: number,
  solution: EntropicOtSolution,
  gapLimit = 1e-8,
): PlanFacts {
  const n = c.a.length;
  const m = c.b.length;
  const { plan, f, g } = solution;
  expect(solution.n).toBe(n);
  expect(solution.m).toBe(m);
  expect(solution.epsilon).toBe(epsilon);
  expect(plan.length).toBe(n * m);
  expect(plan.every((p) => Number.isFinite(p) && p >= 0)).toBe(true);
  expect(f.every(Number.isFinite) && g.every(Number.isFinite)).toBe(true);

  const facts = planFacts(plan, cost, c.a, c.b);
  expect(facts.rowError).toBeLessThanOrEqual(1e-9);
  expect(facts.columnError).toBeLessThanOrEqual(1e-9);
  expect(
    Math.abs(solution.marginalError - Math.max(facts.rowError, facts.columnError)),
  ).toBeLessThan(1e-14);
  expect(Math.abs(facts.total - 1)).toBeLessThanOrEqual(1e-9);

  // π_ij = a_i b_j exp((f_i + g_j − c_ij)/ε): (f_i + g_j)/ε ~ range(c)/ε carries ~1e-16 of it.
  let potentialMismatch = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const fromPotentials =
        c.a[i]! * c.b[j]! * Math.exp((f[i]! + g[j]! - cost[i * m + j]!) / epsilon);
      potentialMismatch = Math.max(potentialMismatch, Math.abs(plan[i * m + j]! - fromPotentials));
    }
  expect(potentialMismatch / facts.max).toBeLessThan(1e-12 * Math.max(1, range(cost) / epsilon));

  const scale = 1 + Math.abs(facts.transportCost);
  expect(Math.abs(solution.transportCost - facts.transportCost)).toBeLessThan(1e-12 * scale);
  expect(Math.abs(solution.entropy - facts.entropy)).toBeLessThan(1e-10 * (1 + facts.entropy));
  expect(Math.abs(solution.klDivergence - facts.kl)).toBeLessThan(1e-10 * (1 + facts.kl));
  expect(
    Math.abs(solution.entropicObjective - (facts.transportCost + epsilon * facts.kl)),
  ).toBeLessThan(1e-10 * (scale + epsilon * facts.kl));
  // H(π) = −Σ π log(a_i b_j) − KL for a plan with marginals a, b.
  let marginalEntropy = 0;
  for (const w of c.a) marginalEntropy -= w * Math.log(w);
  for (const w of c.b) marginalEntropy -= w * Math.log(w);
  expect(Math.abs(facts.entropy - (marginalEntropy - facts.kl))).toBeLessThan(1e-7);
  // Duality gap. Primal − dual = Σ (r_i − a_i) f_i + Σ (c_j − b_j) g_j + ε δ (r, c the plan's
  // marginals, δ = Σπ − 1 = Σ (r − a) = Σ (c − b)), so with f̄, ḡ the mid-ranges of f and g,
  //   |gap| ≤ ½ rowError·range(f) + ½ columnError·range(g) + |δ| |f̄ + ḡ + ε|:
  // ≤ 1e-8 at data scale 2, where the potentials span ≲ 10; more in 8-D, where they span ~50.
  const gap = Math.abs(solution.entropicObjective - solution.dualObjective);
  const mid = (v: Float64Array) => 0.5 * (Math.max(...v) + Math.min(...v));
  const gapBound =
    0.5 * facts.rowError * range(f) +
    0.5 * facts.columnError * range(g) +
    Math.abs(facts.total - 1) * Math.abs(mid(f) + mid(g) + epsilon) +
    1e-12 * (1 + Math.abs(solution.entropicObjective));
  expect(gap).toBeLessThanOrEqual(gapBound);
  expect(gap).toBeLessThanOrEqual(gapLimit);
  // The optimum is no worse than the independent coupling a⊗b (KL = 0).
  let independentCost = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) independentCost += c.a[i]! * c.b[j]! * cost[i * m + j]!;
  expect(solution.entropicObjective).toBeLessThanOrEqual(independentCost + 1e-12);
  return facts;
}

function expectMatchesReference(
  c: Case,
  epsilon: number,
  solution: EntropicOtSolution,
  gapLimit = 1e-8,
): void {
  const cost = squaredDistanceCost(c.x, c.y, c.dim);
  const facts = expectConsistentSolution(c, cost, epsilon, solution, gapLimit);
  const reference = referenceEntropicOt(cost, c.a, c.b, epsilon);
  expect(reference.marginalError).toBeLessThan(1e-11);
  const expected = planFacts(reference.plan, cost, c.a, c.b);

  expect(maxAbsDifference(solution.plan, reference.plan) / expected.max).toBeLessThan(1e-7);
  const objective = expected.transportCost + epsilon * expected.kl;
  expect(Math.abs(solution.transportCost - expected.transportCost)).toBeLessThan(
    1e-8 * (1 + expected.transportCost),
  );
  expect(Math.abs(solution.entropicObjective - objective)).toBeLessThan(1e-8 * (1 + objective));
  expect(Math.abs(facts.entropy - expected.entropy)).toBeLessThan(1e-8 * (1 + expected.entropy));
  expect(Math.abs(facts.kl - expected.kl)).toBeLessThan(1e-8 * (1 + expected.kl));
  // The oracle's dual value Σ a f + Σ b g (gauge-free) is the same optimum.
  let referenceDual = 0;
  c.a.forEach((w, i) => (referenceDual += w * reference.f[i]!));
  c.b.forEach((w, j) => (referenceDual += w * reference.g[j]!));
  expect(Math.abs(solution.dualObjective - referenceDual)).toBeLessThan(1e-8 * (1 + objective));
}

// ---------------------------------------------------------------------------------------------

const rng = createRng(20240611);
/** Two moons (90, non-uniform weights) → eight Gaussians (70, non-uniform weights). */
const moonsToGaussians = makeCase(
  'moons 90 → eight Gaussians 70, weighted',
  twoMoons(rng, 90),
  eightGaussians(rng, 70),
  2,
  true,
  rng,
);
/** n = m, uniform: near-permutation plans at small ε. */
const squareUniform = makeCase(
  'moons 60 → eight Gaussians 60, uniform',
  twoMoons(rng, 60),
  eightGaussians(rng, 60),
  2,
  false,
  rng,
);
const fourD = makeCase(
  '4-D clouds 50 → 80, weighted',
  gaussianCloud(rng, 50, 4, 1, -0.5),
  gaussianCloud(rng, 80, 4, 1.5, 0.5),
  4,
  true,
  rng,
);
const eightD = makeCase(
  '8-D clouds 60 → 60, uniform',
  gaussianCloud(rng, 60, 8, 1, 0),
  gaussianCloud(rng, 60, 8, 2, 1),
  8,
  false,
  rng,
);

describe('solveEntropicOtSync against an independent log-domain Sinkhorn + Newton oracle', () => {
  for (const epsilon of [10, 1, 0.1, 0.01, 1e-3]) {
    it(`${moonsToGaussians.name}, ε = ${epsilon}`, () => {
      const solution = solveEntropicOtSync(problemOf(moonsToGaussians), { epsilon });
      expectMatchesReference(moonsToGaussians, epsilon, solution);
    });
  }
  for (const epsilon of [0.1, 1e-3]) {
    it(`${squareUniform.name}, ε = ${epsilon}`, () => {
      const solution = solveEntropicOtSync(problemOf(squareUniform), { epsilon });
      expectMatchesReference(squareUniform, epsilon, solution);
    });
  }
  for (const epsilon of [1, 0.05]) {
    it(`${fourD.name}, ε = ${epsilon}`, () => {
      const solution = solveEntropicOtSync(problemOf(fourD), { epsilon });
      expectMatchesReference(fourD, epsilon, solution);
    });
  }
  it(`${eightD.name}, ε = 1e-3: no underflow where exp(−c/ε) is 0 almost everywhere`, () => {
    const cost = squaredDistanceCost(eightD.x, eightD.y, eightD.dim);
    let underflowed = 0;
    for (const value of cost) if (Math.exp(-value / 1e-3) === 0) underflowed++;
    expect(underflowed / cost.length).toBeGreaterThan(0.99);
    const solution = solveEntropicOtSync(problemOf(eightD), { epsilon: 1e-3 });
    // The potentials span ~50 here, so the gap may reach ~25 × the marginal error (see above).
    expectMatchesReference(eightD, 1e-3, solution, 5e-8);
  });

  it('textbook Sinkhorn (no ε-scaling, no over-relaxation) reaches the same plan', () => {
    const epsilon = 0.1;
    const fast = solveEntropicOtSync(problemOf(moonsToGaussians), { epsilon });
    const plain = solveEntropicOtSync(problemOf(moonsToGaussians), {
      epsilon,
      epsilonScaling: false,
      overrelaxation: false,
    });
    expectMatchesReference(moonsToGaussians, epsilon, plain);
    expect(plain.relaxation).toBe(1);
    expect(fast.iterations).toBeLessThan(plain.iterations);
  });

  it('a cost matrix or cost function given explicitly gives the same plan as the default cost', () => {
    const epsilon = 0.05;
    const c = moonsToGaussians;
    const byDefault = solveEntropicOtSync(problemOf(c), { epsilon });
    const cost = squaredDistanceCost(c.x, c.y, c.dim);
    const byMatrix = solveEntropicOtSync({ ...problemOf(c), cost }, { epsilon });
    const byFunction = solveEntropicOtSync(
      {
        ...problemOf(c),
        costFunction: (s, t) => 0.5 * ((s[0]! - t[0]!) ** 2 + (s[1]! - t[1]!) ** 2),
      },
      { epsilon },
    );
    expect(Array.from(byMatrix.plan)).toEqual(Array.from(byDefault.plan));
    expect(maxAbsDifference(byFunction.plan, byDefault.plan)).toBeLessThan(1e-15);
  });
});

describe('limits and stability', () => {
  it('ε → ∞ (ε = 1e4) gives the independent coupling a⊗b to first order in range(c)/ε', () => {
    const c = moonsToGaussians;
    const epsilon = 1e4;
    const solution = solveEntropicOtSync(problemOf(c), { epsilon });
    const cost = squaredDistanceCost(c.x, c.y, c.dim);
    const facts = expectConsistentSolution(c, cost, epsilon, solution);
    const n = c.a.length;
    const m = c.b.length;
    const spread = range(cost) / epsilon; // ~3e-3 here
    // log(π_ij/(a_i b_j)) = −c̃_ij/ε + O(spread²), with c̃ the doubly centred cost
    // c_ij − Σ_j b_j c_ij − Σ_i a_i c_ij + Σ a b c.
    const rowMean = new Float64Array(n);
    const columnMean = new Float64Array(m);
    let mean = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const w = cost[i * m + j]!;
        rowMean[i] = rowMean[i]! + c.b[j]! * w;
        columnMean[j] = columnMean[j]! + c.a[i]! * w;
        mean += c.a[i]! * c.b[j]! * w;
      }
    let worstRatio = 0;
    let worstFirstOrder = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const logRatio = Math.log(solution.plan[i * m + j]! / (c.a[i]! * c.b[j]!));
        const centred = cost[i * m + j]! - rowMean[i]! - columnMean[j]! + mean;
        worstRatio = Math.max(worstRatio, Math.abs(logRatio));
        worstFirstOrder = Math.max(worstFirstOrder, Math.abs(logRatio + centred / epsilon));
      }
    expect(worstRatio).toBeLessThanOrEqual(2 * spread);
    expect(worstFirstOrder).toBeLessThanOrEqual(spread * spread);
    expect(facts.kl).toBeLessThan(spread * spread);
  });

  it('ε = 1e-3 at data scale 2 (300 × 300): finite, exact marginals, close to an assignment', () => {
    const local = createRng(7);
    const c = makeCase(
      'moons → Gaussians 300',
      twoMoons(local, 300),
      eightGaussians(local, 300),
      2,
      false,
      local,
    );
    const cost = squaredDistanceCost(c.x, c.y, c.dim);
    let underflowed = 0;
    for (const value of cost) if (Math.exp(-value / 1e-3) === 0) underflowed++;
    expect(underflowed / cost.length).toBeGreaterThan(0.8);
    const solution = solveEntropicOtSync(problemOf(c), { epsilon: 1e-3 });
    const facts = expectConsistentSolution(c, cost, 1e-3, solution);
    // Close to an assignment: the mutual information KL(π ‖ a⊗b) is most of its maximum log 300
    // (measured 4.68 of 5.70).
    expect(facts.kl).toBeGreaterThan(0.75 * Math.log(300));
  });

  it('a warm start from a nearby ε converges in fewer iterations than a cold start', () => {
    const c = moonsToGaussians;
    const epsilon = 0.01;
    const cold = solveEntropicOtSync(problemOf(c), { epsilon });
    const nearby = solveEntropicOtSync(problemOf(c), { epsilon: 0.0125 });
    const warm = solveEntropicOtSync(problemOf(c), {
      epsilon,
      warmStart: {
        f: nearby.f,
        g: nearby.g,
        epsilon: nearby.epsilon,
        relaxation: nearby.relaxation,
      },
    });
    const warmNoEpsilon = solveEntropicOtSync(problemOf(c), {
      epsilon,
      warmStart: { f: nearby.f, g: nearby.g },
    });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(warmNoEpsilon.iterations).toBeLessThan(cold.iterations);
    const cost = squaredDistanceCost(c.x, c.y, c.dim);
    for (const solution of [warm, warmNoEpsilon]) {
      expectConsistentSolution(c, cost, epsilon, solution);
      expect(
        maxAbsDifference(solution.plan, cold.plan) / planFacts(cold.plan, cost, c.a, c.b).max,
      ).toBeLessThan(1e-7);
    }
  });
});

describe('errors', () => {
  const c = moonsToGaussians;

  it('throws a clear error when maxIterations is too small to converge', () => {
    for (const epsilon of [1, 1e-3]) {
      expect(() => solveEntropicOtSync(problemOf(c), { epsilon, maxIterations: 5 })).toThrow(
        /did not converge.*after 5 iterations/,
      );
    }
    // An unreachable tolerance ends at maxIterations too, rather than running on.
    expect(() =>
      solveEntropicOtSync(problemOf(c), { epsilon: 0.1, tolerance: 1e-300, maxIterations: 300 }),
    ).toThrow(/did not converge.*maxIterations = 300/);
  });

  it('converges within exactly the iterations it reports, and not in one fewer', () => {
    const epsilon = 0.5;
    const solution = solveEntropicOtSync(problemOf(c), { epsilon });
    const again = solveEntropicOtSync(problemOf(c), {
      epsilon,
      maxIterations: solution.iterations,
    });
    expect(Array.from(again.plan)).toEqual(Array.from(solution.plan));
    expect(() =>
      solveEntropicOtSync(problemOf(c), { epsilon, maxIterations: solution.iterations - 1 }),
    ).toThrow(/did not converge/);
  });

  it('refuses ε ≤ 0 or not finite, and bad tolerance or maxIterations', () => {
    for (const epsilon of [0, -1, NaN, Infinity]) {
      expect(() => solveEntropicOtSync(problemOf(c), { epsilon })).toThrow(/ε must be positive/);
    }
    expect(() => solveEntropicOtSync(problemOf(c), { epsilon: 1, tolerance: 0 })).toThrow(
      /tolerance/,
    );
    expect(() => solveEntropicOtSync(problemOf(c), { epsilon: 1, maxIterations: 0 })).toThrow(
      /maxIterations/,
    );
    expect(() => solveEntropicOtSync(problemOf(c), { epsilon: 1, maxIterations: 2.5 })).toThrow(
      /maxIterations/,
    );
  });

  it('refuses NaN or infinite points and costs', () => {
    const x = c.x.slice();
    x[7] = NaN;
    expect(() => solveEntropicOtSync({ ...problemOf(c), x }, { epsilon: 1 })).toThrow(/NaN/);
    const y = c.y.slice();
    y[0] = Infinity;
    expect(() => solveEntropicOtSync({ ...problemOf(c), y }, { epsilon: 1 })).toThrow(/cost/);
    const cost = squaredDistanceCost(c.x, c.y, c.dim);
    cost[5] = NaN;
    expect(() => solveEntropicOtSync({ ...problemOf(c), cost }, { epsilon: 1 })).toThrow(/finite/);
  });

  it('refuses mismatched sizes and bad weights', () => {
    const problem = problemOf(c);
    const run = (p: OtProblem) => () => solveEntropicOtSync(p, { epsilon: 1 });
    expect(run({ ...problem, x: c.x.subarray(1) })).toThrow(/multiples of dim/);
    expect(run({ ...problem, dim: 0 })).toThrow(/dim/);
    expect(run({ ...problem, a: c.a.subarray(1) })).toThrow(/a has 89 weights for 90 points/);
    expect(run({ ...problem, b: c.a })).toThrow(/b has 90 weights for 70 points/);
    expect(run({ ...problem, x: new Float64Array(0) })).toThrow(/at least one/);
    expect(run({ ...problem, cost: new Float64Array(10) })).toThrow(/cost matrix has 10 entries/);
    const negative = c.a.slice();
    negative[3] = -negative[3]!;
    expect(run({ ...problem, a: negative })).toThrow(/positive/);
    expect(run({ ...problem, b: c.b.map((w) => 2 * w) })).toThrow(/sum to/);
    expect(() =>
      solveEntropicOtSync(problem, {
        epsilon: 1,
        warmStart: { f: new Float64Array(3), g: new Float64Array(70) },
      }),
    ).toThrow(/warm start/);
  });
});

describe('solveEntropicOt (async)', () => {
  const c = moonsToGaussians;

  it('awaits the checkpoint and returns the same solution as the sync form', async () => {
    let calls = 0;
    const solution = await solveEntropicOt(problemOf(c), {
      epsilon: 1e-3,
      checkpointIntervalMs: 0,
      checkpoint: async () => {
        calls++;
      },
    });
    const sync = solveEntropicOtSync(problemOf(c), { epsilon: 1e-3 });
    expect(calls).toBeGreaterThan(10);
    expect(Array.from(solution.plan)).toEqual(Array.from(sync.plan));
    expect(solution.iterations).toBe(sync.iterations);
  });

  it('a checkpoint that throws cancels the run with its error', async () => {
    let calls = 0;
    const cancelled = new Error('cancelled by the host');
    await expect(
      solveEntropicOt(problemOf(c), {
        epsilon: 1e-3,
        checkpointIntervalMs: 0,
        checkpoint: async () => {
          calls++;
          if (calls === 3) throw cancelled;
        },
      }),
    ).rejects.toBe(cancelled);
    expect(calls).toBe(3);
  });

  it('reports invalid input as a rejection', async () => {
    await expect(solveEntropicOt(problemOf(c), { epsilon: -1 })).rejects.toThrow(
      /ε must be positive/,
    );
  });
});
