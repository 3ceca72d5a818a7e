// Adaptive over-relaxation for Sinkhorn (Thibault, Chizat, Dossal & Papadakis 2021, "Overrelaxed
// Sinkhorn–Knopp algorithm for regularized optimal transport"; Lehmann, von Renesse, Sambale &
// Uschmajew 2022, "A note on overrelaxation in the Sinkhorn algorithm").
//
// The relaxed update f ← (1 − ω) f + ω f_Sinkhorn (scalings: p ← p^{1−ω} (a/s)^ω) converges locally
// for ω ∈ (0, 2). Near the solution Sinkhorn is a linear block Gauss–Seidel iteration on a 2-cyclic
// system, so Young's SOR theory applies: if plain Sinkhorn contracts by θ = μ² per iteration, the
// relaxed one contracts by λ with (λ + ω − 1)² = λ ω² μ², which is smallest, ω* − 1, at
//   ω* = 2 / (1 + √(1 − μ²)).
// For small ε, θ = 1 − δ with δ ≈ ε/range(c): plain Sinkhorn needs ~1/δ iterations per e-fold and
// the optimal relaxation ~1/(2√δ) (at ε = 1e-3 on data of scale 2: ~4,500 → ~400 iterations).
//
// θ is not known in advance, so it is estimated as in Hageman & Young's adaptive SOR ("Applied
// Iterative Methods", 1981, ch. 9): the mean contraction R of the marginal error over the
// iterations since ω last changed, inverted through Young's relation, μ² = (R + ω − 1)²/(R ω²).
// While R > (ω − 1)^F the real dominant eigenvalue shows that ω < ω*, and ω moves up to the
// new estimate; once ω ≥ ω* the eigenvalues are complex with modulus ω − 1 and the estimate stops
// moving. ω never goes down, except back to 1 if the error grows (far from the solution the
// iteration is nonlinear and the theory does not hold).

/** Iterations after a change of ω before its effect is measured (transients). */
const SETTLE_ITERATIONS = 5;
/** Iterations the contraction is averaged over before it is trusted. */
const MIN_SPAN = 10;
/** Re-estimate every this many iterations. */
const CHECK_EVERY = 5;
/** Hageman–Young's damping exponent: change ω only while R > (ω − 1)^F. */
const STRICTNESS = 0.75;
/** Upper bound on ω (the iteration diverges at 2). */
const MAX_OMEGA = 1.98;
/** Back to ω = 1 when the error exceeds its best value since the last change by this factor, */
const DIVERGENCE_FACTOR = 10;
/**
 * … or when it has not halved for this many times the halving time ln 2/(2 − ω) that the rate
 * ω − 1 of the optimal regime would give (a limit cycle of the nonlinear iteration), …
 */
const STALL_HALVING_TIMES = 8;
const STALL_MIN_ITERATIONS = 50;
/** … and then ω may climb back only to 1 + this fraction of (ω − 1). */
const CEILING_AFTER_RESET = 0.9;

export class AdaptiveOverrelaxation {
  private omegaValue: number;
  private ceiling = MAX_OMEGA;
  private sinceChange = 0;
  private reference = NaN;
  private best = Infinity;
  private progressMark = Infinity;
  private sinceProgress = 0;

  /** Starts at `initialOmega` (e.g. the relaxation a previous, nearby solve settled on). */
  constructor(initialOmega = 1) {
    this.omegaValue = Math.min(MAX_OMEGA, Math.max(1, initialOmega));
  }

  /** The relaxation to use for the next iteration. */
  get omega(): number {
    return this.omegaValue;
  }

  /** Records the marginal error reached after an iteration and updates ω from it. */
  observe(error: number): void {
    const omega = this.omegaValue;
    this.sinceChange++;
    this.best = Math.min(this.best, error);
    if (error <= 0.5 * this.progressMark) {
      this.progressMark = error;
      this.sinceProgress = 0;
    } else {
      this.sinceProgress++;
    }
    const patience = Math.max(STALL_MIN_ITERATIONS, (STALL_HALVING_TIMES * Math.LN2) / (2 - omega));
    if (omega > 1 && (error > DIVERGENCE_FACTOR * this.best || this.sinceProgress > patience)) {
      this.ceiling = 1 + CEILING_AFTER_RESET * (omega - 1);
      this.change(1);
      return;
    }
    if (this.sinceChange === SETTLE_ITERATIONS) this.reference = error;
    const span = this.sinceChange - SETTLE_ITERATIONS;
    const minSpan = Math.max(MIN_SPAN, Math.ceil(2 / (2 - omega)));
    if (span < minSpan || span % CHECK_EVERY !== 0) return;
    const rate = Math.pow(error / this.reference, 1 / span);
    if (!(rate < 1) || rate <= Math.pow(omega - 1, STRICTNESS)) return;
    const mu2 = Math.min(1, (rate + omega - 1) ** 2 / (rate * omega * omega));
    const candidate = Math.min(this.ceiling, 2 / (1 + Math.sqrt(1 - mu2)));
    if (candidate > omega + 1e-3) this.change(candidate);
  }

  private change(omega: number): void {
    this.omegaValue = omega;
    this.sinceChange = 0;
    this.best = Infinity;
    this.reference = NaN;
    this.progressMark = Infinity;
    this.sinceProgress = 0;
  }
}
