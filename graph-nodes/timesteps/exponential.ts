// Noise levels uniform in log σ̃, i.e. uniform in λ = −log σ̃ (k-diffusion get_sigmas_exponential;
// DPM-Solver's "logSNR" grid, diffusers' use_lu_lambdas), and the polyexponential warp of it
// (get_sigmas_polyexponential), which bends the ramp by a power ρ; ρ = 1 is the exponential grid.
//   exponential:      σ_i = exp(log σ_max + (i/(n−1)) (log σ_min − log σ_max))
//   polyexponential:  σ_i = exp((1 − i/(n−1))^ρ · log(σ_max/σ_min) + log σ_min)
// Both give i = 0 … n−1, then σ_n = 0.

function checkRange(what: string, steps: number, sigmaMin: number, sigmaMax: number): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`${what}: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (!(sigmaMin > 0) || !Number.isFinite(sigmaMax)) {
    throw new Error(
      `${what}: need 0 < sigmaMin and a finite sigmaMax (got ${sigmaMin}, ${sigmaMax})`,
    );
  }
  if (steps > 1 && !(sigmaMax > sigmaMin)) {
    throw new Error(
      `${what}: sigmaMax must be greater than sigmaMin (got sigmaMin = ${sigmaMin}, sigmaMax = ${sigmaMax})`,
    );
  }
}

/** Exactly σ_max and σ_min at the ends rather than exp(log(·)), one rounding away from them. */
function landOnEnds(sigmas: Float64Array, steps: number, sigmaMin: number, sigmaMax: number): void {
  sigmas[0] = sigmaMax;
  if (steps > 1) sigmas[steps - 1] = sigmaMin;
}

/** `steps` levels from sigmaMax down to sigmaMin, evenly spaced in log σ̃, then 0. */
export function exponentialSigmas(steps: number, sigmaMin: number, sigmaMax: number): Float64Array {
  checkRange('exponential sigmas', steps, sigmaMin, sigmaMax);
  const sigmas = new Float64Array(steps + 1); // last entry stays 0
  const logMax = Math.log(sigmaMax);
  const logMin = Math.log(sigmaMin);
  for (let i = 0; i < steps; i++) {
    const ramp = steps === 1 ? 0 : i / (steps - 1);
    sigmas[i] = Math.exp(logMax + ramp * (logMin - logMax));
  }
  landOnEnds(sigmas, steps, sigmaMin, sigmaMax);
  return sigmas;
}

/** `steps` levels from sigmaMax down to sigmaMin with log σ̃ − log σ_min ∝ (1 − i/(n−1))^ρ, then 0. */
export function polyexponentialSigmas(
  steps: number,
  sigmaMin: number,
  sigmaMax: number,
  rho: number,
): Float64Array {
  checkRange('polyexponential sigmas', steps, sigmaMin, sigmaMax);
  if (!(rho > 0) || !Number.isFinite(rho)) {
    throw new Error(`polyexponential sigmas: rho must be a positive number (got ${rho})`);
  }
  const sigmas = new Float64Array(steps + 1);
  const logMin = Math.log(sigmaMin);
  const logRatio = Math.log(sigmaMax) - logMin;
  for (let i = 0; i < steps; i++) {
    const ramp = steps === 1 ? 1 : 1 - i / (steps - 1);
    sigmas[i] = Math.exp(ramp ** rho * logRatio + logMin);
  }
  landOnEnds(sigmas, steps, sigmaMin, sigmaMax);
  // The ramp's power underflows near the end for a large ρ or many steps ((1/999)^7 ≈ 1e-21):
  // those levels all round to σ_min, which no solver can step between.
  for (let i = 1; i < steps; i++) {
    if (!(sigmas[i]! < sigmas[i - 1]!)) {
      throw new Error(
        `polyexponential sigmas: with rho = ${rho} and ${steps} steps, levels ${i - 1} and ${i} ` +
          `both round to σ̃ = ${sigmas[i]}; lower rho or steps`,
      );
    }
  }
  return sigmas;
}
