// Fresh noise for ancestral and SDE samplers, and why k-diffusion's α = 1 formulas are exact for
// every schedule here.
//
// Why no α appears (reference pitfall 11). Solvers step x̃ = x/α at σ̃ = σ/α. The forward process
// reads x̃_t = x₀ + σ̃_t ε for any (α, σ), so in x̃ every schedule is the VE process with noise
// level σ̃: the posterior q(x̃_{t'} | x̃_t, x₀) of DDPM/DDIM is N(x₀ + √(σ̃'² − σ̃_up²)·ε̂, σ̃_up²)
// with σ̃_up² = η²·σ̃'²(σ̃² − σ̃'²)/σ̃², and the reverse-SDE family
//   dx = [f x − ½(1 + η²) g² ∇ₓ log p] dt + η g dw̄,   g² = d(σ²)/dt − 2fσ² = α² d(σ̃²)/dt,
// becomes, with x̃ = x/α and ∇ₓ = ∇_x̃/α,
//   dx̃ = −½(1 + η²) ∇_x̃ log p̃ d(σ̃²) + η dW(σ̃²),
// the VE equation in σ̃. So a sampler written for α = 1 and run on (x̃, σ̃) is exact: its noise
// σ̃_up·z in x̃ is α'σ̃_up·z = σ_η z in x, the true-α re-noising that ComfyUI's `_RF` variants
// add by hand because they run in x with σ := t. ddim and ddpm take the other route, stepping x
// itself with the true α (state.alphas); the tests check that both routes agree.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { StepState } from './loop';

/**
 * k-diffusion get_ancestral_step: split σ̃ → σ̃' into a deterministic step down to σ̃_down and
 * fresh noise of scale σ̃_up, with σ̃_down² + σ̃_up² = σ̃'². η = 0 is the ODE step.
 */
export function ancestralStep(
  sigma: number,
  sigmaNext: number,
  eta: number,
): { sigmaDown: number; sigmaUp: number } {
  if (eta === 0) return { sigmaDown: sigmaNext, sigmaUp: 0 };
  const sigmaUp = Math.min(
    sigmaNext,
    eta * Math.sqrt((sigmaNext ** 2 * (sigma ** 2 - sigmaNext ** 2)) / sigma ** 2),
  );
  return { sigmaDown: Math.sqrt(sigmaNext ** 2 - sigmaUp ** 2), sigmaUp };
}

/**
 * x + s_noise·scale·z with z the step's Brownian increment (W(σ̃_{i+1}) − W(σ̃_i))/√|Δσ̃|;
 * x unchanged, and no draw, when scale = 0.
 */
export function addStepNoise(state: StepState, x: Tensor2D, scale: number): Tensor2D {
  if (scale === 0) return x;
  const [n, dim] = x.shape;
  const z = state.noise.sample(n, dim, state.sigma, state.sigmaNext);
  return tf.add(x, tf.mul(z, state.settings.sNoise * scale));
}
