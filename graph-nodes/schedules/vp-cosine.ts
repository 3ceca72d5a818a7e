// Variance preserving with the cosine ᾱ of Nichol & Dhariwal (improved DDPM), in continuous time:
//   θ(t) = ((t + s)/(1 + s))·π/2,   α(t) = cos θ(t) / cos θ(0),   σ = √(1 − α²).
// α reaches 0 at t = 1, where λ = −∞; the tail near t = 1 (λ → −10 in the discrete tables)
// destabilises high-order solvers, so sampling stops at tMax = 0.9946 (DPM-Solver, p. 22),
// where λ ≈ −4.78, inside diffusers' lambda_min_clipped = −5.1 (reference §8, pitfall 6).
//
// Written with θ₀ = θ(0), c = cos θ₀ and sin²θ − sin²θ₀ = sin(θ − θ₀) sin(θ + θ₀), so that
//   σ = √(sin(θ − θ₀) sin(θ + θ₀)) / c,   σ̃ = √(sin(θ − θ₀) sin(θ + θ₀)) / cos θ,
// which keep full relative precision at small t, where α ≈ 1 and 1 − α² would cancel.
import type { Schedule } from '../core/values';

export interface VpCosineScheduleParams {
  /** Offset s that keeps β small near t = 0 (Nichol & Dhariwal: 0.008). */
  readonly s: number;
  /** Smallest sampling time; σ̃(0) = 0, so tMin > 0. */
  readonly tMin: number;
  /** Largest sampling time, below 1 (α(1) = 0). */
  readonly tMax: number;
}

export const VP_COSINE_DEFAULT_S = 0.008;
export const VP_COSINE_DEFAULT_T_MIN = 1e-3;
export const VP_COSINE_DEFAULT_T_MAX = 0.9946;

export function vpCosineSchedule(p: VpCosineScheduleParams): Schedule {
  const { s, tMin, tMax } = p;
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new Error(`VP-cosine schedule: s must be a positive number (got ${s})`);
  }
  if (!(tMin > 0 && tMin < 1)) {
    throw new Error(`VP-cosine schedule: tMin must lie in (0, 1) (got ${tMin})`);
  }
  if (!(tMax > tMin && tMax < 1)) {
    throw new Error(
      `VP-cosine schedule: tMax must lie in (tMin, 1) = (${tMin}, 1) (got ${tMax}); α = 0 at t = 1`,
    );
  }
  const thetaDot = Math.PI / (2 * (1 + s));
  const theta = (t: number): number => (t + s) * thetaDot;
  const theta0 = theta(0);
  const cos0 = Math.cos(theta0);
  const sin0 = Math.sin(theta0);
  // sin²θ − sin²θ₀ = c² σ², without cancellation: θ − θ₀ = θ̇ t is formed directly, not as a
  // difference of two nearly equal angles
  const sinProduct = (t: number): number =>
    Math.sin(thetaDot * t) * Math.sin(thetaDot * (t + 2 * s));
  const alpha = (t: number): number => Math.cos(theta(t)) / cos0;
  const sigma = (t: number): number => Math.sqrt(sinProduct(t)) / cos0;
  const sigmaTilde = (t: number): number => Math.sqrt(sinProduct(t)) / Math.cos(theta(t));
  // cos θ = c/√(1 + σ̃²) and sin θ = r/√(1 + σ̃²) with r = √(σ̃² + sin²θ₀). The angle θ − θ₀ = θ̇ t
  // then has tan(θ − θ₀) = c (r − sin θ₀)/(c² + sin θ₀ r), and r − sin θ₀ = σ̃²/(r + sin θ₀):
  // no difference of nearly equal numbers at small σ̃, and exactly t = 0 at σ̃ = 0.
  const tOfSigmaTilde = (st: number): number => {
    if (st === Infinity) return 1;
    const r = Math.hypot(st, sin0);
    return Math.atan2(cos0 * st * (st / (r + sin0)), cos0 * cos0 + sin0 * r) / thetaDot;
  };
  return {
    name: 'vp-cosine',
    tMin,
    tMax,
    alpha,
    sigma,
    alphaDot: (t) => (-Math.sin(theta(t)) * thetaDot) / cos0,
    // σ̇ = −α α̇ / σ
    sigmaDot: (t) =>
      (Math.cos(theta(t)) * Math.sin(theta(t)) * thetaDot) / (cos0 * cos0 * sigma(t)),
    lambda: (t) => -Math.log(sigmaTilde(t)),
    tOfLambda: (lambda) => tOfSigmaTilde(Math.exp(-lambda)),
    sigmaTilde,
    tOfSigmaTilde,
  };
}
