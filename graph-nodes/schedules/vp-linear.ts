// Variance preserving with a linear β (Score SDE / DDPM in continuous time):
//   β(t) = β_min + t (β_max − β_min),  log α(t) = −¼ t² (β_max − β_min) − ½ t β_min,  σ = √(1 − α²).
// Written through g(t) := −2 log α = ½ β_d t² + β_min t (β_d = β_max − β_min), because
// σ̃² = e^g − 1 and σ² = 1 − e^{−g} are then expm1 calls, accurate at small t where α ≈ 1.
import type { Schedule } from '../core/values';

export interface VpLinearScheduleParams {
  readonly betaMin: number;
  readonly betaMax: number;
  /** Smallest sampling time (ε_s); t runs over [tEps, 1]. */
  readonly tEps: number;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function vpLinearSchedule(p: VpLinearScheduleParams): Schedule {
  const { betaMin, betaMax, tEps } = p;
  if (!(betaMin >= 0) || !Number.isFinite(betaMin)) {
    throw new Error(`VP-linear schedule: betaMin must be a number ≥ 0 (got ${betaMin})`);
  }
  if (!(betaMax > betaMin) || !Number.isFinite(betaMax)) {
    throw new Error(
      `VP-linear schedule: betaMax must be finite and greater than betaMin = ${betaMin} (got ${betaMax})`,
    );
  }
  if (!(tEps > 0 && tEps < 1)) {
    throw new Error(`VP-linear schedule: tEps must lie in (0, 1) (got ${tEps})`);
  }
  const betaD = betaMax - betaMin;
  const beta = (t: number): number => betaMin + t * betaD;
  const g = (t: number): number => 0.5 * betaD * t * t + betaMin * t;
  // Inverse of g on t ≥ 0: the positive root of ½β_d t² + β_min t − g = 0, written as
  // 2g / (β_min + √(β_min² + 2β_d g)) so nothing cancels when g is small.
  const tOfG = (gValue: number): number =>
    (2 * gValue) / (betaMin + Math.sqrt(betaMin * betaMin + 2 * betaD * gValue));
  const alpha = (t: number): number => Math.exp(-0.5 * g(t));
  const sigma = (t: number): number => Math.sqrt(-Math.expm1(-g(t)));
  const sigmaTilde = (t: number): number => Math.sqrt(Math.expm1(g(t)));
  return {
    name: 'vp-linear',
    tMin: tEps,
    tMax: 1,
    alpha,
    sigma,
    // α̇ = −½ β α  (f = −β/2)
    alphaDot: (t) => -0.5 * beta(t) * alpha(t),
    // σ̇ = −α α̇ / σ = ½ β α² / σ
    sigmaDot: (t) => (0.5 * beta(t) * Math.exp(-g(t))) / sigma(t),
    // λ = −log σ̃ = −½ log(e^g − 1)
    lambda: (t) => -0.5 * Math.log(Math.expm1(g(t))),
    // e^g = 1 + σ̃² = 1 + e^{−2λ}
    tOfLambda: (lambda) => tOfG(softplus(-2 * lambda)),
    sigmaTilde,
    tOfSigmaTilde: (s) => tOfG(Math.log1p(s * s)),
  };
}
