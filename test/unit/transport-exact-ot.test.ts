// The exact OT solvers (graph-nodes/transport/exact-ot.ts): the assignment solver against brute
// force over all permutations, both solvers against their own optimality certificate (a feasible
// plan and a feasible dual pair with equal objectives prove each other optimal, whatever the
// solver did), the two solvers against each other, degenerate inputs, errors, and the entropic
// solver's ε → 0 limit.
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../graph-nodes/math/rng';
import { solveExactOt, type ExactOtSolution } from '../../graph-nodes/transport/exact-ot';
import type { OtProblem } from '../../graph-nodes/transport/ot-problem';
import { solveEntropicOtSync } from '../../graph-nodes/transport/sinkhorn';

function uniformPoints(count: number, dim: number, rng: Rng, half = 1): Float64Array {
  const points = new Float64Array(count * dim);
  for (let k = 0; k < points.length; k++) points[k] = half * (2 * rng.uniform() - 1);
  return points;
}

/** Positive weights summing to 1, spread over a factor of ~10. */
function randomWeights(count: number, rng: Rng): Float64Array {
  const weights = new Float64Array(count);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    weights[k] = 0.1 + rng.uniform();
    sum += weights[k]!;
  }
  for (let k = 0; k < count; k++) weights[k] = weights[k]! / sum;
  return weights;
}

function randomCostMatrix(n: number, m: number, rng: Rng): Float64Array {
  const cost = new Float64Array(n * m);
  for (let k = 0; k < cost.length; k++) cost[k] = 4 * rng.uniform() - 1;
  return cost;
}

/** The cost matrix, computed here independently of the library: given, or c(x_i, y_j). */
function costOf(problem: OtProblem): { n: number; m: number; cost: Float64Array } {
  const { x, y, dim } = problem;
  const n = x.length / dim;
  const m = y.length / dim;
  if (problem.cost) return { n, m, cost: problem.cost };
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const source = x.subarray(i * dim, (i + 1) * dim);
      const target = y.subarray(j * dim, (j + 1) * dim);
      if (problem.costFunction) {
        cost[i * m + j] = problem.costFunction(source, target);
        continue;
      }
      let squared = 0;
      for (let k = 0; k < dim; k++) squared += (source[k]! - target[k]!) ** 2;
      cost[i * m + j] = 0.5 * squared;
    }
  }
  return { n, m, cost };
}

/**
 * Checks that (plan, f, g) is an optimality certificate: π ≥ 0 with marginals a, b; f_i + g_j ≤
 * c_ij for every pair; equality where π_ij > 0; Σ a f + Σ b g = ⟨π, c⟩ = transportCost.
 */
function expectCertificate(problem: OtProblem, solution: ExactOtSolution): void {
  const { n, m, cost } = costOf(problem);
  const a = problem.a ?? new Float64Array(n).fill(1 / n);
  const b = problem.b ?? new Float64Array(m).fill(1 / m);
  expect(solution.n).toBe(n);
  expect(solution.m).toBe(m);
  expect(solution.plan.length).toBe(n * m);
  expect(solution.f.length).toBe(n);
  expect(solution.g.length).toBe(m);
  let scale = 0;
  for (let k = 0; k < cost.length; k++) scale = Math.max(scale, Math.abs(cost[k]!));
  const slack = 1e-12 * Math.max(scale, 1e-300);

  const columns = new Float64Array(m);
  let primal = 0;
  let worstViolation = -Infinity;
  let worstSupportGap = 0;
  let worstRow = 0;
  let smallest = Infinity;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) {
      const p = solution.plan[i * m + j]!;
      const c = cost[i * m + j]!;
      smallest = Math.min(smallest, p);
      row += p;
      columns[j] = columns[j]! + p;
      primal += p * c;
      const reduced = solution.f[i]! + solution.g[j]! - c;
      worstViolation = Math.max(worstViolation, reduced);
      if (p > 0) worstSupportGap = Math.max(worstSupportGap, Math.abs(reduced));
    }
    worstRow = Math.max(worstRow, Math.abs(row - a[i]!));
  }
  let worstColumn = 0;
  for (let j = 0; j < m; j++) worstColumn = Math.max(worstColumn, Math.abs(columns[j]! - b[j]!));
  let dual = 0;
  for (let i = 0; i < n; i++) dual += a[i]! * solution.f[i]!;
  for (let j = 0; j < m; j++) dual += b[j]! * solution.g[j]!;

  expect(smallest).toBeGreaterThanOrEqual(0);
  expect(worstRow).toBeLessThanOrEqual(1e-12);
  expect(worstColumn).toBeLessThanOrEqual(1e-12);
  expect(worstViolation).toBeLessThanOrEqual(slack);
  expect(worstSupportGap).toBeLessThanOrEqual(slack);
  expect(Math.abs(solution.transportCost - primal)).toBeLessThanOrEqual(1e-12 * (1 + scale));
  expect(Math.abs(dual - primal)).toBeLessThanOrEqual(1e-9);
}

/** min over all permutations σ of Σ_i c_iσ(i) / n (Heap's algorithm), for n ≤ 8. */
function bruteForceAssignment(cost: Float64Array, n: number): number {
  const perm = Array.from({ length: n }, (_, k) => k);
  const counters = new Array<number>(n).fill(0);
  const total = () => perm.reduce((sum, j, i) => sum + cost[i * n + j]!, 0);
  let best = total();
  let k = 1;
  while (k < n) {
    if (counters[k]! < k) {
      const swap = k % 2 === 0 ? 0 : counters[k]!;
      [perm[swap], perm[k]] = [perm[k]!, perm[swap]!];
      best = Math.min(best, total());
      counters[k] = counters[k]! + 1;
      k = 1;
    } else {
      counters[k] = 0;
      k++;
    }
  }
  return best / n;
}

/** Whether the plan is a permutation matrix / n. */
function expectPermutationPlan(solution: ExactOtSolution): void {
  const { n, plan } = solution;
  const usedColumns = new Set<number>();
  for (let i = 0; i < n; i++) {
    const support: number[] = [];
    for (let j = 0; j < n; j++) if (plan[i * n + j]! > 0) support.push(j);
    expect(support.length).toBe(1);
    expect(plan[i * n + support[0]!]).toBeCloseTo(1 / n, 15);
    usedColumns.add(support[0]!);
  }
  expect(usedColumns.size).toBe(n);
}

describe('exact OT: assignment (n = m, uniform weights)', () => {
  it('matches brute force over all permutations for n ≤ 7', () => {
    const rng = createRng(7);
    for (let n = 1; n <= 7; n++) {
      for (let trial = 0; trial < 6; trial++) {
        // Half random matrices (negative entries, no metric structure), half point clouds, and
        // one small-integer matrix per size so that ties and alternative optima are common.
        const problem: OtProblem =
          trial === 0
            ? {
                x: new Float64Array(n),
                y: new Float64Array(n),
                dim: 1,
                cost: randomCostMatrix(n, n, rng).map((c) => Math.floor(c + 1)),
              }
            : trial % 2 === 0
              ? {
                  x: new Float64Array(n),
                  y: new Float64Array(n),
                  dim: 1,
                  cost: randomCostMatrix(n, n, rng),
                }
              : { x: uniformPoints(n, 3, rng), y: uniformPoints(n, 3, rng), dim: 3 };
        const solution = solveExactOt(problem);
        expect(solution.method).toBe('assignment');
        expectPermutationPlan(solution);
        expect(solution.transportCost).toBeCloseTo(
          bruteForceAssignment(costOf(problem).cost, n),
          13,
        );
        expectCertificate(problem, solution);
      }
    }
  });

  it('certifies its optimum on random point clouds and cost matrices', () => {
    const rng = createRng(11);
    for (const n of [10, 60, 200]) {
      const points = { x: uniformPoints(n, 2, rng), y: uniformPoints(n, 2, rng, 2), dim: 2 };
      expectCertificate(points, solveExactOt(points));
      const matrix = {
        x: new Float64Array(n),
        y: new Float64Array(n),
        dim: 1,
        cost: randomCostMatrix(n, n, rng),
      };
      const solution = solveExactOt(matrix);
      expect(solution.method).toBe('assignment');
      expectPermutationPlan(solution);
      expectCertificate(matrix, solution);
    }
  });

  it('takes explicit uniform weights for uniform ones', () => {
    const rng = createRng(12);
    const n = 30;
    const problem = {
      x: uniformPoints(n, 2, rng),
      y: uniformPoints(n, 2, rng),
      dim: 2,
      a: new Float64Array(n).fill(1 / n),
      b: new Float64Array(n).fill(1 / n),
    };
    const solution = solveExactOt(problem);
    expect(solution.method).toBe('assignment');
    expect(solution.transportCost).toBeCloseTo(
      solveExactOt({ ...problem, a: undefined, b: undefined }).transportCost,
      15,
    );
  });

  it('solves 500 × 500', () => {
    const rng = createRng(13);
    const problem = { x: uniformPoints(500, 2, rng), y: uniformPoints(500, 2, rng), dim: 2 };
    const solution = solveExactOt(problem);
    expect(solution.method).toBe('assignment');
    expectPermutationPlan(solution);
    expectCertificate(problem, solution);
  });
});

describe('exact OT: network simplex (general weights, n ≠ m)', () => {
  it('certifies its optimum for n ≠ m, non-uniform weights and other costs', () => {
    const rng = createRng(21);
    const cases: OtProblem[] = [];
    for (const [n, m] of [
      [40, 25],
      [25, 40],
      [120, 80],
      [2, 90],
      [90, 2],
    ] as const) {
      cases.push({ x: uniformPoints(n, 2, rng), y: uniformPoints(m, 2, rng, 2), dim: 2 });
      cases.push({
        x: uniformPoints(n, 3, rng),
        y: uniformPoints(m, 3, rng),
        dim: 3,
        a: randomWeights(n, rng),
        b: randomWeights(m, rng),
      });
    }
    // n = m but non-uniform: still the simplex.
    cases.push({
      x: uniformPoints(50, 2, rng),
      y: uniformPoints(50, 2, rng),
      dim: 2,
      a: randomWeights(50, rng),
    });
    // A random matrix with negative entries, and the L1 cost (many tied reduced costs).
    cases.push({
      x: new Float64Array(35),
      y: new Float64Array(45),
      dim: 1,
      cost: randomCostMatrix(35, 45, rng),
    });
    cases.push({
      x: uniformPoints(60, 2, rng),
      y: uniformPoints(40, 2, rng),
      dim: 2,
      b: randomWeights(40, rng),
      costFunction: (s, t) => Math.abs(s[0]! - t[0]!) + Math.abs(s[1]! - t[1]!),
    });
    for (const problem of cases) {
      const solution = solveExactOt(problem);
      expect(solution.method).toBe('network-simplex');
      expectCertificate(problem, solution);
    }
  });

  it('certifies 300 × 200 with non-uniform weights', () => {
    const rng = createRng(22);
    const problem = {
      x: uniformPoints(300, 2, rng),
      y: uniformPoints(200, 2, rng),
      dim: 2,
      a: randomWeights(300, rng),
      b: randomWeights(200, rng),
    };
    expectCertificate(problem, solveExactOt(problem));
  });

  it('agrees with the assignment solver on the same n = m uniform problem', () => {
    const rng = createRng(23);
    // Square uniform problems are the most degenerate there are (n − 1 of the 2n − 1 tree arcs
    // carry no flow): without a correct anti-cycling rule the random matrices make it cycle.
    const problems: OtProblem[] = [];
    for (const n of [5, 40, 300]) {
      problems.push({ x: uniformPoints(n, 2, rng), y: uniformPoints(n, 2, rng), dim: 2 });
      const cost = new Float64Array(n * n).map(() => rng.uniform());
      problems.push({ x: new Float64Array(n), y: new Float64Array(n), dim: 1, cost });
    }
    for (const problem of problems) {
      const assignment = solveExactOt(problem);
      const simplex = solveExactOt(problem, { method: 'network-simplex' });
      expect(assignment.method).toBe('assignment');
      expect(simplex.method).toBe('network-simplex');
      expect(simplex.transportCost).toBeCloseTo(assignment.transportCost, 13);
      expectCertificate(problem, simplex);
    }
  });

  it('agrees with the assignment on replicated targets (uniform n = k·m, heavily degenerate)', () => {
    // Uniform n × m with n = k m is the assignment of n sources to each target copied k times.
    const rng = createRng(24);
    for (const [m, copies] of [
      [10, 3],
      [30, 4],
    ] as const) {
      const n = m * copies;
      const x = uniformPoints(n, 2, rng);
      const y = uniformPoints(m, 2, rng);
      const replicated = new Float64Array(n * 2);
      for (let c = 0; c < copies; c++) replicated.set(y, c * m * 2);
      const simplex = solveExactOt({ x, y, dim: 2 });
      expect(simplex.method).toBe('network-simplex');
      expectCertificate({ x, y, dim: 2 }, simplex);
      const assignment = solveExactOt({ x, y: replicated, dim: 2 });
      expect(simplex.transportCost).toBeCloseTo(assignment.transportCost, 13);
    }
  });

  it('beats every other plan it is compared with (the product plan and random vertices)', () => {
    const rng = createRng(25);
    const n = 12;
    const m = 8;
    const a = randomWeights(n, rng);
    const b = randomWeights(m, rng);
    const cost = randomCostMatrix(n, m, rng);
    const exact = solveExactOt({
      x: new Float64Array(n),
      y: new Float64Array(m),
      dim: 1,
      a,
      b,
      cost,
    });
    let product = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) product += a[i]! * b[j]! * cost[i * m + j]!;
    expect(exact.transportCost).toBeLessThan(product);
    // North-west-corner plans of shuffled orders are feasible vertices of the polytope.
    for (let trial = 0; trial < 50; trial++) {
      const rows = shuffled(n, rng);
      const columns = shuffled(m, rng);
      let i = 0;
      let j = 0;
      let restA = a[rows[0]!]!;
      let restB = b[columns[0]!]!;
      let total = 0;
      while (i < n && j < m) {
        const x = Math.min(restA, restB);
        total += x * cost[rows[i]! * m + columns[j]!]!;
        restA -= x;
        restB -= x;
        if (restA <= restB && i < n - 1) restA = a[rows[++i]!]!;
        else if (j < m - 1) restB = b[columns[++j]!]!;
        else break;
      }
      expect(exact.transportCost).toBeLessThanOrEqual(total + 1e-12);
    }
  });
});

function shuffled(count: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, k) => k);
  for (let k = count - 1; k > 0; k--) {
    const r = Math.floor(rng.uniform() * (k + 1));
    [order[k], order[r]] = [order[r]!, order[k]!];
  }
  return order;
}

describe('exact OT: degenerate inputs', () => {
  it('moves nothing between identical clouds with duplicate points', () => {
    const rng = createRng(31);
    const base = uniformPoints(5, 2, rng);
    const x = new Float64Array(20);
    for (let c = 0; c < 2; c++) x.set(base, c * 10); // every point twice
    const y = new Float64Array(20); // the same points in reverse order
    for (let k = 0; k < 10; k++) y.set(x.subarray(2 * (9 - k), 2 * (10 - k)), 2 * k);
    for (const method of ['assignment', 'network-simplex'] as const) {
      const solution = solveExactOt({ x, y, dim: 2 }, { method });
      expect(solution.transportCost).toBeLessThanOrEqual(1e-15);
      expectCertificate({ x, y, dim: 2 }, solution);
    }
    // Duplicates on one side only, n ≠ m: the two copies share their target's mass.
    const half = solveExactOt({ x, y: base, dim: 2 });
    expect(half.transportCost).toBeLessThanOrEqual(1e-15);
    expectCertificate({ x, y: base, dim: 2 }, half);
  });

  it('handles a single source or a single target', () => {
    const rng = createRng(32);
    const one = uniformPoints(1, 2, rng);
    const many = uniformPoints(6, 2, rng);
    const b = randomWeights(6, rng);
    const toMany = solveExactOt({ x: one, y: many, dim: 2, b });
    expectCertificate({ x: one, y: many, dim: 2, b }, toMany);
    for (let j = 0; j < 6; j++) expect(toMany.plan[j]).toBeCloseTo(b[j]!, 15);
    const fromMany = solveExactOt({ x: many, y: one, dim: 2, a: b });
    expectCertificate({ x: many, y: one, dim: 2, a: b }, fromMany);
    for (let i = 0; i < 6; i++) expect(fromMany.plan[i]).toBeCloseTo(b[i]!, 15);
    const single = solveExactOt({ x: one, y: many.subarray(0, 2), dim: 2 });
    expect(single.plan[0]).toBe(1);
    expect(single.transportCost).toBeCloseTo(
      costOf({ x: one, y: many.subarray(0, 2), dim: 2 }).cost[0]!,
      15,
    );
    expectCertificate({ x: one, y: many.subarray(0, 2), dim: 2 }, single);
  });

  it('handles all costs equal, and all costs zero', () => {
    const rng = createRng(33);
    for (const value of [0, 2.5]) {
      for (const [n, m] of [
        [7, 7],
        [9, 4],
        [4, 9],
      ] as const) {
        const problem = {
          x: new Float64Array(n),
          y: new Float64Array(m),
          dim: 1,
          a: n === m ? undefined : randomWeights(n, rng),
          cost: new Float64Array(n * m).fill(value),
        };
        const solution = solveExactOt(problem);
        expect(solution.transportCost).toBeCloseTo(value, 14);
        expectCertificate(problem, solution);
      }
    }
  });

  it('handles collinear points and integer costs full of ties', () => {
    const rng = createRng(34);
    const n = 40;
    const m = 24;
    const x = new Float64Array(n).map((_, k) => k % 5);
    const y = new Float64Array(m).map((_, k) => k % 3);
    expectCertificate({ x, y, dim: 1 }, solveExactOt({ x, y, dim: 1 }));
    const cost = randomCostMatrix(n, m, rng).map((c) => Math.round(c));
    const problem = { x, y, dim: 1, cost };
    expectCertificate(problem, solveExactOt(problem));
    const square = { x, y: x, dim: 1, cost: randomCostMatrix(n, n, rng).map((c) => Math.round(c)) };
    expect(solveExactOt(square, { method: 'network-simplex' }).transportCost).toBeCloseTo(
      solveExactOt(square).transportCost,
      13,
    );
  });
});

describe('exact OT: errors', () => {
  const x = new Float64Array([0, 0, 1, 1]);
  const y = new Float64Array([0, 1, 1, 0, 2, 2]);
  const cases: [string, OtProblem, RegExp][] = [
    ['dim 0', { x, y, dim: 0 }, /dim must be/],
    ['a length not a multiple of dim', { x, y: new Float64Array(5), dim: 2 }, /multiples of dim/],
    ['no points', { x: new Float64Array(0), y, dim: 2 }, /at least one/],
    ['a negative weight', { x, y, dim: 2, a: new Float64Array([1.5, -0.5]) }, /positive/],
    ['weights not summing to 1', { x, y, dim: 2, b: new Float64Array([0.5, 0.5, 0.5]) }, /sum to/],
    ['too few weights', { x, y, dim: 2, a: new Float64Array([1]) }, /weights for 2 points/],
    [
      'a cost matrix of the wrong size',
      { x, y, dim: 2, cost: new Float64Array(5) },
      /expected n × m/,
    ],
    ['a NaN cost', { x, y, dim: 2, cost: new Float64Array(6).fill(NaN) }, /finite/],
    [
      'an infinite cost function',
      { x, y, dim: 2, costFunction: () => Infinity },
      /cost of source 0/,
    ],
  ];
  for (const [label, problem, message] of cases) {
    it(`refuses ${label}`, () => {
      expect(() => solveExactOt(problem)).toThrow(/^exact OT: /);
      expect(() => solveExactOt(problem)).toThrow(message);
    });
  }

  it('refuses the assignment solver where it does not apply, and unknown methods', () => {
    expect(() => solveExactOt({ x, y, dim: 2 }, { method: 'assignment' })).toThrow(
      /^exact OT: the assignment solver needs n = m/,
    );
    const a = new Float64Array([0.25, 0.75]);
    expect(() => solveExactOt({ x, y: x, dim: 2, a }, { method: 'assignment' })).toThrow(
      /non-uniform/,
    );
    expect(() =>
      solveExactOt({ x, y, dim: 2 }, { method: 'hungarian' as unknown as 'assignment' }),
    ).toThrow(/^exact OT: unknown method 'hungarian'/);
  });
});

describe('exact OT as the ε → 0 limit of entropic OT', () => {
  it('the Sinkhorn transport cost decreases to the exact one, within ε log n', () => {
    // ⟨π_ε, c⟩ + ε KL(π_ε) ≤ ⟨π*, c⟩ + ε KL(π*) with KL(π* ‖ a⊗b) = log n for a permutation
    // plan, so 0 ≤ ⟨π_ε, c⟩ − OT ≤ ε log n; and ⟨π_ε, c⟩ is nondecreasing in ε.
    const rng = createRng(41);
    const n = 100;
    const problem = { x: uniformPoints(n, 2, rng), y: uniformPoints(n, 2, rng), dim: 2 }; // [−1, 1]²
    const exact = solveExactOt(problem);
    expectCertificate(problem, exact);
    let previous = Infinity;
    for (const epsilon of [1e-1, 1e-2, 1e-3]) {
      const entropic = solveEntropicOtSync(problem, { epsilon });
      const gap = entropic.transportCost - exact.transportCost;
      expect(entropic.transportCost).toBeLessThan(previous);
      expect(gap).toBeGreaterThanOrEqual(-1e-9);
      expect(gap).toBeLessThanOrEqual(epsilon * Math.log(n) + 1e-8);
      previous = entropic.transportCost;
    }
    expect(previous - exact.transportCost).toBeLessThan(1e-3);
  });
});
