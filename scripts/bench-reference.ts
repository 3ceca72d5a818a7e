// The bench's float64 ground truth, written apart from the engine (no engine imports): the exact
// empirical denoiser with Math.exp over every data point, Karras timesteps, and k-diffusion's
// sample_euler / sample_dpmpp_2m on them. Slow and plain on purpose; the bench and the fixture's
// unit test both compare the CLI's samples against it.

/** Row-major points [count, dim] in float64. */
export interface PointSet {
  readonly values: Float64Array;
  readonly count: number;
  readonly dim: number;
}

/** k-diffusion get_sigmas_karras(n, σ_min, σ_max, ρ), with the final 0 appended. */
export function karrasSigmas(
  steps: number,
  sigmaMin: number,
  sigmaMax: number,
  rho: number,
): Float64Array {
  const sigmas = new Float64Array(steps + 1);
  const [minInverseRho, maxInverseRho] = [sigmaMin ** (1 / rho), sigmaMax ** (1 / rho)];
  for (let i = 0; i < steps; i++) {
    const ramp = steps === 1 ? 0 : i / (steps - 1);
    sigmas[i] = (maxInverseRho + ramp * (minInverseRho - maxInverseRho)) ** rho;
  }
  return sigmas;
}

/** E[y | x̃] for y uniform over the data points and x̃ = y + σ̃ε, for every row of x. */
export function empiricalPosteriorMean(
  data: PointSet,
  x: Float64Array,
  sigma: number,
): Float64Array {
  const { values, count, dim } = data;
  const out = new Float64Array(x.length);
  const logits = new Float64Array(count);
  for (let row = 0; row < x.length / dim; row++) {
    let largest = -Infinity;
    for (let k = 0; k < count; k++) {
      let squaredDistance = 0;
      for (let j = 0; j < dim; j++)
        squaredDistance += (x[row * dim + j]! - values[k * dim + j]!) ** 2;
      logits[k] = -squaredDistance / (2 * sigma * sigma);
      largest = Math.max(largest, logits[k]!);
    }
    let total = 0;
    for (let k = 0; k < count; k++) total += Math.exp(logits[k]! - largest);
    for (let k = 0; k < count; k++) {
      const responsibility = Math.exp(logits[k]! - largest) / total;
      for (let j = 0; j < dim; j++) out[row * dim + j]! += responsibility * values[k * dim + j]!;
    }
  }
  return out;
}

export type ReferenceSampler = (
  denoise: (x: Float64Array, sigma: number) => Float64Array,
  x: Float64Array,
  sigmas: Float64Array,
) => Float64Array;

/** k-diffusion sample_euler (no churn): x ← x + (σ_{i+1} − σ_i)(x − D)/σ_i. */
export const sampleEuler: ReferenceSampler = (denoise, start, sigmas) => {
  let x = start;
  for (let i = 0; i + 1 < sigmas.length; i++) {
    const [sigma, sigmaNext] = [sigmas[i]!, sigmas[i + 1]!];
    const denoised = denoise(x, sigma);
    x = x.map((value, k) => value + ((sigmaNext - sigma) * (value - denoised[k]!)) / sigma);
  }
  return x;
};

/**
 * k-diffusion sample_dpmpp_2m: with t = −log σ and h = t_{i+1} − t_i,
 * x ← (σ_{i+1}/σ_i)x − expm1(−h)·D', where D' = (1 + 1/2r)D_i − (1/2r)D_{i−1}, r = h_{i−1}/h,
 * except on the first step and the last (onto σ = 0), which use D' = D_i.
 */
export const sampleDpmpp2m: ReferenceSampler = (denoise, start, sigmas) => {
  const t = (sigma: number) => -Math.log(sigma);
  let x = start;
  let previousDenoised: Float64Array | undefined;
  for (let i = 0; i + 1 < sigmas.length; i++) {
    const [sigma, sigmaNext] = [sigmas[i]!, sigmas[i + 1]!];
    const denoised = denoise(x, sigma);
    if (sigmaNext === 0) {
      x = denoised;
    } else {
      const h = t(sigmaNext) - t(sigma);
      let extrapolated = denoised;
      if (previousDenoised) {
        const r = (t(sigma) - t(sigmas[i - 1]!)) / h;
        const last = previousDenoised;
        extrapolated = denoised.map((d, k) => (1 + 1 / (2 * r)) * d - (1 / (2 * r)) * last[k]!);
      }
      x = x.map((value, k) => (sigmaNext / sigma) * value - Math.expm1(-h) * extrapolated[k]!);
    }
    previousDenoised = denoised;
  }
  return x;
};

export const REFERENCE_SAMPLERS: Readonly<Record<string, ReferenceSampler>> = {
  euler: sampleEuler,
  dpmpp_2m: sampleDpmpp2m,
};

/** The fixture's workload in float64: `steps` Karras steps of `algorithm` from x_T. */
export function referenceSamples(
  algorithm: string,
  noise: Float64Array,
  data: PointSet,
  karras: { steps: number; sigmaMin: number; sigmaMax: number; rho: number },
): Float64Array {
  const sampler = REFERENCE_SAMPLERS[algorithm];
  if (!sampler) {
    throw new Error(
      `no float64 reference for "${algorithm}"; known: ${Object.keys(REFERENCE_SAMPLERS).join(', ')}`,
    );
  }
  const sigmas = karrasSigmas(karras.steps, karras.sigmaMin, karras.sigmaMax, karras.rho);
  return sampler((x, sigma) => empiricalPosteriorMean(data, x, sigma), noise, sigmas);
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}
