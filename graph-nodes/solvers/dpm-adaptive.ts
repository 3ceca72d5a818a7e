// DPM-Solver-12 / 23 with adaptive step size (k-diffusion sample_dpm_adaptive; Lu et al. 2022
// §4.3): an embedded pair of singlestep DPM-Solvers in λ = −log σ̃ (orders 1 and 2, or 2 and 3
// sharing their first two ε̂), the difference as the error estimate, and a PID controller on h.
// As in k-diffusion (and ComfyUI's wrapper), one adaptive pass integrates σ_max → σ_min, taken
// from the timestep list's first and last positive levels; the list's inner levels are not used.
// Our lists end at 0, so a last step returns D at σ_min. NFE depends on the tolerances:
// 1 + (order − 1) per attempt (ε̂ at the start of an attempt is reused after a rejection, where
// k-diffusion evaluates it again), plus 1 for the step onto 0.
import type { Tensor2D } from '@tensorflow/tfjs-core';
import {
  dpmSolver1,
  dpmSolver2,
  dpmSolver3,
  epsilonAt,
  toTensor,
  toVector,
  type Vector,
} from './dpm-solver';
import { ancestralStep } from './ancestral';
import { lastPositiveSigma } from './dpm-fast';
import { lambdaOf, sigmaOf } from './lambda-math';
import type { SolverAlgorithm, StepState } from './loop';

/** k-diffusion's defaults for what the Solver node does not expose. */
const H_INIT = 0.05;
const PCOEFF = 0;
const ICOEFF = 1;
const DCOEFF = 0;
const ACCEPT_SAFETY = 0.81;
/** k-diffusion stops within this distance of the end in λ. */
const END_TOLERANCE = 1e-5;
const MAX_ATTEMPTS = 10_000;

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

/** RMS of (x_low − x_high)/max(atol, rtol·max(|x_low|, |x_prev|)) over every coordinate. */
function errorNorm(xLow: Vector, xHigh: Vector, xPrev: Vector, rtol: number, atol: number): number {
  let sum = 0;
  for (let k = 0; k < xLow.length; k++) {
    const scale = Math.max(atol, rtol * Math.max(Math.abs(xLow[k]!), Math.abs(xPrev[k]!)));
    sum += ((xLow[k]! - xHigh[k]!) / scale) ** 2;
  }
  return Math.sqrt(sum / xLow.length);
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
  let x = toVector(state.x);
  let xPrev = x;
  const d = denoised.dataSync();
  let eps: Vector | undefined = x.map((value, k) => (value - d[k]!) / state.sigma);
  for (let attempt = 0; s < lambdaEnd - END_TOLERANCE; attempt++) {
    if (attempt >= MAX_ATTEMPTS) {
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
    const epsS: Vector = (eps ??= epsAt(x, s));
    let xLow: Vector;
    let xHigh: Vector;
    if (order === 2) {
      xLow = dpmSolver1(x, s, tDown, epsS);
      xHigh = dpmSolver2(x, s, tDown, epsS, epsAt).x;
    } else {
      const low = dpmSolver2(x, s, tDown, epsS, epsAt, 1 / 3);
      xLow = low.x;
      xHigh = dpmSolver3(x, s, tDown, epsS, epsAt, low.epsR1).x;
    }
    const error = errorNorm(xLow, xHigh, xPrev, rtol, atol);
    if (!Number.isFinite(error)) {
      throw new Error(`dpm_adaptive: the error estimate is ${error} at σ̃ = ${sigmaOf(s)}`);
    }
    if (pid.propose(error)) {
      xPrev = xLow;
      if (sigmaUp > 0) {
        const z = state.noise.sample(n, dim, sigmaOf(s), sigmaOf(t));
        const noise = z.dataSync();
        z.dispose();
        xHigh = xHigh.map((value, k) => value + sNoise * sigmaUp * noise[k]!);
      }
      x = xHigh;
      eps = undefined;
      s = t;
    }
  }
  return toTensor(x, state.x);
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
