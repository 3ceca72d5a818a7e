// The KL-optimal noise levels of Sabour et al. (ComfyUI's kl_optimal): uniform in arctan σ̃,
//   σ_i = tan((i/(n−1)) atan σ_min + (1 − i/(n−1)) atan σ_max),   i = 0 … n−1,   σ_n = 0.

/** `steps` levels from sigmaMax down to sigmaMin, evenly spaced in atan σ̃, then 0. */
export function klOptimalSigmas(steps: number, sigmaMin: number, sigmaMax: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`KL-optimal sigmas: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (!(sigmaMin > 0) || !Number.isFinite(sigmaMax) || (steps > 1 && !(sigmaMax > sigmaMin))) {
    throw new Error(
      `KL-optimal sigmas: need 0 < sigmaMin < sigmaMax, finite (got sigmaMin = ${sigmaMin}, sigmaMax = ${sigmaMax})`,
    );
  }
  const sigmas = new Float64Array(steps + 1); // last entry stays 0
  const atanMin = Math.atan(sigmaMin);
  const atanMax = Math.atan(sigmaMax);
  for (let i = 0; i < steps; i++) {
    const ramp = steps === 1 ? 0 : i / (steps - 1);
    sigmas[i] = Math.tan(ramp * atanMin + (1 - ramp) * atanMax);
  }
  // exactly the ends, not tan(atan(·)) one rounding away
  sigmas[0] = sigmaMax;
  if (steps > 1) sigmas[steps - 1] = sigmaMin;
  return sigmas;
}
