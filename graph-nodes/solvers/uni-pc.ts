// UniPC (Zhao et al. 2023; diffusers UniPCMultistepScheduler with predict_x0, ComfyUI uni_pc /
// uni_pc_bh2): a multistep predictor (UniP-p) in λ = −log σ̃ on the data prediction m = D, and a
// corrector (UniC) that, once m_t at the predicted point is known, redoes the step with m_t as one
// more interpolation node, raising the order by one for free: the corrector reuses the m_t that
// the next predictor needs anyway. In x̃ (α divided out), with h = λ_t − λ_s, hh = −h:
//   x̃_t = (σ̃_t/σ̃_s)x̃_s − (e^{hh} − 1)m₀ − B(h)·Σ_k ρ_k D1_k,   D1_k = (m_k − m₀)/r_k,
// r_k = (λ_{s_k} − λ_s)/h, B(h) = hh (bh1) or e^{hh} − 1 (bh2), ρ from R ρ = b with R_{kj} = r_j^{k−1}.
//
// In the step interface the corrector of step i − 1 runs at the start of step i, after m_i is
// evaluated at the predicted x̃_i: the frame at σ̃_i shows the predicted point, and m_i (kept in
// the history) is the model output at it, as in diffusers. The order ramps up as history builds
// and, as diffusers' lower_order_final, goes down to N − i over the last steps; the step onto
// σ̃ = 0 returns m there. 1 NFE per step: N.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { solveLinearSystem } from '../math/small-linear';
import { lambdaOf } from './lambda-math';
import type { PastDenoised, SolverAlgorithm, StepState } from './loop';
import type { UniPcVariant } from './settings';

export interface UniPcCoefficients {
  /** e^{hh} − 1 = hφ₁ with hh = −h. */
  readonly phi1: number;
  readonly bh: number;
  /** UniP's weights for D1_1 … D1_{p−1}. */
  readonly rhoPredictor: readonly number[];
  /** UniC's weights for D1_1 … D1_{p−1} and, last, for m_t − m₀. */
  readonly rhoCorrector: readonly number[];
}

/** The coefficients of UniPC-p over a step of length h in λ, with the past nodes at ratios rks. */
export function uniPcCoefficients(
  h: number,
  rks: readonly number[],
  variant: UniPcVariant,
): UniPcCoefficients {
  const order = rks.length + 1;
  const hh = -h;
  const phi1 = Math.expm1(hh);
  const bh = variant === 'bh1' ? hh : phi1;
  const nodes = [...rks, 1];
  const R = Array.from({ length: order }, (_, k) => nodes.map((r) => r ** k));
  // b_k = k!·hφ_{k+1}(hh)/B(h), with hφ_{k+1} from the recursion φ_{k+1} = (φ_k − 1/k!)/hh.
  const b: number[] = [];
  let phiK = phi1 / hh - 1;
  let factorial = 1;
  for (let k = 1; k <= order; k++) {
    b.push((phiK * factorial) / bh);
    factorial *= k + 1;
    phiK = phiK / hh - 1 / factorial;
  }
  const rhoPredictor =
    order === 1
      ? []
      : order === 2
        ? [0.5] // diffusers' simplified UniP-2
        : solveLinearSystem(
            R.slice(0, -1).map((row) => row.slice(0, -1)),
            b.slice(0, -1),
          );
  const rhoCorrector = order === 1 ? [0.5] : solveLinearSystem(R, b);
  return { phi1, bh, rhoPredictor, rhoCorrector };
}

/** p_i = min(order, i + 1, N − i): warm-up at the start, diffusers' lower_order_final at the end. */
export function uniPcOrderAt(i: number, steps: number, order: number): number {
  return Math.min(order, i + 1, steps - i);
}

/** The past nodes of a step starting at λ_s: ratios r_k and differences D1_k = (m_k − m₀)/r_k. */
function pastDifferences(
  past: readonly PastDenoised[],
  m0: Tensor2D,
  lambdaS: number,
  h: number,
): { rks: number[]; d1s: Tensor2D[] } {
  const rks = past.map((entry) => (lambdaOf(entry.sigma) - lambdaS) / h);
  const d1s = past.map((entry, k): Tensor2D => tf.div(tf.sub(entry.denoised, m0), rks[k]!));
  return { rks, d1s };
}

function weightedSum(
  tensors: readonly Tensor2D[],
  weights: readonly number[],
  like: Tensor2D,
): Tensor2D {
  return tensors.reduce<Tensor2D>(
    (sum, t, k) => tf.add(sum, tf.mul(t, weights[k]!)),
    tf.zerosLike(like),
  );
}

/**
 * UniC for the step i − 1 → i: the predicted x̃_i plus the difference between the corrector's
 * and the predictor's updates (both start from the same corrected x̃_{i−1}, so it cancels).
 */
function correct(state: StepState, denoised: Tensor2D, order: number): Tensor2D {
  const { history, sigmas, i, settings } = state;
  const previous = history[0]!;
  const lambdaS = lambdaOf(previous.sigma);
  const h = lambdaOf(sigmas[i]!) - lambdaS;
  const { rks, d1s } = pastDifferences(history.slice(1, order), previous.denoised, lambdaS, h);
  const { bh, rhoPredictor, rhoCorrector } = uniPcCoefficients(h, rks, settings.variant);
  const rhoDifference = rhoPredictor.map((rho, k) => rho - rhoCorrector[k]!);
  const lastWeight = rhoCorrector[rhoCorrector.length - 1]!;
  const change = tf.sub(
    weightedSum(d1s, rhoDifference, state.x),
    tf.mul(tf.sub(denoised, previous.denoised), lastWeight),
  );
  return tf.add(state.x, tf.mul(change, bh));
}

/** UniP-p from x̃ at σ̃_i with m₀ = D there. */
function predict(state: StepState, x: Tensor2D, denoised: Tensor2D, order: number): Tensor2D {
  const { sigma, sigmaNext, history, settings } = state;
  const lambdaS = lambdaOf(sigma);
  const h = lambdaOf(sigmaNext) - lambdaS;
  const { rks, d1s } = pastDifferences(history.slice(0, order - 1), denoised, lambdaS, h);
  const { phi1, bh, rhoPredictor } = uniPcCoefficients(h, rks, settings.variant);
  const linear = tf.sub(tf.mul(x, sigmaNext / sigma), tf.mul(denoised, phi1));
  return tf.sub(linear, tf.mul(weightedSum(d1s, rhoPredictor, x), bh));
}

export const uniPc: SolverAlgorithm = {
  name: 'uni_pc',
  title: 'UniPC',
  order: 3,
  maxOrder: 3,
  nfe: 'N',
  params: ['order', 'variant'],
  defaults: { order: 3, variant: 'bh2' },
  historyLength: 3,
  step(state) {
    const { i, steps, settings } = state;
    const denoised = state.denoise(state.x, state.sigma);
    if (state.sigmaNext === 0) return { x: denoised, denoised };
    const corrected =
      i > 0 ? correct(state, denoised, uniPcOrderAt(i - 1, steps, settings.order)) : state.x;
    return {
      x: predict(state, corrected, denoised, uniPcOrderAt(i, steps, settings.order)),
      denoised,
    };
  },
};
