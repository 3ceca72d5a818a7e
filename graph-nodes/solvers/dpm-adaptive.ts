// DPM-Solver-12 / 23 with adaptive step size (k-diffusion sample_dpm_adaptive; Lu et al. 2022
// §4.3): an embedded pair of singlestep DPM-Solvers in λ = −log σ̃ (orders 1 and 2, or 2 and 3
// sharing their first two ε̂), the difference as the error estimate, and a PID controller on h.
// As in k-diffusion (and ComfyUI's wrapper), one adaptive pass integrates σ_max → σ_min, taken
// from the timestep list's first and last positive levels; the list's inner levels are not used.
// Our lists end at 0, so a last step returns D at σ_min. NFE depends on the tolerances:
// 1 + (order − 1) per attempt (ε̂ at the start of an attempt is reused after a rejection, where
// k-diffusion evaluates it again), plus 1 for the step onto 0.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { dpmSolver1, dpmSolver2, dpmSolver3, epsilonAt } from './dpm-solver';
import { ancestralStep } from './ancestral';
import { lastPositiveSigma } from './dpm-fast';
import { epsilonOf, lambdaOf, sigmaOf } from './lambda-math';
import type { SolverAlgorithm, StepState } from './loop';

/** k-diffusion's defaults for what the Solver node does not expose. */
const H_INIT = 0.05;
const PCOEFF = 0;
const ICOEFF = 1;
const DCOEFF = 0;
const ACCEPT_SAFETY = 0.81;
/** k-diffusion stops within this distance of the end in λ. */
const END_TOLERANCE = 1e-5;
const MAX_ATTEMPTS_PER_INTERVAL = 10_000;

/**
 * A PID step-size controller (k-diffusion PIDStepSizeController; Söderlind 2003) on the inverse
 * error; the arctan limiter keeps the change of h per step between about 0.2 and 2.6.
 */
export function pidController(h: number, order: number) {
  const b1 = (PCOEFF + ICOEFF + DCOEFF) / order;
  const b2 = -(PCOEFF + 2 * DCOEFF) / order;
  const b3 = DCOEFF / order;
  let errs: number[] = [];
  return {
    get h() {
      return h;
    },
    /** Scales h by the error of the attempt just made; returns whether to accept it. */
    propose(error: number): boolean {
      const invError = 1 / (error + 1e-8);
      if (errs.length === 0) errs = [invError, invError, invError];
      errs[0] = invError;
      const factor = 1 + Math.atan(errs[0] ** b1 * errs[1]! ** b2 * errs[2]! ** b3 - 1);
      const accept = factor >= ACCEPT_SAFETY;
      if (accept) errs = [errs[0], errs[0], errs[1]!];
      h *= factor;
      return accept;
    },
  };
}

/**
 * RMS of (x_low − x_high)/max(atol, rtol·max(|x_low|, |x_prev|)) over every coordinate. The
 * difference is passed in directly (it is a combination of ε̂ differences), because x_low − x_high
 * formed from two float32 states cancels to rounding noise while the error is tiny, and the PID
 * controller turns that noise into different step sizes.
 */
function errorNorm(
  difference: Tensor2D,
  xLow: Tensor2D,
  xPrev: Tensor2D,
  rtol: number,
  atol: number,
) {
  return tf.tidy(() => {
    const scale = tf.maximum(tf.mul(tf.maximum(tf.abs(xLow), tf.abs(xPrev)), rtol), atol);
    const ratio = tf.div(difference, scale);
    return tf.sqrt(tf.mean(tf.square(ratio))).dataSync()[0]!;
  });
}

/** Integrates [σ̃_i, σ̃_{i+1}] (σ_max → σ_min) adaptively; returns x̃ at σ̃_{i+1}. */
function integrateInterval(state: StepState, denoised: Tensor2D): Tensor2D {
  const { settings } = state;
  const { order, eta, rtol, atol, sNoise } = settings;
  if (order !== 2 && order !== 3) {
    throw new Error(`dpm_adaptive: order must be 2 or 3 (got ${order})`);
  }
  const [n, dim] = state.x.shape;
  const epsAt = epsilonAt(state);
  const lambdaEnd = lambdaOf(state.sigmaNext);
  const pid = pidController(H_INIT, eta > 0 ? 1.5 : order);
  let s = lambdaOf(state.sigma);
  let x = state.x;
  let xPrev = state.x;
  let eps: Tensor2D | undefined = epsilonOf(state.x, denoised, state.sigma);
  const keep = (tensor: Tensor2D, old: Tensor2D) => {
    if (old !== state.x && old !== tensor) old.dispose();
    return tensor;
  };
  for (let attempt = 0; s < lambdaEnd - END_TOLERANCE; attempt++) {
    if (attempt >= MAX_ATTEMPTS_PER_INTERVAL) {
      throw new Error(
        `dpm_adaptive: no progress after ${attempt} attempts at σ̃ = ${sigmaOf(s)}; ` +
          'loosen rtol/atol or check the denoiser',
      );
    }
    const t = Math.min(lambdaEnd, s + pid.h);
    let tDown = t;
    let sigmaUp = 0;
    if (eta > 0) {
      const { sigmaDown } = ancestralStep(sigmaOf(s), sigmaOf(t), eta);
      tDown = Math.min(lambdaEnd, lambdaOf(sigmaDown));
      sigmaUp = Math.sqrt(Math.max(sigmaOf(t) ** 2 - sigmaOf(tDown) ** 2, 0));
    }
    const epsS = (eps ??= epsAt(x, s));
    const [xLow, xHigh, difference] = tf.tidy((): [Tensor2D, Tensor2D, Tensor2D] => {
      const h = tDown - s;
      const sigmaT = sigmaOf(tDown);
      if (order === 2) {
        // x_low − x_high = σ̃_t(e^h − 1)(ε̂_{s₁} − ε̂_s) with r₁ = 1/2.
        const high = dpmSolver2(x, s, tDown, epsS, epsAt);
        const difference: Tensor2D = tf.mul(tf.sub(high.epsR1, epsS), sigmaT * Math.expm1(h));
        return [dpmSolver1(x, s, tDown, epsS), high.x, difference];
      }
      // x_low − x_high = −(σ̃_t/(2r₁))(e^h − 1)(ε̂_{s₁} − ε̂_s) + (σ̃_t/r₂)((e^h − 1)/h − 1)(ε̂_{s₂} − ε̂_s),
      // with r₁ = 1/3, r₂ = 2/3.
      const low = dpmSolver2(x, s, tDown, epsS, epsAt, 1 / 3);
      const high = dpmSolver3(x, s, tDown, epsS, epsAt, low.epsR1);
      const difference: Tensor2D = tf.sub(
        tf.mul(tf.sub(high.epsR2, epsS), (sigmaT / (2 / 3)) * (Math.expm1(h) / h - 1)),
        tf.mul(tf.sub(low.epsR1, epsS), (sigmaT / (2 / 3)) * Math.expm1(h)),
      );
      return [low.x, high.x, difference];
    });
    const error = errorNorm(difference, xLow, xPrev, rtol, atol);
    difference.dispose();
    if (!Number.isFinite(error)) {
      throw new Error(`dpm_adaptive: the error estimate is ${error} at σ̃ = ${sigmaOf(s)}`);
    }
    if (pid.propose(error)) {
      xPrev = keep(xLow, xPrev);
      const noisy =
        sigmaUp > 0
          ? tf.tidy((): Tensor2D =>
              tf.add(
                xHigh,
                tf.mul(state.noise.sample(n, dim, sigmaOf(s), sigmaOf(t)), sNoise * sigmaUp),
              ),
            )
          : xHigh;
      if (noisy !== xHigh) xHigh.dispose();
      x = keep(noisy, x);
      epsS.dispose();
      eps = undefined;
      s = t;
    } else {
      tf.dispose([xLow, xHigh]);
    }
  }
  eps?.dispose();
  if (xPrev !== state.x && xPrev !== x) xPrev.dispose();
  return x;
}

export const dpmAdaptive: SolverAlgorithm = {
  name: 'dpm_adaptive',
  title: 'DPM-Solver adaptive',
  order: 3,
  maxOrder: 3,
  nfe: 'adaptive: 1 + (order − 1) per attempt, plus 1 for the step onto 0',
  params: ['order', 'rtol', 'atol', 'eta', 's_noise', 'seed'],
  defaults: { order: 3, rtol: 0.05, atol: 0.0078, eta: 0 },
  historyLength: 0,
  prepare: (sigmas) => {
    const sigmaMin = lastPositiveSigma(sigmas);
    const sigmaMax = sigmas[0]!;
    return sigmaMin < sigmaMax ? { sigmas: Float64Array.of(sigmaMax, sigmaMin, 0) } : { sigmas };
  },
  step(state) {
    const denoised = state.denoise(state.x, state.sigma);
    if (state.sigmaNext === 0) return { x: denoised, denoised };
    return { x: integrateInterval(state, denoised), denoised };
  },
};
