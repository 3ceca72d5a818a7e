// Singlestep DPM-Solver-1/2/3 (Lu et al. 2022, Alg. 1 and 2) in ε form with α = 1, i.e. in x̃:
// x̃_t = x̃_s − σ̃_t(e^h − 1)ε̂_s − (higher-order corrections from ε̂ at intermediate λ), h = λ_t − λ_s.
// Shared by dpm_fast and dpm_adaptive (k-diffusion's DPMSolver class).
//
// The state is kept in float64 arrays; only the denoiser runs on tensors. dpm_adaptive's PID
// controller turns float32 rounding in its error estimate into different step sizes, and its
// result depends on them at the 1e-3 level, so these two solvers do their own arithmetic exactly.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { sigmaOf } from './lambda-math';
import type { StepState } from './loop';

export type Vector = Float64Array;

/** ε̂(x̃, λ), one NFE per call. */
export type EpsilonAt = (x: Vector, lambda: number) => Vector;

/** ε̂ = (x̃ − D)/σ̃ with D from the state's (counted) denoiser. */
export function epsilonAt(state: StepState): EpsilonAt {
  const [n, dim] = state.x.shape;
  return (x, lambda) => {
    const sigma = sigmaOf(lambda);
    const denoised = tf.tidy(() =>
      state.denoise(tf.tensor2d(Float32Array.from(x), [n, dim]), sigma),
    );
    const d = denoised.dataSync();
    denoised.dispose();
    return x.map((value, k) => (value - d[k]!) / sigma);
  };
}

export function toVector(tensor: Tensor2D): Vector {
  return Float64Array.from(tensor.dataSync());
}

export function toTensor(x: Vector, like: Tensor2D): Tensor2D {
  return tf.tensor2d(Float32Array.from(x), like.shape);
}

/** x − a·ε − b·(ε₁ − ε), elementwise. */
function combine(x: Vector, a: number, eps: Vector, b = 0, eps1?: Vector): Vector {
  return x.map((value, k) => value - a * eps[k]! - (eps1 ? b * (eps1[k]! - eps[k]!) : 0));
}

/** DPM-Solver-1 (≡ DDIM ≡ Euler in x̃): x̃_t = x̃ − σ̃_t(e^h − 1)ε̂_s. */
export function dpmSolver1(x: Vector, lambdaS: number, lambdaT: number, eps: Vector): Vector {
  return combine(x, sigmaOf(lambdaT) * Math.expm1(lambdaT - lambdaS), eps);
}

/**
 * DPM-Solver-2: one extra ε̂ at s₁ = λ_s + r₁h; x̃_t = x̃ − σ̃_t(e^h − 1)ε̂_s −
 * (σ̃_t/(2r₁))(e^h − 1)(ε̂_{s₁} − ε̂_s). Returns ε̂_{s₁} too, for a DPM-Solver-3 with the same r₁.
 */
export function dpmSolver2(
  x: Vector,
  lambdaS: number,
  lambdaT: number,
  eps: Vector,
  epsilonAtLambda: EpsilonAt,
  r1 = 1 / 2,
): { x: Vector; epsR1: Vector } {
  const h = lambdaT - lambdaS;
  const s1 = lambdaS + r1 * h;
  const epsR1 = epsilonAtLambda(combine(x, sigmaOf(s1) * Math.expm1(r1 * h), eps), s1);
  const sigmaT = sigmaOf(lambdaT);
  const next = combine(x, sigmaT * Math.expm1(h), eps, (sigmaT / (2 * r1)) * Math.expm1(h), epsR1);
  return { x: next, epsR1 };
}

/**
 * DPM-Solver-3 with r₁ = 1/3, r₂ = 2/3: ε̂ at s₁ (as in DPM-Solver-2) and at s₂, where u₂ already
 * uses the first-order difference; the final update uses ε̂_{s₂} − ε̂_s with the φ₂ weight
 * (e^h − 1)/h − 1. Pass `epsR1` when a DPM-Solver-2 with r₁ = 1/3 already computed it.
 */
export function dpmSolver3(
  x: Vector,
  lambdaS: number,
  lambdaT: number,
  eps: Vector,
  epsilonAtLambda: EpsilonAt,
  epsR1?: Vector,
): { x: Vector; epsR2: Vector } {
  const r1 = 1 / 3;
  const r2 = 2 / 3;
  const h = lambdaT - lambdaS;
  const s1 = lambdaS + r1 * h;
  const s2 = lambdaS + r2 * h;
  const eps1 = epsR1 ?? epsilonAtLambda(combine(x, sigmaOf(s1) * Math.expm1(r1 * h), eps), s1);
  const sigmaS2 = sigmaOf(s2);
  const u2 = combine(
    x,
    sigmaS2 * Math.expm1(r2 * h),
    eps,
    sigmaS2 * (r2 / r1) * (Math.expm1(r2 * h) / (r2 * h) - 1),
    eps1,
  );
  const epsR2 = epsilonAtLambda(u2, s2);
  const sigmaT = sigmaOf(lambdaT);
  const next = combine(
    x,
    sigmaT * Math.expm1(h),
    eps,
    (sigmaT / r2) * (Math.expm1(h) / h - 1),
    epsR2,
  );
  return { x: next, epsR2 };
}

/** DPM-Solver-`order` from λ_s to λ_t, given ε̂_s: order − 1 more NFE. */
export function dpmSolverStep(
  order: number,
  x: Vector,
  lambdaS: number,
  lambdaT: number,
  eps: Vector,
  epsilonAtLambda: EpsilonAt,
): Vector {
  if (order === 1) return dpmSolver1(x, lambdaS, lambdaT, eps);
  if (order === 2) return dpmSolver2(x, lambdaS, lambdaT, eps, epsilonAtLambda).x;
  return dpmSolver3(x, lambdaS, lambdaT, eps, epsilonAtLambda).x;
}
