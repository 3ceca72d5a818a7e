// Singlestep DPM-Solver-1/2/3 (Lu et al. 2022, Alg. 1 and 2) in ε form with α = 1, i.e. in x̃:
// x̃_t = x̃_s − σ̃_t(e^h − 1)ε̂_s − (higher-order corrections from ε̂ at intermediate λ), h = λ_t − λ_s.
// Shared by dpm_fast and dpm_adaptive (k-diffusion's DPMSolver class).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { epsilonOf, sigmaOf } from './lambda-math';
import type { StepState } from './loop';

/** ε̂(x̃, λ), one NFE per call. */
export type EpsilonAt = (x: Tensor2D, lambda: number) => Tensor2D;

export function epsilonAt(state: StepState): EpsilonAt {
  return (x, lambda) => {
    const sigma = sigmaOf(lambda);
    return epsilonOf(x, state.denoise(x, sigma), sigma);
  };
}

/** DPM-Solver-1 (≡ DDIM ≡ Euler in x̃): x̃_t = x̃ − σ̃_t(e^h − 1)ε̂_s. */
export function dpmSolver1(x: Tensor2D, lambdaS: number, lambdaT: number, eps: Tensor2D): Tensor2D {
  const h = lambdaT - lambdaS;
  return tf.sub(x, tf.mul(eps, sigmaOf(lambdaT) * Math.expm1(h)));
}

/**
 * DPM-Solver-2: one extra ε̂ at s₁ = λ_s + r₁h; x̃_t = x̃ − σ̃_t(e^h − 1)ε̂_s −
 * (σ̃_t/(2r₁))(e^h − 1)(ε̂_{s₁} − ε̂_s). Returns ε̂_{s₁} too, for a DPM-Solver-3 with the same r₁.
 */
export function dpmSolver2(
  x: Tensor2D,
  lambdaS: number,
  lambdaT: number,
  eps: Tensor2D,
  epsilonAtLambda: EpsilonAt,
  r1 = 1 / 2,
): { x: Tensor2D; epsR1: Tensor2D } {
  const h = lambdaT - lambdaS;
  const s1 = lambdaS + r1 * h;
  const u1: Tensor2D = tf.sub(x, tf.mul(eps, sigmaOf(s1) * Math.expm1(r1 * h)));
  const epsR1 = epsilonAtLambda(u1, s1);
  const sigmaT = sigmaOf(lambdaT);
  const next: Tensor2D = tf.sub(
    tf.sub(x, tf.mul(eps, sigmaT * Math.expm1(h))),
    tf.mul(tf.sub(epsR1, eps), (sigmaT / (2 * r1)) * Math.expm1(h)),
  );
  return { x: next, epsR1 };
}

/**
 * DPM-Solver-3 with r₁ = 1/3, r₂ = 2/3: ε̂ at s₁ (as in DPM-Solver-2) and at s₂, where u₂ already
 * uses the first-order difference; the final update uses ε̂_{s₂} − ε̂_s with the φ₂ weight
 * (e^h − 1)/h − 1. Pass `epsR1` when a DPM-Solver-2 with r₁ = 1/3 already computed it.
 */
export function dpmSolver3(
  x: Tensor2D,
  lambdaS: number,
  lambdaT: number,
  eps: Tensor2D,
  epsilonAtLambda: EpsilonAt,
  epsR1?: Tensor2D,
): { x: Tensor2D; epsR2: Tensor2D } {
  const r1 = 1 / 3;
  const r2 = 2 / 3;
  const h = lambdaT - lambdaS;
  const s1 = lambdaS + r1 * h;
  const s2 = lambdaS + r2 * h;
  const eps1 =
    epsR1 ?? epsilonAtLambda(tf.sub(x, tf.mul(eps, sigmaOf(s1) * Math.expm1(r1 * h))), s1);
  const sigmaS2 = sigmaOf(s2);
  const u2: Tensor2D = tf.sub(
    tf.sub(x, tf.mul(eps, sigmaS2 * Math.expm1(r2 * h))),
    tf.mul(tf.sub(eps1, eps), sigmaS2 * (r2 / r1) * (Math.expm1(r2 * h) / (r2 * h) - 1)),
  );
  const eps2 = epsilonAtLambda(u2, s2);
  const sigmaT = sigmaOf(lambdaT);
  const next: Tensor2D = tf.sub(
    tf.sub(x, tf.mul(eps, sigmaT * Math.expm1(h))),
    tf.mul(tf.sub(eps2, eps), (sigmaT / r2) * (Math.expm1(h) / h - 1)),
  );
  return { x: next, epsR2: eps2 };
}

/** DPM-Solver-`order` from λ_s to λ_t, given ε̂_s: order − 1 more NFE. */
export function dpmSolverStep(
  order: number,
  x: Tensor2D,
  lambdaS: number,
  lambdaT: number,
  eps: Tensor2D,
  epsilonAtLambda: EpsilonAt,
): Tensor2D {
  if (order === 1) return dpmSolver1(x, lambdaS, lambdaT, eps);
  if (order === 2) return dpmSolver2(x, lambdaS, lambdaT, eps, epsilonAtLambda).x;
  return dpmSolver3(x, lambdaS, lambdaT, eps, epsilonAtLambda).x;
}
