// ComfyUI's "beta" scheduler (Lee et al. 2024, arXiv 2407.12173): table indices at the quantiles
// of a Beta(α, β) distribution, which for α = β = 0.6 crowd the steps towards both ends:
//   i_k = rint(BetaPPF(1 − k/N; α, β) · (L − 1)),   k = 0 … N − 1,
// with repeated indices dropped (so fewer than N steps may remain), then σ̃ = 0. rint is numpy's
// (halves to even). The list starts at the noisiest entry (PPF(1) = 1).
// (diffusers' use_beta_sigmas instead interpolates linearly in σ between σ_min and σ_max.)
import { betaQuantile } from './beta-distribution';
import { roundHalfEven } from './round-half-even';

/** Descending, distinct table indices. */
export function betaIndices(
  steps: number,
  tableLength: number,
  alpha: number,
  beta: number,
): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`beta scheduler: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (tableLength < 2) {
    throw new Error(`beta scheduler: the table needs at least 2 entries (it has ${tableLength})`);
  }
  const last = tableLength - 1;
  const indices: number[] = [];
  for (let k = 0; k < steps; k++) {
    const index = roundHalfEven(betaQuantile(1 - k / steps, alpha, beta) * last);
    // quantiles descend with k, so a repeat can only be of the previous index
    if (index !== indices[indices.length - 1]) indices.push(index);
  }
  return indices;
}
