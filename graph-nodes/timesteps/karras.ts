// Karras et al. (EDM) noise levels: uniform in σ^{1/ρ} from σ_max down to σ_min, then 0
// (k-diffusion's get_sigmas_karras).
//   σ_i = (σ_max^{1/ρ} + (i/(n−1)) (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ,  i = 0 … n−1,  σ_n = 0.

/** n = `steps` noise levels, descending from sigmaMax to sigmaMin, followed by 0 (length steps + 1). */
export function karrasSigmas(
  steps: number,
  sigmaMin: number,
  sigmaMax: number,
  rho: number,
): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`Karras sigmas: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (!(sigmaMin > 0) || !Number.isFinite(sigmaMax)) {
    throw new Error(
      `Karras sigmas: need 0 < sigmaMin and a finite sigmaMax (got ${sigmaMin}, ${sigmaMax})`,
    );
  }
  if (steps > 1 && !(sigmaMax > sigmaMin)) {
    throw new Error(
      `Karras sigmas: sigmaMax must be greater than sigmaMin (got sigmaMin = ${sigmaMin}, sigmaMax = ${sigmaMax})`,
    );
  }
  if (!(rho > 0) || !Number.isFinite(rho)) {
    throw new Error(`Karras sigmas: rho must be a positive number (got ${rho})`);
  }
  const sigmas = new Float64Array(steps + 1); // last entry stays 0
  if (steps === 1) {
    sigmas[0] = sigmaMax;
    return sigmas;
  }
  const maxInvRho = sigmaMax ** (1 / rho);
  const minInvRho = sigmaMin ** (1 / rho);
  for (let i = 0; i < steps; i++) {
    const ramp = i / (steps - 1);
    sigmas[i] = (maxInvRho + ramp * (minInvRho - maxInvRho)) ** rho;
  }
  // With a small ρ, σ_max^{1/ρ} dwarfs σ_min^{1/ρ} and the last entry cancels to nothing
  // (ρ = 0.1 on [0.002, 80]: 1e19 − 1e19 = 0), which would end the list twice. Only then is it
  // replaced: otherwise it stays k-diffusion's own rounding of σ_min, bit for bit.
  const last = sigmas[steps - 1]!;
  if (!(Math.abs(last - sigmaMin) <= 1e-9 * sigmaMin)) sigmas[steps - 1] = sigmaMin;
  return sigmas;
}
