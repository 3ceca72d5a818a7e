// EDM preconditioning (Karras et al. 2022, Table 1; reference §6 and App. D.6 of the book):
//   D(x̃; σ) = c_skip(σ) x̃ + c_out(σ) F(c_in(σ) x̃, c_noise(σ))
// with c_skip = σ_d²/(σ² + σ_d²), c_out = σ σ_d/√(σ² + σ_d²), c_in = 1/√(σ² + σ_d²),
// c_noise = ln(σ)/4, so F's input and its regression target both have unit variance at every σ.
// The loss weight λ(σ) = (σ² + σ_d²)/(σ σ_d)² makes the effective weight on F's error λ·c_out² = 1.

export interface EdmCoefficients {
  readonly cSkip: number;
  readonly cOut: number;
  readonly cIn: number;
  readonly cNoise: number;
}

export function edmCoefficients(sigma: number, sigmaData: number): EdmCoefficients {
  const total = sigma * sigma + sigmaData * sigmaData;
  return {
    cSkip: (sigmaData * sigmaData) / total,
    cOut: (sigma * sigmaData) / Math.sqrt(total),
    cIn: 1 / Math.sqrt(total),
    cNoise: Math.log(sigma) / 4,
  };
}

/** λ(σ) = (σ² + σ_d²)/(σ σ_d)²: the weight on ‖D − x₀‖² that equalises the loss across σ. */
export function edmLossWeight(sigma: number, sigmaData: number): number {
  return (sigma * sigma + sigmaData * sigmaData) / (sigma * sigmaData) ** 2;
}

/** Log-normal training noise levels: ln σ ~ N(P_mean, P_std²). */
export interface NoiseLevelDistribution {
  readonly pMean: number;
  readonly pStd: number;
}

export function sampleNoiseLevel(normal: number, { pMean, pStd }: NoiseLevelDistribution): number {
  return Math.exp(pMean + pStd * normal);
}
