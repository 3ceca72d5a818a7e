// The state of a Sinkhorn run: dual potentials f, g absorbed into a Gibbs kernel K, and scalings
// on top of them,
//   π_ij = p_i K_ij q_j,   K_ij = exp((f_i + g_j − c_ij)/ε),   p_i = a_i ρ_i,   q_j = b_j σ_j,
// so that the current potentials are f_i + ε log ρ_i and g_j + ε log σ_j. The updates
//   p_i ← a_i / Σ_j K_ij q_j,   q_j ← b_j / Σ_i p_i K_ij
// are exactly the log-domain Sinkhorn updates
//   f_i ← −ε LSE_j(log b_j + (g_j − c_ij)/ε),   g_j ← −ε LSE_i(log a_i + (f_i − c_ij)/ε)
// written multiplicatively: two matrix-vector products per iteration and no exp. Over-relaxed by
// ω they become f ← (1 − ω) f + ω f_Sinkhorn, i.e. ρ ← ρ^{1−ω} (1/s)^ω.
//
// Stability: the kernel is (re)built right after an exact log-domain update of g, so
// Σ_i a_i K_ij = 1 and no entry exceeds 1/a_i: nothing overflows. A scaling that leaves
// [e^−τ, e^τ], or a row or column whose products underflow to 0, triggers absorption: the
// scalings are folded into f, g, that half-step is redone by the log-sum-exp formula (max
// subtracted), and K is rebuilt.
import { conjugateGradient } from './ot-conjugate-gradient';
import { GibbsKernel } from './ot-gibbs-kernel';
import type { ResolvedOtProblem } from './ot-problem';

/** Absorb the scalings once |log ρ_i| or |log σ_j| exceeds this (see ot-gibbs-kernel.ts). */
const ABSORB_LOG_THRESHOLD = 30;

/** Step lengths 1, ½, … tried by a Newton step's line search. */
const NEWTON_LINE_SEARCH_STEPS = 12;
/** Armijo's sufficient-increase fraction. */
const ARMIJO = 1e-4;
/** Below this predicted increase of Φ, rounding (~1e-16 Σπ) could decide the Armijo test. */
const NEWTON_MEASURABLE_SLOPE = 1e-11;

export interface NewtonStepResult {
  /** Whether the step lowered the marginal error (else the scalings are as they were). */
  readonly taken: boolean;
  /** Products with K and Kᵀ spent, in pairs (one Sinkhorn iteration's worth each). */
  readonly evaluations: number;
  readonly rowError: number;
  readonly columnError: number;
}

export interface SinkhornSummary {
  readonly plan: Float64Array;
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly transportCost: number;
  readonly klDivergence: number;
  readonly entropicObjective: number;
  readonly dualObjective: number;
  readonly entropy: number;
  readonly rowError: number;
  readonly columnError: number;
}

export class SinkhornState {
  readonly f: Float64Array;
  readonly g: Float64Array;
  /** Kernel rebuilds (stage starts and absorptions), for diagnostics. */
  rebuilds = 0;
  private readonly n: number;
  private readonly m: number;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly cost: Float64Array;
  private readonly kernel: GibbsKernel;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  /** Σ_j K_ij q_j, kept from the error check for the p-update that follows it. */
  private readonly rowSums: Float64Array;
  private readonly columnSums: Float64Array;
  private readonly logA: Float64Array;
  private readonly logB: Float64Array;
  private epsilon = 1;
  private readonly upper = Math.exp(ABSORB_LOG_THRESHOLD);
  private readonly lower = Math.exp(-ABSORB_LOG_THRESHOLD);

  constructor(problem: ResolvedOtProblem) {
    const { n, m } = problem;
    this.n = n;
    this.m = m;
    this.a = problem.a;
    this.b = problem.b;
    this.cost = problem.cost;
    this.f = new Float64Array(n);
    this.g = new Float64Array(m);
    this.kernel = new GibbsKernel(n, m);
    this.p = new Float64Array(n);
    this.q = new Float64Array(m);
    this.rowSums = new Float64Array(n);
    this.columnSums = new Float64Array(m);
    this.logA = problem.a.map(Math.log);
    this.logB = problem.b.map(Math.log);
  }

  /** Fraction of kernel entries the products use (below 1 once the kernel is sparse). */
  get kernelDensity(): number {
    return this.kernel.density;
  }

  /** Switches to `epsilon`: one exact log-domain iteration makes f, g consistent, then K is built. */
  beginStage(epsilon: number): void {
    this.absorb();
    this.epsilon = epsilon;
    this.logDomainUpdateF();
    this.logDomainUpdateG();
    this.rebuildKernel();
  }

  /**
   * Row sums s_i = Σ_j K_ij q_j and the row error Σ_i |p_i s_i − a_i| of the current plan. (The
   * column error is measured by `updateTargetScaling`, the last step to change the columns.)
   */
  rowSumsAndError(): number {
    const { n, p, a, rowSums } = this;
    this.kernel.multiply(this.q, rowSums);
    let error = 0;
    for (let i = 0; i < n; i++) error += Math.abs(p[i]! * rowSums[i]! - a[i]!);
    return error;
  }

  /** p-update with relaxation ω, from the row sums of `rowSumsAndError`. */
  updateSourceScaling(omega: number): void {
    const { n, a, p, rowSums, upper, lower } = this;
    for (let i = 0; i < n; i++) {
      const ratio =
        omega === 1
          ? 1 / rowSums[i]!
          : Math.exp((1 - omega) * Math.log(p[i]! / a[i]!) - omega * Math.log(rowSums[i]!));
      // Also catches s_i = 0 (a row that underflowed entirely): ratio = ∞ or NaN.
      if (!(ratio < upper && ratio > lower)) {
        // The p_k already updated are still a valid scaling: fold everything into f, g and
        // redo this half-step exactly.
        this.absorb();
        this.logDomainUpdateF();
        this.rebuildKernel();
        return;
      }
      p[i] = a[i]! * ratio;
    }
  }

  /** q-update with relaxation ω; returns the column error Σ_j |π_·j − b_j| it leaves. */
  updateTargetScaling(omega: number): number {
    const { m, p, q, b, columnSums, upper, lower } = this;
    this.kernel.multiplyTransposed(p, columnSums);
    let error = 0;
    for (let j = 0; j < m; j++) {
      const ratio =
        omega === 1
          ? 1 / columnSums[j]!
          : Math.exp((1 - omega) * Math.log(q[j]! / b[j]!) - omega * Math.log(columnSums[j]!));
      if (!(ratio < upper && ratio > lower)) {
        this.absorb();
        this.logDomainUpdateG();
        this.rebuildKernel();
        return 0; // the log-domain g-update makes every column sum exactly b_j
      }
      q[j] = b[j]! * ratio;
      error += Math.abs(q[j]! * columnSums[j]! - b[j]!);
    }
    return error;
  }

  /**
   * One Newton step on the dual (Sinkhorn–Newton; Brauer, Clason, Lorenz & Wirth 2017): the dual
   * Φ(α, β) = Σ a_i α_i + Σ b_j β_j − Σ π_ij, with α = log ρ, β = log σ, is concave with gradient
   * (a − r, b − c) (the marginal errors) and Hessian −[[D_r, π], [πᵀ, D_c]]. The step solves
   * [[D_r, π], [πᵀ, D_c]] (x; y) = (a − r; b − c) by CG to relative residual `forcing`, then
   * p ← p e^{t x}, q ← q e^{t y} for the first t in 1, ½, ¼, … that lowers the marginal error.
   * Unlike Sinkhorn, whose rate is the plan's second singular value (near 1 when the plan almost
   * splits into blocks, as near-permutation plans at small ε do), Newton converges quadratically,
   * and CG pays only ~√κ products for the conditioning, fewer when a few modes are slow.
   */
  newtonStep(currentError: number, forcing: number, maxCgIterations: number): NewtonStepResult {
    const { n, m, p, q, a, b, kernel, rowSums, columnSums } = this;
    kernel.multiply(q, rowSums);
    kernel.multiplyTransposed(p, columnSums);
    const size = n + m;
    const diagonal = new Float64Array(size); // (r; c), the current marginals
    const rhs = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      diagonal[i] = p[i]! * rowSums[i]!;
      rhs[i] = a[i]! - diagonal[i]!;
    }
    for (let j = 0; j < m; j++) {
      diagonal[n + j] = q[j]! * columnSums[j]!;
      rhs[n + j] = b[j]! - diagonal[n + j]!;
    }
    for (let k = 0; k < size; k++) {
      // An empty row or column (underflow) has no curvature: leave it to the Sinkhorn updates.
      if (!(diagonal[k]! > 0))
        return { taken: false, evaluations: 2, rowError: NaN, columnError: NaN };
    }
    const scaledX = new Float64Array(n);
    const scaledY = new Float64Array(m);
    const productN = new Float64Array(n);
    const productM = new Float64Array(m);
    // H (x; y) = (r∘x + p∘K(q∘y); c∘y + q∘Kᵀ(p∘x)).
    const applyH = (v: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < n; i++) scaledX[i] = p[i]! * v[i]!;
      for (let j = 0; j < m; j++) scaledY[j] = q[j]! * v[n + j]!;
      kernel.multiply(scaledY, productN);
      kernel.multiplyTransposed(scaledX, productM);
      for (let i = 0; i < n; i++) out[i] = diagonal[i]! * v[i]! + p[i]! * productN[i]!;
      for (let j = 0; j < m; j++) out[n + j] = diagonal[n + j]! * v[n + j]! + q[j]! * productM[j]!;
    };
    const solve = conjugateGradient(applyH, diagonal, rhs, forcing, maxCgIterations);
    const direction = solve.x;
    let evaluations = 2 + solve.iterations;

    // Line search: the Armijo condition on Φ while its predicted increase t·slope is far above
    // rounding (Φ(t) − Φ(0) = t (Σ a x + Σ b y) − (Σ π(t) − Σ π(0)) is computed without the
    // large constant parts of Φ); closer in, where Newton is in its quadratic regime, a decrease
    // of the marginal error.
    let slope = 0;
    let linear = 0;
    for (let k = 0; k < size; k++) slope += rhs[k]! * direction[k]!;
    for (let i = 0; i < n; i++) linear += a[i]! * direction[i]!;
    for (let j = 0; j < m; j++) linear += b[j]! * direction[n + j]!;
    const useObjective = slope > NEWTON_MEASURABLE_SLOPE;
    let mass0 = 0;
    for (let i = 0; i < n; i++) mass0 += diagonal[i]!;
    let p0 = p.slice();
    let q0 = q.slice();
    let absorbed = false;
    let t = 1;
    for (let attempt = 0; attempt < NEWTON_LINE_SEARCH_STEPS; attempt++) {
      if (!this.setTrialScalings(p0, q0, direction, t)) {
        if (!absorbed) {
          // Fold the current scalings into f, g first; then only the step itself must fit.
          p.set(p0);
          q.set(q0);
          this.absorb();
          this.rebuildKernel();
          p0 = p.slice();
          q0 = q.slice();
          kernel.multiply(q0, rowSums);
          mass0 = 0;
          for (let i = 0; i < n; i++) mass0 += p0[i]! * rowSums[i]!;
          absorbed = true;
          attempt--;
        } else {
          t /= 2;
        }
        continue;
      }
      const rowError = this.rowSumsAndError();
      let mass = 0;
      for (let i = 0; i < n; i++) mass += p[i]! * rowSums[i]!;
      kernel.multiplyTransposed(p, columnSums);
      let columnError = 0;
      for (let j = 0; j < m; j++) columnError += Math.abs(q[j]! * columnSums[j]! - b[j]!);
      evaluations++;
      const accepted = useObjective
        ? t * linear - (mass - mass0) >= ARMIJO * t * slope
        : rowError + columnError < currentError;
      if (accepted) return { taken: true, evaluations, rowError, columnError };
      t /= 2;
    }
    p.set(p0);
    q.set(q0);
    return { taken: false, evaluations, rowError: NaN, columnError: NaN };
  }

  /** p = p0 e^{t x}, q = q0 e^{t y}; false (and nothing set) if a scaling would leave its bounds. */
  private setTrialScalings(
    p0: Float64Array,
    q0: Float64Array,
    direction: Float64Array,
    t: number,
  ): boolean {
    const { n, m, p, q, a, b, upper, lower } = this;
    for (let i = 0; i < n; i++) {
      const ratio = (p0[i]! / a[i]!) * Math.exp(t * direction[i]!);
      if (!(ratio < upper && ratio > lower)) return false;
    }
    for (let j = 0; j < m; j++) {
      const ratio = (q0[j]! / b[j]!) * Math.exp(t * direction[n + j]!);
      if (!(ratio < upper && ratio > lower)) return false;
    }
    for (let i = 0; i < n; i++) p[i] = p0[i]! * Math.exp(t * direction[i]!);
    for (let j = 0; j < m; j++) q[j] = q0[j]! * Math.exp(t * direction[n + j]!);
    return true;
  }

  /** Folds the scalings into the potentials and summarises the plan they define. */
  finish(): SinkhornSummary {
    const { n, m, p, q, a, b, f, g, cost, logA, logB, epsilon } = this;
    // π_ij = p_i K_ij q_j over every entry of K, truncated ones included.
    const plan = this.kernel.dense;
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      const pi = p[i]!;
      for (let j = 0; j < m; j++) plan[offset + j] = pi * plan[offset + j]! * q[j]!;
    }
    this.absorb();

    const rows = new Float64Array(n);
    const columns = new Float64Array(m);
    let transportCost = 0;
    // log(π_ij / (a_i b_j)) = (f_i + g_j − c_ij)/ε, so KL and entropy need no log of the plan.
    let logRatioMass = 0;
    const inverse = 1 / epsilon;
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      const fi = f[i]!;
      let row = 0;
      for (let j = 0; j < m; j++) {
        const pij = plan[offset + j]!;
        if (pij === 0) continue;
        const c = cost[offset + j]!;
        row += pij;
        columns[j] = columns[j]! + pij;
        transportCost += pij * c;
        logRatioMass += pij * (fi + g[j]! - c) * inverse;
      }
      rows[i] = row;
    }
    let rowError = 0;
    let columnError = 0;
    let dual = 0;
    let total = 0;
    let marginalLogMass = 0; // Σ_ij π_ij (log a_i + log b_j)
    for (let i = 0; i < n; i++) {
      rowError += Math.abs(rows[i]! - a[i]!);
      dual += a[i]! * f[i]!;
      marginalLogMass += rows[i]! * logA[i]!;
      total += rows[i]!;
    }
    for (let j = 0; j < m; j++) {
      columnError += Math.abs(columns[j]! - b[j]!);
      dual += b[j]! * g[j]!;
      marginalLogMass += columns[j]! * logB[j]!;
    }
    return {
      plan,
      f,
      g,
      transportCost,
      klDivergence: logRatioMass,
      entropicObjective: transportCost + epsilon * logRatioMass,
      // The dual of the KL-regularised problem: Σ a f + Σ b g − ε Σ a_i b_j (e^{(f+g−c)/ε} − 1).
      dualObjective: dual - epsilon * (total - 1),
      entropy: -(marginalLogMass + logRatioMass),
      rowError,
      columnError,
    };
  }

  /** f_i += ε log ρ_i, g_j += ε log σ_j, then ρ = σ = 1: the plan is unchanged. */
  private absorb(): void {
    const { n, m, f, g, p, q, a, b, epsilon } = this;
    for (let i = 0; i < n; i++) {
      if (p[i]! > 0) f[i] = f[i]! + epsilon * Math.log(p[i]! / a[i]!);
      p[i] = a[i]!;
    }
    for (let j = 0; j < m; j++) {
      if (q[j]! > 0) g[j] = g[j]! + epsilon * Math.log(q[j]! / b[j]!);
      q[j] = b[j]!;
    }
  }

  /** f_i = −ε LSE_j(log b_j + (g_j − c_ij)/ε), with the max subtracted. */
  private logDomainUpdateF(): void {
    const { n, m, f, g, cost, logB, epsilon } = this;
    const inverse = 1 / epsilon;
    const exponents = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      let max = -Infinity;
      for (let j = 0; j < m; j++) {
        const e = logB[j]! + (g[j]! - cost[offset + j]!) * inverse;
        exponents[j] = e;
        if (e > max) max = e;
      }
      let sum = 0;
      for (let j = 0; j < m; j++) sum += Math.exp(exponents[j]! - max);
      f[i] = -epsilon * (max + Math.log(sum));
    }
  }

  /** g_j = −ε LSE_i(log a_i + (f_i − c_ij)/ε), column-wise through row-major c. */
  private logDomainUpdateG(): void {
    const { n, m, f, g, cost, logA, epsilon } = this;
    const inverse = 1 / epsilon;
    const max = new Float64Array(m).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      const base = logA[i]! + f[i]! * inverse;
      for (let j = 0; j < m; j++) {
        const e = base - cost[offset + j]! * inverse;
        if (e > max[j]!) max[j] = e;
      }
    }
    const sum = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      const base = logA[i]! + f[i]! * inverse;
      for (let j = 0; j < m; j++)
        sum[j] = sum[j]! + Math.exp(base - cost[offset + j]! * inverse - max[j]!);
    }
    for (let j = 0; j < m; j++) g[j] = -epsilon * (max[j]! + Math.log(sum[j]!));
  }

  private rebuildKernel(): void {
    this.kernel.rebuild(this.f, this.g, this.cost, this.epsilon);
    this.rebuilds++;
  }
}
