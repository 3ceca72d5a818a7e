// The Gaussian-mixture denoiser with its Jacobian, in float64 (reference §10). With
// v_k = s_k² + σ̃², responsibilities r_k, component posteriors post_k = μ_k + (s_k²/v_k)(x̃ − μ_k)
// and logit gradients g_k = −(x̃ − μ_k)/v_k (ḡ = Σ r_k g_k):
//   D = Σ_k r_k post_k,   ∂r_k/∂x̃ = r_k (g_k − ḡ),
//   J = ∂D/∂x̃ = (Σ_k r_k s_k²/v_k) I + Σ_k r_k (post_k − D)(g_k − ḡ)ᵀ,
// where post_k − D replaces post_k because Σ_k r_k (g_k − ḡ) = 0: centred, the second term is
// a covariance under r and loses no digits to cancellation when one component dominates.
// So tr J = d Σ r_k s_k²/v_k + Σ r_k (post_k − D)·(g_k − ḡ), and for a probe z
//   zᵀ J z = ‖z‖² Σ r_k s_k²/v_k + Σ r_k ((post_k − D)·z)((g_k − ḡ)·z).
import type { CheckedGmm } from './gmm';

/**
 * D and, per row, tr J — or zᵀ J z per row and probe when `probes` ([n, count, dim]) are given.
 * `variances` are the total variances v_k at the level σ̃ (gmm.ts totalVariances).
 */
export function gmmDenoiseWithJacobian(
  gmm: CheckedGmm,
  variances: Float64Array,
  xTilde: Float64Array,
  probes?: { readonly vectors: Float64Array; readonly count: number },
): { denoised: Float64Array; jacobian: Float64Array } {
  const { count, dim, means } = gmm;
  if (xTilde.length % dim !== 0) {
    throw new Error(`GMM denoiser: ${xTilde.length} values do not form rows of dimension ${dim}`);
  }
  const rows = xTilde.length / dim;
  const probeCount = probes?.count ?? 0;
  if (probes && probes.vectors.length !== rows * probeCount * dim) {
    throw new Error(
      `GMM denoiser: expected ${rows} × ${probeCount} probes of dimension ${dim}, ` +
        `got ${probes.vectors.length} values`,
    );
  }
  const denoised = new Float64Array(rows * dim);
  const jacobian = new Float64Array(rows * Math.max(1, probeCount));
  const responsibilities = new Float64Array(count);
  const posteriors = new Float64Array(count * dim);
  const gradients = new Float64Array(count * dim);
  const meanGradient = new Float64Array(dim);
  for (let row = 0; row < rows; row++) {
    const base = row * dim;
    let largest = -Infinity;
    for (let k = 0; k < count; k++) {
      let squaredDistance = 0;
      for (let j = 0; j < dim; j++)
        squaredDistance += (xTilde[base + j]! - means[k * dim + j]!) ** 2;
      const logit =
        gmm.logWeights[k]! -
        0.5 * dim * Math.log(variances[k]!) -
        squaredDistance / (2 * variances[k]!);
      responsibilities[k] = logit;
      if (logit > largest) largest = logit;
    }
    let total = 0;
    for (let k = 0; k < count; k++) {
      responsibilities[k] = Math.exp(responsibilities[k]! - largest);
      total += responsibilities[k]!;
    }
    let isotropicPart = 0; // Σ r_k s_k²/v_k
    meanGradient.fill(0);
    for (let k = 0; k < count; k++) {
      const r = (responsibilities[k]! /= total);
      const shrink = gmm.variances[k]! / variances[k]!;
      isotropicPart += r * shrink;
      for (let j = 0; j < dim; j++) {
        const offset = xTilde[base + j]! - means[k * dim + j]!;
        posteriors[k * dim + j] = means[k * dim + j]! + shrink * offset;
        gradients[k * dim + j] = -offset / variances[k]!;
        denoised[base + j]! += r * posteriors[k * dim + j]!;
        meanGradient[j]! += r * gradients[k * dim + j]!;
      }
    }
    // Centre both factors of the covariance term once.
    for (let k = 0; k < count; k++) {
      for (let j = 0; j < dim; j++) {
        posteriors[k * dim + j]! -= denoised[base + j]!;
        gradients[k * dim + j]! -= meanGradient[j]!;
      }
    }
    if (!probes) {
      let covariance = 0;
      for (let k = 0; k < count; k++) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += posteriors[k * dim + j]! * gradients[k * dim + j]!;
        covariance += responsibilities[k]! * dot;
      }
      jacobian[row] = dim * isotropicPart + covariance;
      continue;
    }
    for (let p = 0; p < probeCount; p++) {
      const zBase = (row * probeCount + p) * dim;
      let squaredNorm = 0;
      for (let j = 0; j < dim; j++) squaredNorm += probes.vectors[zBase + j]! ** 2;
      let covariance = 0;
      for (let k = 0; k < count; k++) {
        let posteriorDot = 0;
        let gradientDot = 0;
        for (let j = 0; j < dim; j++) {
          const z = probes.vectors[zBase + j]!;
          posteriorDot += posteriors[k * dim + j]! * z;
          gradientDot += gradients[k * dim + j]! * z;
        }
        covariance += responsibilities[k]! * posteriorDot * gradientDot;
      }
      jacobian[row * probeCount + p] = squaredNorm * isotropicPart + covariance;
    }
  }
  return { denoised, jacobian };
}
