// EDM (Karras et al. 2022): no scaling and noise level equal to time, so the PF-ODE is
// dx/dt = (x − D(x; t))/t and t, σ and σ̃ are the same number. σ_data only travels with the
// schedule, for the preconditioning c_skip, c_out, c_in of learned EDM models.
import type { Schedule } from '../core/values';

export interface EdmScheduleParams {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** Standard deviation of the data (EDM: 0.5); defaults to 0.5. */
  readonly sigmaData?: number;
}

export const EDM_DEFAULT_SIGMA_DATA = 0.5;

export function edmSchedule(p: EdmScheduleParams): Schedule {
  if (!(p.sigmaMin > 0) || !Number.isFinite(p.sigmaMin)) {
    throw new Error(`EDM schedule: sigmaMin must be a positive number (got ${p.sigmaMin})`);
  }
  if (!(p.sigmaMax > p.sigmaMin) || !Number.isFinite(p.sigmaMax)) {
    throw new Error(
      `EDM schedule: sigmaMax must be finite and greater than sigmaMin = ${p.sigmaMin} (got ${p.sigmaMax})`,
    );
  }
  const sigmaData = p.sigmaData ?? EDM_DEFAULT_SIGMA_DATA;
  if (!(sigmaData > 0) || !Number.isFinite(sigmaData)) {
    throw new Error(`EDM schedule: sigmaData must be a positive number (got ${sigmaData})`);
  }
  return {
    name: 'edm',
    sigmaData,
    tMin: p.sigmaMin,
    tMax: p.sigmaMax,
    alpha: () => 1,
    sigma: (t) => t,
    alphaDot: () => 0,
    sigmaDot: () => 1,
    // λ = log(α/σ) = −log t
    lambda: (t) => -Math.log(t),
    tOfLambda: (lambda) => Math.exp(-lambda),
    sigmaTilde: (t) => t,
    tOfSigmaTilde: (sigmaTilde) => sigmaTilde,
  };
}
