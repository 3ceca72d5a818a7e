// The half log-SNR time λ = −log σ̃ of the exponential-integrator solvers (DPM-Solver, DPM-Solver++,
// UniPC). In λ the PF-ODE's linear part integrates exactly, x̃_t = (σ̃_t/σ̃_s)x̃_s + …, so only the
// denoiser's (or ε̂'s) contribution is approximated; h = λ_t − λ_s > 0 when stepping towards data.
import { derivative } from './euler';

export function lambdaOf(sigma: number): number {
  return -Math.log(sigma);
}

export function sigmaOf(lambda: number): number {
  return Math.exp(-lambda);
}

/** ε̂ = (x̃ − D)/σ̃: the noise prediction, which is also the ODE's slope dx̃/dσ̃ (Euler's d). */
export const epsilonOf = derivative;
