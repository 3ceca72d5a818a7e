// Variance exploding (NCSN++ / Score SDE): α = 1 and a geometric noise level
// σ(t) = σ_min (σ_max/σ_min)^t on t ∈ [0, 1]. Note σ(0) = σ_min > 0: no time has σ = 0.
import type { Schedule } from '../core/values';

export interface VeScheduleParams {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
}

export function veSchedule(p: VeScheduleParams): Schedule {
  if (!(p.sigmaMin > 0) || !Number.isFinite(p.sigmaMin)) {
    throw new Error(`VE schedule: sigmaMin must be a positive number (got ${p.sigmaMin})`);
  }
  if (!(p.sigmaMax > p.sigmaMin) || !Number.isFinite(p.sigmaMax)) {
    throw new Error(
      `VE schedule: sigmaMax must be finite and greater than sigmaMin = ${p.sigmaMin} (got ${p.sigmaMax})`,
    );
  }
  const logSigmaMin = Math.log(p.sigmaMin);
  const logRatio = Math.log(p.sigmaMax / p.sigmaMin);
  // log σ(t) = log σ_min + t log(σ_max/σ_min); everything else follows from it.
  const logSigma = (t: number): number => logSigmaMin + t * logRatio;
  const tOfLogSigma = (logS: number): number => (logS - logSigmaMin) / logRatio;
  return {
    name: 've',
    tMin: 0,
    tMax: 1,
    alpha: () => 1,
    sigma: (t) => Math.exp(logSigma(t)),
    alphaDot: () => 0,
    // σ̇ = σ log(σ_max/σ_min)
    sigmaDot: (t) => Math.exp(logSigma(t)) * logRatio,
    lambda: (t) => -logSigma(t),
    tOfLambda: (lambda) => tOfLogSigma(-lambda),
    sigmaTilde: (t) => Math.exp(logSigma(t)),
    // σ̃ = 0 maps to t = −∞: the schedule never reaches zero noise.
    tOfSigmaTilde: (sigmaTilde) => tOfLogSigma(Math.log(sigmaTilde)),
  };
}
