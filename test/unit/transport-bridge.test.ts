// The Schrödinger-bridge dynamics of a coupling (graph-nodes/transport/bridge*.ts, reference §9),
// against answers computed here from first principles:
//  - between Gaussians N(a, A) and N(b, B) the entropic plan and its Brownian bridge are Gaussian
//    in closed form (helpers/bridge-gaussian.ts); bridge sampling, the Markovian SDE and its PF-ODE
//    must reproduce those marginals, and also the exact moments of the empirical plan's mixture of
//    bridges (helpers/bridge-couplings.ts), which carry no sampling error from the point clouds;
//  - a single pair follows its reference bridge exactly (Brownian and VP), and ε scales the noise;
//  - drift and PF velocity satisfy the Fokker–Planck and continuity equations of the mixture's
//    density p_t, checked by finite differences;
//  - predicted endpoints equal a brute-force posterior over all pairs, for Gibbs (Sinkhorn) plans,
//    which take bridge-gibbs.ts, and other plans, which take bridge-pair-posterior.ts;
//  - frames, seeds and input checks.
// Tolerances: z = 4 standard errors of Monte Carlo (helpers/bridge-gaussian.ts momentMismatches),
// plus, for the time-stepped SDE and ODE, a discretisation allowance explained where it is used.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BridgeReference, Coupling } from '../../graph-nodes/core/values';
import { createRng } from '../../graph-nodes/math/rng';
import {
  createBridgeField,
  runBridge,
  type BridgeField,
  type BridgeRun,
} from '../../graph-nodes/transport/bridge';
import { solveEntropicOtSync } from '../../graph-nodes/transport/sinkhorn';
import {
  bruteForcePosterior,
  diagonalPlan,
  independentPlan,
  makeCoupling,
  mixtureCrossCovariance,
  mixtureMoments,
  planMoments,
  referenceFormulas,
  sinkhornPlan,
  type PlanMoments,
  type ReferenceFormulas,
} from './helpers/bridge-couplings';
import {
  brownianBridgeMarginal,
  combine,
  conditionalSchemeMoments,
  crossCovarianceMismatches,
  entropicCrossCovariance,
  identity,
  momentMismatches,
  sampleCrossCovariance,
  sampleGaussian,
  sampleMoments,
  transpose,
  type Matrix,
} from './helpers/bridge-gaussian';

/** Standard errors allowed for Monte Carlo estimates (fixed seeds, so the tests are repeatable). */
const Z = 4;
const BROWNIAN: BridgeReference = { kind: 'brownian' };

/** 0, 1/k, …, 1. */
const uniformTimes = (k: number): Float64Array =>
  Float64Array.from({ length: k + 1 }, (_, i) => i / k);

function frameAt(run: BridgeRun, t: number): Float64Array {
  const frame = run.frames.find((candidate) => candidate.t === t);
  if (!frame) throw new Error(`no frame at t = ${t}`);
  return frame.x;
}

/** The rows of x ([rows, dim]) that `keep` selects. */
function pickRows(x: Float64Array, dim: number, keep: (row: number) => boolean): Float64Array {
  const kept: number[] = [];
  for (let row = 0; row < x.length / dim; row++)
    if (keep(row)) for (let c = 0; c < dim; c++) kept.push(x[row * dim + c]!);
  return Float64Array.from(kept);
}

/** Each of `points` ([count, dim]) repeated `times` times, row by row. */
const repeatRows = (points: Float64Array, times: number): Float64Array =>
  Float64Array.from({ length: points.length * times }, (_, k) => points[k % points.length]!);

function largestDifference(p: ArrayLike<number>, q: ArrayLike<number>): number {
  expect(p.length).toBe(q.length);
  let largest = 0;
  for (let k = 0; k < p.length; k++) largest = Math.max(largest, Math.abs(p[k]! - q[k]!));
  return largest;
}

// ---------------------------------------------------------------------------------------------
// Gaussian endpoints: the closed form.

const MEAN_A = [1, -0.5];
const COV_A: Matrix = [
  [1, 0.4],
  [0.4, 0.6],
];
const MEAN_B = [-1, 1];
const COV_B: Matrix = [
  [0.5, -0.3],
  [-0.3, 1.2],
];
const EPSILON = 1;
const CROSS = entropicCrossCovariance(COV_A, COV_B, EPSILON);
const BROWNIAN_FORMULAS = referenceFormulas(BROWNIAN, EPSILON);
const gaussianMarginal = (t: number): { mean: number[]; cov: Matrix } =>
  brownianBridgeMarginal(MEAN_A, MEAN_B, COV_A, COV_B, CROSS, EPSILON, t);
/** Cov(X_s, X_u), s ≤ u, of X_t = (1 − t)X + tY + bridge noise (Cov ε s(1 − u) I), (X, Y) the plan. */
const gaussianCrossTime = (s: number, u: number): Matrix =>
  combine([
    [(1 - s) * (1 - u), COV_A],
    [s * u, COV_B],
    [(1 - s) * u, CROSS],
    [s * (1 - u), transpose(CROSS)],
    [EPSILON * s * (1 - u), identity(2)],
  ]);

/** Samples of N(a, A) and N(b, B), and their entropic plan at ε = EPSILON from the fast solver. */
function gaussianCoupling(size: number, seed: number): Coupling {
  const rng = createRng(seed);
  const x = sampleGaussian(rng, size, MEAN_A, COV_A);
  const y = sampleGaussian(rng, size, MEAN_B, COV_B);
  const { plan } = solveEntropicOtSync({ x, y, dim: 2 }, { epsilon: EPSILON });
  return makeCoupling(x, y, 2, plan, EPSILON);
}

describe('bridge sampling between Gaussian endpoints', () => {
  const SIZE = 4000;
  const PATHS = 20_000;
  const TIMES = new Float64Array([0, 0.25, 0.5, 0.75, 1]);
  let coupling: Coupling;
  let field: BridgeField;
  let moments: PlanMoments;
  let run: BridgeRun;

  beforeAll(async () => {
    coupling = gaussianCoupling(SIZE, 11);
    field = createBridgeField(coupling);
    moments = planMoments(coupling);
    // runBridge predicts every path's endpoint at every time, which here would cost 20000 paths ×
    // 8000 points per time (~10 s). The path law does not depend on it, and the endpoints are
    // checked against a brute-force posterior further down, so this run's field predicts nothing.
    const pathsOnly: BridgeField = {
      ...field,
      predictEndpoints: (x) => new Float64Array(x.length),
    };
    run = await runBridge(
      coupling,
      { mode: 'bridge', count: PATHS, times: TIMES, seed: 7 },
      pathsOnly,
    );
  });

  it("the solver's plan is a Gibbs plan with the closed-form cross-covariance", () => {
    expect(field.posteriorKind).toBe('gibbs');
    // The plan's error comes from the 4000-point clouds: as for a sample cross-covariance.
    const inverseCount = 1 / SIZE + 1 / SIZE;
    expect(crossCovarianceMismatches(moments.xy, CROSS, COV_A, COV_B, inverseCount, Z)).toEqual([]);
  });

  it('has the closed-form means and covariances at t = ¼, ½, ¾', () => {
    for (const t of [0.25, 0.5, 0.75]) {
      const got = sampleMoments(frameAt(run, t), 2);
      // Against the Gaussian closed form: errors of the two 4000-point clouds and of the paths.
      const inverseCount = 1 / SIZE + 1 / SIZE + 1 / PATHS;
      expect(momentMismatches(got, gaussianMarginal(t), inverseCount, Z), `t = ${t}`).toEqual([]);
      // Against the exact mixture of bridges of this very plan: only the paths' error, 5× tighter.
      const exact = mixtureMoments(moments, BROWNIAN_FORMULAS, t);
      expect(momentMismatches(got, exact, 1 / PATHS, Z), `t = ${t}, exact`).toEqual([]);
    }
  });

  it('samples whole paths: Cov(X_¼, X_¾) is the bridge’s, not that of independent draws', () => {
    const [early, late] = [frameAt(run, 0.25), frameAt(run, 0.75)];
    const got = sampleCrossCovariance(early, late, 2);
    const [covEarly, covLate] = [gaussianMarginal(0.25).cov, gaussianMarginal(0.75).cov];
    const inverseCount = 1 / SIZE + 1 / SIZE + 1 / PATHS;
    const closed = gaussianCrossTime(0.25, 0.75);
    expect(crossCovarianceMismatches(got, closed, covEarly, covLate, inverseCount, Z)).toEqual([]);
    const exact = mixtureCrossCovariance(moments, BROWNIAN_FORMULAS, 0.25, 0.75);
    expect(crossCovarianceMismatches(got, exact, covEarly, covLate, 1 / PATHS, Z)).toEqual([]);
  });

  it('starts every path on its source point and ends it on its target point', () => {
    const { sourceIndex, targetIndex } = run;
    const first = run.frames[0]!.x;
    const last = run.frames[TIMES.length - 1]!.x;
    for (let row = 0; row < PATHS; row += 97)
      for (let c = 0; c < 2; c++) {
        expect(first[row * 2 + c]).toBe(coupling.source[sourceIndex![row]! * 2 + c]);
        expect(last[row * 2 + c]).toBe(coupling.target[targetIndex![row]! * 2 + c]);
      }
  });
});

describe('the Markovian SDE and PF-ODE between Gaussian endpoints', () => {
  // Each step costs particles × (n + m) posterior terms, so these use 500-point clouds; against the
  // closed form their tolerance is then set by the clouds, and the sharp check is against the exact
  // marginals of this plan's mixture of bridges, which the Markovian process shares by construction.
  const SIZE = 500;
  const STEPS = 32;
  const TIMES = uniformTimes(STEPS);
  const SDE_COPIES = 4;
  // Discretisation. Both 'conditional' schemes are first order in h = 1/K: the SDE step draws
  // N(α x + β ŷ, γ I) where the Markovian transition is the mixture over the posterior's pairs, so
  // it lacks β² Var(Y | X_t) of variance per step; the ODE step follows one bridge aimed at the
  // posterior means; the last step onto t = 1 returns ŷ = E[X_1 | X_{1−h}], which takes
  // E[Var(X_1 | X_{1−h})] ≈ εh off the variance. For Gaussian endpoints every step is affine, so the
  // scheme's own bias Δ(t) is computed exactly (conditionalSchemeMoments): with K = 32 the largest
  // covariance entry is −0.11 at t = 1 for both. Each moment may miss by |Δ| there plus SLACK, which
  // covers Δ's own change on finite clouds (the posterior is only close to affine: measured
  // ≤ 0.035 on the covariance), on top of the Monte Carlo error.
  const SLACK = { mean: 0.02, cov: 0.05 };
  let coupling: Coupling;
  let moments: PlanMoments;
  const runs: Partial<Record<'sde' | 'ode', BridgeRun>> = {};
  const gaussian = { a: MEAN_A, b: MEAN_B, covA: COV_A, covB: COV_B, cross: CROSS };

  beforeAll(async () => {
    coupling = gaussianCoupling(SIZE, 23);
    moments = planMoments(coupling);
    const field = createBridgeField(coupling);
    // The SDE from every source point 4 times (X_0 is then exactly the plan's first marginal).
    const sdeStart = repeatRows(coupling.source, SDE_COPIES);
    runs.sde = await runBridge(
      coupling,
      { mode: 'sde', start: sdeStart, times: TIMES, seed: 3 },
      field,
    );
    runs.ode = await runBridge(
      coupling,
      { mode: 'ode', start: coupling.source, times: TIMES, seed: 0 },
      field,
    );
  });

  for (const mode of ['sde', 'ode'] as const)
    it(`the ${mode} has the closed-form means and covariances at t = ¼, ½, ¾, 1`, () => {
      const run = runs[mode]!;
      const scheme = conditionalSchemeMoments(gaussian, EPSILON, TIMES, mode);
      // The ODE is deterministic: its particles carry no error beyond the clouds'.
      const particles = mode === 'sde' ? 1 / (SIZE * SDE_COPIES) : 0;
      for (const t of [0.25, 0.5, 0.75, 1]) {
        const closed = gaussianMarginal(t);
        const law = scheme.get(t)!;
        const allowance = {
          mean: law.mean.map((value, i) => Math.abs(value - closed.mean[i]!) + SLACK.mean),
          cov: law.cov.map((row, i) =>
            row.map((value, j) => Math.abs(value - closed.cov[i]![j]!) + SLACK.cov),
          ),
        };
        expect(Math.max(...allowance.cov.flat())).toBeLessThan(0.12 + SLACK.cov);
        const got = sampleMoments(frameAt(run, t), 2);
        const inverseCount = 1 / SIZE + 1 / SIZE + particles;
        const loose = momentMismatches(got, closed, inverseCount, Z, allowance);
        expect(loose, `${mode}, t = ${t}`).toEqual([]);
        const exact = mixtureMoments(moments, BROWNIAN_FORMULAS, t);
        const sharp = momentMismatches(got, exact, particles, Z, allowance);
        expect(sharp, `${mode}, t = ${t}, exact`).toEqual([]);
      }
    });

  it('the sde starts at its start points and the ode lands on points near the targets', () => {
    expect(runs.sde!.frames[0]!.x).toEqual(repeatRows(coupling.source, SDE_COPIES));
    expect(runs.ode!.frames[0]!.x).toEqual(coupling.source);
    // Every particle ends on a posterior mean of targets: inside their bounding box.
    const last = frameAt(runs.ode!, 1);
    for (let c = 0; c < 2; c++) {
      const column = (p: Float64Array): number[] => Array.from(p).filter((_, k) => k % 2 === c);
      const targets = column(coupling.target);
      const [low, high] = [Math.min(...targets), Math.max(...targets)];
      for (const value of column(last)) expect(value >= low && value <= high).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Single pairs: the reference bridge exactly.

describe('single pairs under the Brownian reference', () => {
  // Pairs 10 apart that move ≤ 2.5: at every t the pair means are ≥ 5 apart, so with ε = 0.5
  // (c ≤ ε/4) every other pair's posterior logit is ≥ 25/(2 · 0.125) = 100 nats down, past the
  // code's 40-nat cutoff: each particle's posterior is its own pair, exactly.
  const EPS = 0.5;
  const SOURCES = new Float64Array([0, 0, 10, 0, 20, 0, 30, 0]);
  const MOVES = [2, 1, -1, 2, 1.5, -2, -2, -1];
  const TARGETS = SOURCES.map((value, k) => value + MOVES[k]!);
  const PAIRS = 4;
  const coupling = makeCoupling(SOURCES, TARGETS, 2, diagonalPlan(PAIRS), EPS);
  const pairMean = (i: number, t: number): number[] =>
    [0, 1].map((c) => (1 - t) * SOURCES[i * 2 + c]! + t * TARGETS[i * 2 + c]!);
  /** The Brownian bridge from x_i to y_i at t: N((1 − t) x_i + t y_i, ε t(1 − t) I). */
  const pairLaw = (i: number, t: number): { mean: number[]; cov: Matrix } => ({
    mean: pairMean(i, t),
    cov: combine([[EPS * t * (1 - t), identity(2)]]),
  });

  /** Per pair: moments at every interior time, and Cov(X_¼, X_¾) = ε ¼ (1 − ¾) I. */
  function expectBridgeLaw(run: BridgeRun, pairOf: (row: number) => number, times: number[]): void {
    for (let i = 0; i < PAIRS; i++) {
      const count = pickRows(run.frames[0]!.x, 2, (row) => pairOf(row) === i).length / 2;
      expect(count).toBeGreaterThan(1000);
      for (const t of times) {
        const got = sampleMoments(
          pickRows(frameAt(run, t), 2, (row) => pairOf(row) === i),
          2,
        );
        expect(momentMismatches(got, pairLaw(i, t), 1 / count, Z), `pair ${i}, t = ${t}`).toEqual(
          [],
        );
      }
      const early = pickRows(frameAt(run, 0.25), 2, (row) => pairOf(row) === i);
      const late = pickRows(frameAt(run, 0.75), 2, (row) => pairOf(row) === i);
      const cross = sampleCrossCovariance(early, late, 2);
      const expected = combine([[EPS * 0.25 * 0.25, identity(2)]]);
      const [covEarly, covLate] = [pairLaw(i, 0.25).cov, pairLaw(i, 0.75).cov];
      expect(crossCovarianceMismatches(cross, expected, covEarly, covLate, 1 / count, Z)).toEqual(
        [],
      );
    }
  }

  it('bridge sampling: exact ends, N((1 − t)x + ty, εt(1 − t)) between, whole paths', async () => {
    const times = new Float64Array([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]);
    const run = await runBridge(coupling, { mode: 'bridge', count: 20_000, times, seed: 5 });
    const { sourceIndex, targetIndex } = run;
    expect(targetIndex).toEqual(sourceIndex);
    const pairOf = (row: number): number => sourceIndex![row]!;
    const last = run.frames[times.length - 1]!;
    const starts = Float64Array.from(last.x, (_, k) => SOURCES[pairOf(k >> 1) * 2 + (k & 1)]!);
    const ends = Float64Array.from(last.x, (_, k) => TARGETS[pairOf(k >> 1) * 2 + (k & 1)]!);
    expect(run.frames[0]!.x).toEqual(starts);
    expect(last.x).toEqual(ends);
    expectBridgeLaw(run, pairOf, [0.1, 0.25, 0.5, 0.75, 0.9]);
    // Each particle's predicted endpoint is its own target, at every time.
    for (const frame of run.frames)
      expect(largestDifference(frame.endpoint, ends)).toBeLessThan(1e-12);
  });

  it("the 'sde' from x_i is the bridge in law even on a coarse grid, and lands on y_i", async () => {
    const copies = 2500;
    const start = Float64Array.from(
      { length: PAIRS * copies * 2 },
      (_, k) => SOURCES[Math.floor(k / (2 * copies)) * 2 + (k & 1)]!,
    );
    const pairOf = (row: number): number => Math.floor(row / copies);
    const times = new Float64Array([0, 0.25, 0.5, 0.75, 1]);
    const run = await runBridge(coupling, { mode: 'sde', start, times, seed: 9 });
    expectBridgeLaw(run, pairOf, [0.25, 0.5, 0.75]);
    const ends = Float64Array.from(start, (_, k) => TARGETS[pairOf(k >> 1) * 2 + (k & 1)]!);
    expect(largestDifference(frameAt(run, 1), ends)).toBeLessThan(1e-12);
  });

  for (const integrator of ['conditional', 'euler'] as const)
    it(`the ${integrator} 'ode' from x_i lands on y_i, predicting y_i all the way`, async () => {
      for (const steps of [1, 3, 16]) {
        const run = await runBridge(coupling, {
          mode: 'ode',
          start: SOURCES,
          times: uniformTimes(steps),
          seed: 0,
          integrator,
        });
        expect(largestDifference(frameAt(run, 1), TARGETS)).toBeLessThan(1e-12);
        for (const frame of run.frames)
          expect(largestDifference(frame.endpoint, TARGETS)).toBeLessThan(1e-12);
      }
    });
});

// ---------------------------------------------------------------------------------------------
// The VP (Ornstein–Uhlenbeck) reference dX = −½βX dt + √(εβ) dW.

describe('the VP reference', () => {
  const VP: BridgeReference = { kind: 'vp', betaMin: 0.1, betaMax: 20 };

  it('bridge sampling, data to N(0, I) samples, independent plan: the closed-form mixture', async () => {
    const rng = createRng(31);
    const dataCov: Matrix = [
      [0.3, 0.1],
      [0.1, 0.2],
    ];
    const data = sampleGaussian(rng, 16, [1.5, -1], dataCov);
    const noise = sampleGaussian(rng, 16, [0, 0], identity(2));
    const coupling = makeCoupling(data, noise, 2, independentPlan(16, 16), 1, VP);
    const field = createBridgeField(coupling);
    expect(field.posteriorKind).toBe('pairs');
    const paths = 20_000;
    const times = new Float64Array([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]);
    const run = await runBridge(coupling, { mode: 'bridge', count: paths, times, seed: 13 }, field);
    // X_t = c0 X + c1 Y + √c Z with X, Y independent draws from the two clouds: exact moments.
    const formulas = referenceFormulas(VP, 1);
    const moments = planMoments(coupling);
    for (const t of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      const got = sampleMoments(frameAt(run, t), 2);
      const exact = mixtureMoments(moments, formulas, t);
      expect(momentMismatches(got, exact, 1 / paths, Z), `t = ${t}`).toEqual([]);
    }
    const [early, late] = [frameAt(run, 0.25), frameAt(run, 0.75)];
    const cross = sampleCrossCovariance(early, late, 2);
    const exactCross = mixtureCrossCovariance(moments, formulas, 0.25, 0.75);
    const [covEarly, covLate] = [0.25, 0.75].map((t) => mixtureMoments(moments, formulas, t).cov);
    expect(crossCovarianceMismatches(cross, exactCross, covEarly!, covLate!, 1 / paths, Z)).toEqual(
      [],
    );
    // Away from t = 1 this is a diffusion model's forward process from the data,
    // N(α x̄, α² Cov + (1 − α²) I), α = α(0, t): the pull towards the targets, c1 and
    // c0 − α(0, t) = −c1 α(0, 1), is below 0.03 up to t = ½ (β_max = 20), and allowed for.
    for (const t of [0.1, 0.25, 0.5]) {
      const { c0, c1 } = formulas.marginal(t);
      const alpha = formulas.decay(0, t);
      expect(c1).toBeLessThan(0.03);
      expect(Math.abs(c0 - alpha)).toBeLessThan(1e-3);
      const forward = {
        mean: moments.meanX.map((value) => alpha * value),
        cov: combine([
          [alpha * alpha, moments.xx],
          [1 - alpha * alpha, identity(2)],
        ]),
      };
      const got = sampleMoments(frameAt(run, t), 2);
      const allowance = { mean: 0.05, cov: 0.05 };
      expect(momentMismatches(got, forward, 1 / paths, Z, allowance), `t = ${t}`).toEqual([]);
    }
  });

  it('ε scales the noise: at ε = ¼ each path strays from its pair’s mean exactly half as far', async () => {
    const sources = new Float64Array([1, 0.5, -1, 2, 0.3, -1.5]);
    const targets = new Float64Array([0.2, -0.4, 1.1, 0.7, -0.8, 0.1]);
    const times = new Float64Array([0, 0.1, 0.3, 0.6, 0.9, 1]);
    const paths = 6000;
    const sample = (epsilon: number): Promise<BridgeRun> =>
      runBridge(makeCoupling(sources, targets, 2, diagonalPlan(3), epsilon, VP), {
        mode: 'bridge',
        count: paths,
        times,
        seed: 17,
      });
    const [one, quarter] = [await sample(1), await sample(0.25)];
    expect(quarter.sourceIndex).toEqual(one.sourceIndex);
    const formulas = referenceFormulas(VP, 1);
    for (const t of [0.1, 0.3, 0.6, 0.9]) {
      // Deviations from the pair's bridge mean c0 x_i + c1 y_i (c0, c1 do not depend on ε).
      const { c0, c1, c } = formulas.marginal(t);
      expect(referenceFormulas(VP, 0.25).marginal(t).c0).toBeCloseTo(c0, 14);
      const deviation = (run: BridgeRun): Float64Array =>
        Float64Array.from(frameAt(run, t), (value, k) => {
          const i = run.sourceIndex![k >> 1]!;
          return value - c0 * sources[i * 2 + (k & 1)]! - c1 * targets[i * 2 + (k & 1)]!;
        });
      const [wide, narrow] = [deviation(one), deviation(quarter)];
      const halved = wide.map((value) => value / 2);
      expect(largestDifference(narrow, halved)).toBeLessThan(1e-12);
      // And at ε = 1 the deviation is N(0, c I) with the VP bridge's c.
      const expected = { mean: [0, 0], cov: combine([[c, identity(2)]]) };
      expect(momentMismatches(sampleMoments(wide, 2), expected, 1 / paths, Z)).toEqual([]);
    }
  });

  it("one pair: the 'sde' is the VP bridge in law on a coarse grid; the 'ode' lands on y", async () => {
    const epsilon = 0.5;
    const [x, y] = [new Float64Array([2, -1]), new Float64Array([0.5, 0.3])];
    const coupling = makeCoupling(x, y, 2, new Float64Array([1]), epsilon, VP);
    const formulas = referenceFormulas(VP, epsilon);
    const count = 8000;
    const times = new Float64Array([0, 0.3, 0.6, 0.85, 1]);
    const run = await runBridge(coupling, {
      mode: 'sde',
      start: repeatRows(x, count),
      times,
      seed: 19,
    });
    const law = (t: number): { mean: number[]; cov: Matrix } => {
      const { c0, c1, c } = formulas.marginal(t);
      return { mean: [0, 1].map((k) => c0 * x[k]! + c1 * y[k]!), cov: combine([[c, identity(2)]]) };
    };
    for (const t of [0.3, 0.6, 0.85])
      expect(momentMismatches(sampleMoments(frameAt(run, t), 2), law(t), 1 / count, Z)).toEqual([]);
    const cross = sampleCrossCovariance(frameAt(run, 0.3), frameAt(run, 0.85), 2);
    const expected = combine([[formulas.bridgeCovariance(0.3, 0.85), identity(2)]]);
    expect(
      crossCovarianceMismatches(cross, expected, law(0.3).cov, law(0.85).cov, 1 / count, Z),
    ).toEqual([]);
    expect(largestDifference(frameAt(run, 1), repeatRows(y, count))).toBeLessThan(1e-12);
    const flow = await runBridge(coupling, { mode: 'ode', start: x, times, seed: 0 });
    expect(largestDifference(frameAt(flow, 1), y)).toBeLessThan(1e-12);
  });
});

describe("the 'euler' SDE", () => {
  // One Euler–Maruyama step from a point x at t = 0: x + h b(x, 0) + √(∫_0^h g²) z, with the drift
  // of the bridge to y, b = f x + g² α(0,1) (y − α(0,1) x)/σ²(0,1), written out from the formulas.
  for (const reference of [BROWNIAN, { kind: 'vp', betaMin: 0.1, betaMax: 20 } as const])
    it(`takes Euler–Maruyama steps: ${reference.kind}`, async () => {
      const epsilon = 0.5;
      const formulas = referenceFormulas(reference, epsilon);
      const [x, y] = [new Float64Array([1, -0.5]), new Float64Array([-0.3, 0.8])];
      const coupling = makeCoupling(x, y, 2, new Float64Array([1]), epsilon, reference);
      const [h, count] = [0.2, 20_000];
      const times = new Float64Array([0, h, 1]);
      const run = await runBridge(coupling, {
        mode: 'sde',
        start: repeatRows(x, count),
        times,
        seed: 37,
        integrator: 'euler',
      });
      const [alpha, variance] = [formulas.decay(0, 1), formulas.variance(0, 1)];
      const drift = [0, 1].map(
        (k) =>
          formulas.linear(0) * x[k]! +
          (formulas.diffusion(0) * alpha * (y[k]! - alpha * x[k]!)) / variance,
      );
      // ∫_0^h g² by Simpson's rule, exact for g² linear in t.
      const noise =
        (h / 6) * (formulas.diffusion(0) + 4 * formulas.diffusion(h / 2) + formulas.diffusion(h));
      const expected = {
        mean: [0, 1].map((k) => x[k]! + h * drift[k]!),
        cov: combine([[noise, identity(2)]]),
      };
      const got = sampleMoments(frameAt(run, h), 2);
      expect(momentMismatches(got, expected, 1 / count, Z)).toEqual([]);
      expect(largestDifference(frameAt(run, 1), repeatRows(y, count))).toBeLessThan(1e-12);
    });
});

// ---------------------------------------------------------------------------------------------
// Small couplings for the fields and the posterior: Gibbs and other plans, both references.

const SMALL = 6;
const SMALL_EPSILON = 0.5;
const VP_SMALL: BridgeReference = { kind: 'vp', betaMin: 0.1, betaMax: 8 };

interface SmallCase {
  readonly name: string;
  readonly coupling: Coupling;
  readonly formulas: ReferenceFormulas;
  readonly kind: 'gibbs' | 'pairs';
}

function smallCases(): SmallCase[] {
  const rng = createRng(41);
  const x = sampleGaussian(
    rng,
    SMALL,
    [0, 0],
    [
      [1, 0.3],
      [0.3, 0.8],
    ],
  );
  const y = sampleGaussian(
    rng,
    SMALL,
    [1, 0.5],
    [
      [0.6, -0.2],
      [-0.2, 0.9],
    ],
  );
  const independent = independentPlan(SMALL, SMALL);
  const mixed = diagonalPlan(SMALL).map((value, k) => 0.5 * value + 0.5 * independent[k]!);
  const brownian = referenceFormulas(BROWNIAN, SMALL_EPSILON);
  const vp = referenceFormulas(VP_SMALL, SMALL_EPSILON);
  // The Schrödinger plan of the VP reference: π_ij ∝ e^{u_i + v_j} r_01(y_j | x_i), any u, v.
  const [u, v] = [rng.fillNormal(new Float64Array(SMALL)), rng.fillNormal(new Float64Array(SMALL))];
  const [alpha, variance] = [vp.decay(0, 1), vp.variance(0, 1)];
  const vpPlan = new Float64Array(SMALL * SMALL);
  for (let i = 0; i < SMALL; i++)
    for (let j = 0; j < SMALL; j++) {
      let squared = 0;
      for (let c = 0; c < 2; c++) squared += (y[j * 2 + c]! - alpha * x[i * 2 + c]!) ** 2;
      vpPlan[i * SMALL + j] = Math.exp(0.5 * u[i]! + 0.5 * v[j]! - squared / (2 * variance));
    }
  const mass = vpPlan.reduce((sum, value) => sum + value, 0);
  vpPlan.forEach((value, k) => (vpPlan[k] = value / mass));
  const coupling = (plan: Float64Array, reference: BridgeReference): Coupling =>
    makeCoupling(x, y, 2, plan, SMALL_EPSILON, reference);
  return [
    {
      name: 'Brownian, Sinkhorn plan',
      coupling: coupling(sinkhornPlan(x, y, 2, SMALL_EPSILON), BROWNIAN),
      formulas: brownian,
      kind: 'gibbs',
    },
    {
      name: 'Brownian, diagonal + independent plan',
      coupling: coupling(mixed, BROWNIAN),
      formulas: brownian,
      kind: 'pairs',
    },
    {
      name: 'VP, Schrödinger plan',
      coupling: coupling(vpPlan, VP_SMALL),
      formulas: vp,
      kind: 'gibbs',
    },
    {
      name: 'VP, independent plan',
      coupling: coupling(independent, VP_SMALL),
      formulas: vp,
      kind: 'pairs',
    },
  ];
}

/**
 * The mixture's density p_t(x) = Σ π_ij N(x; c0 x_i + c1 y_j, c I) at one point, and its Laplacian
 * Σ π_ij N (‖x − m_ij‖²/c² − d/c).
 */
function mixtureDensity(
  { n, m, dim, plan, source, target }: Coupling,
  formulas: ReferenceFormulas,
  point: ArrayLike<number>,
  t: number,
): { density: number; laplacian: number } {
  const { c0, c1, c } = formulas.marginal(t);
  let [density, laplacian] = [0, 0];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let squared = 0;
      for (let k = 0; k < dim; k++)
        squared += (point[k]! - c0 * source[i * dim + k]! - c1 * target[j * dim + k]!) ** 2;
      const value =
        (plan[i * m + j]! * Math.exp(-squared / (2 * c))) / (2 * Math.PI * c) ** (dim / 2);
      density += value;
      laplacian += value * (squared / (c * c) - dim / c);
    }
  return { density, laplacian };
}

describe('drift and probability-flow velocity', () => {
  // The Markovian drift b must carry the mixture's marginals p_t (Fokker–Planck,
  // ∂_t p + ∇·(p b) − ½ g² Δp = 0) and the PF velocity v without noise (∂_t p + ∇·(p v) = 0),
  // whatever the plan. p_t is written out above from the reference's own formulas, ∂_t and ∇· are
  // central differences (steps 1e-5: truncation ~1e-9, rounding ~1e-11 relative), so the residual
  // must vanish to 1e-6 of the equation's largest term.
  for (const { name, coupling, formulas } of smallCases())
    it(`solve the Fokker–Planck and continuity equations: ${name}`, () => {
      const field = createBridgeField(coupling);
      const [dt, dx] = [1e-5, 1e-5];
      for (const t of [0.2, 0.5, 0.8]) {
        const { c0, c1, c } = formulas.marginal(t);
        const points = [
          [0, 0, 0.6, -0.3],
          [2, 3, -0.4, 0.9],
          [4, 1, 1.2, 0.2],
        ].map(([i, j, u, w]) =>
          [0, 1].map(
            (k) =>
              c0 * coupling.source[i! * 2 + k]! +
              c1 * coupling.target[j! * 2 + k]! +
              Math.sqrt(c) * (k === 0 ? u! : w!),
          ),
        );
        // Every point shifted by ±dx along each axis, in one batch.
        const shifted: number[] = [];
        for (const point of points)
          for (let axis = 0; axis < 2; axis++)
            for (const sign of [1, -1])
              shifted.push(...point.map((value, k) => (k === axis ? value + sign * dx : value)));
        const batch = Float64Array.from(shifted);
        const drift = field.drift(batch, t);
        const velocity = field.velocity(batch, t);
        points.forEach((point, p) => {
          const rate =
            (mixtureDensity(coupling, formulas, point, t + dt).density -
              mixtureDensity(coupling, formulas, point, t - dt).density) /
            (2 * dt);
          const diffusion =
            0.5 * formulas.diffusion(t) * mixtureDensity(coupling, formulas, point, t).laplacian;
          let [driftFlux, velocityFlux, scale] = [0, 0, Math.abs(rate) + Math.abs(diffusion)];
          for (let axis = 0; axis < 2; axis++) {
            const [plus, minus] = [p * 4 + axis * 2, p * 4 + axis * 2 + 1];
            const densityAt = (row: number): number =>
              mixtureDensity(coupling, formulas, batch.subarray(row * 2, row * 2 + 2), t).density;
            const fluxOf = (f: Float64Array): number =>
              (densityAt(plus) * f[plus * 2 + axis]! - densityAt(minus) * f[minus * 2 + axis]!) /
              (2 * dx);
            const [byDrift, byVelocity] = [fluxOf(drift), fluxOf(velocity)];
            driftFlux += byDrift;
            velocityFlux += byVelocity;
            scale += Math.abs(byDrift) + Math.abs(byVelocity);
          }
          const where = `t = ${t}, point ${p}`;
          expect(Math.abs(rate + driftFlux - diffusion), where).toBeLessThan(1e-6 * scale);
          expect(Math.abs(rate + velocityFlux), where).toBeLessThan(1e-6 * scale);
        });
      }
    });
});

// ---------------------------------------------------------------------------------------------
// Predicted endpoints and frame bookkeeping.

describe('predicted endpoints', () => {
  for (const { name, coupling, formulas, kind } of smallCases())
    it(`are the brute-force posterior means over all pairs: ${name} (${kind})`, () => {
      const field = createBridgeField(coupling);
      expect(field.posteriorKind).toBe(kind);
      // Random points around the clouds, and the source points themselves.
      const random = createRng(43)
        .fillNormal(new Float64Array(16))
        .map((value) => 1.5 * value);
      const points = Float64Array.from([...random, ...coupling.source]);
      for (const t of [0, 0.05, 0.3, 0.7, 0.95]) {
        const got = field.posterior(points, t);
        const expected = bruteForcePosterior(coupling, formulas, points, t);
        expect(largestDifference(got.targetMean, expected.targetMean), `t = ${t}`).toBeLessThan(
          1e-9,
        );
        expect(largestDifference(got.sourceMean, expected.sourceMean), `t = ${t}`).toBeLessThan(
          1e-9,
        );
        expect(field.predictEndpoints(points, t)).toEqual(got.targetMean);
      }
      expect(field.predictEndpoints(points, 1)).toEqual(points);
    });

  for (const { name, coupling, formulas } of smallCases().slice(0, 2))
    it(`every run's frames: times, hooks, ends and posterior endpoints (${name})`, async () => {
      const times = new Float64Array([0, 0.2, 0.5, 0.8, 1]);
      const start = createRng(47).fillNormal(new Float64Array(24));
      for (const mode of ['bridge', 'sde', 'ode'] as const) {
        const calls: [number, number, Float64Array, Float64Array][] = [];
        let checkpoints = 0;
        const run = await runBridge(coupling, {
          mode,
          times,
          seed: 3,
          count: 64,
          start,
          onFrame: (step, t, x, endpoint) => calls.push([step, t, x, endpoint]),
          checkpoint: async () => void checkpoints++,
        });
        expect(run.mode).toBe(mode);
        expect([run.count, run.dim]).toEqual([mode === 'bridge' ? 64 : 12, 2]);
        expect(checkpoints).toBe(times.length - 1);
        expect(run.frames.map((frame) => [frame.step, frame.t])).toEqual(
          Array.from(times, (t, k) => [k, t]),
        );
        run.frames.forEach((frame, k) => {
          expect(calls[k]![0]).toBe(k);
          expect(calls[k]![1]).toBe(times[k]);
          expect(calls[k]![2]).toBe(frame.x);
          expect(calls[k]![3]).toBe(frame.endpoint);
          const where = `${mode}, t = ${frame.t}`;
          if (frame.t === 1) expect(frame.endpoint, where).toEqual(frame.x);
          else {
            const expected = bruteForcePosterior(coupling, formulas, frame.x, frame.t).targetMean;
            expect(largestDifference(frame.endpoint, expected), where).toBeLessThan(1e-9);
          }
        });
        if (mode !== 'bridge') expect(run.frames[0]!.x).toEqual(start);
      }
    });

  it('bridge sampling draws pairs with the plan’s probabilities', async () => {
    const { coupling } = smallCases()[1]!;
    const paths = 30_000;
    const run = await runBridge(coupling, {
      mode: 'bridge',
      count: paths,
      times: new Float64Array([0, 1]),
      seed: 29,
    });
    const counts = new Float64Array(SMALL * SMALL);
    for (let row = 0; row < paths; row++)
      counts[run.sourceIndex![row]! * SMALL + run.targetIndex![row]!]! += 1;
    coupling.plan.forEach((probability, k) => {
      const spread = Math.sqrt(paths * probability * (1 - probability));
      expect(Math.abs(counts[k]! - paths * probability)).toBeLessThanOrEqual(Z * spread);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Seeds and input checks.

describe('seeds and input checks', () => {
  const { coupling } = smallCases()[0]!;
  const times = uniformTimes(4);
  const start = createRng(53).fillNormal(new Float64Array(20));

  it('a seed fixes a run, another seed changes it, and the ode ignores it', async () => {
    const positions = (run: BridgeRun): number[][] =>
      run.frames.map((frame) => Array.from(frame.x));
    for (const mode of ['bridge', 'sde', 'ode'] as const) {
      const go = (seed: number): Promise<BridgeRun> =>
        runBridge(coupling, { mode, times, seed, count: 50, start });
      const [first, again, other] = [await go(1), await go(1), await go(2)];
      expect(again.frames).toEqual(first.frames);
      expect(again.sourceIndex).toEqual(first.sourceIndex);
      if (mode === 'ode') expect(other.frames).toEqual(first.frames);
      else expect(positions(other)[2]).not.toEqual(positions(first)[2]);
    }
  });

  it('refuses times that do not ascend from 0 to 1', async () => {
    const bad = [
      [],
      [0],
      [0, 0.5],
      [0.1, 1],
      [0, 0.5, 0.5, 1],
      [0, 0.7, 0.3, 1],
      [0, NaN, 1],
      [0, 1, 2],
    ];
    for (const values of bad)
      for (const mode of ['bridge', 'sde', 'ode'] as const)
        await expect(
          runBridge(coupling, { mode, times: Float64Array.from(values), seed: 1, count: 5, start }),
          `${mode} ${values}`,
        ).rejects.toThrow(/Bridge times/);
  });

  it('refuses path counts that are not whole numbers ≥ 1', async () => {
    for (const count of [undefined, 0, -3, 2.5, NaN, Infinity])
      await expect(
        runBridge(coupling, { mode: 'bridge', times, seed: 1, count }),
        `count ${count}`,
      ).rejects.toThrow(/whole number of paths/);
  });

  it('refuses start points of the wrong shape or not finite', async () => {
    for (const mode of ['sde', 'ode'] as const) {
      for (const points of [undefined, new Float64Array(0), new Float64Array(3)])
        await expect(
          runBridge(coupling, { mode, times, seed: 1, start: points }),
          `${mode}, ${points?.length}`,
        ).rejects.toThrow(/start points \[count, 2\]/);
      for (const value of [NaN, Infinity, -Infinity])
        await expect(
          runBridge(coupling, { mode, times, seed: 1, start: Float64Array.of(0, 1, value, 2) }),
        ).rejects.toThrow(/must be finite/);
    }
  });

  it('refuses couplings that no bridge can use', async () => {
    const { source, target, plan } = coupling;
    const negative = plan.slice();
    negative[3] = -0.1;
    const broken: [Coupling, RegExp][] = [
      [{ ...coupling, plan: negative }, /finite and ≥ 0/],
      [{ ...coupling, plan: new Float64Array(plan.length) }, /no positive entry/],
      [{ ...coupling, plan: plan.subarray(1) }, /arrays have/],
      [{ ...coupling, source: Float64Array.from(source, (v, k) => (k === 5 ? NaN : v)) }, /finite/],
      [{ ...coupling, target: target.subarray(2) }, /arrays have/],
      [{ ...coupling, epsilon: -1 }, /finite ε ≥ 0/],
      [{ ...coupling, epsilon: 0, reference: VP_SMALL }, /finite ε > 0/],
    ];
    for (const [bad, message] of broken)
      await expect(runBridge(bad, { mode: 'bridge', times, seed: 1, count: 5 })).rejects.toThrow(
        message,
      );
  });
});
