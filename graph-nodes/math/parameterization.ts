// The one place that converts between what a model predicts (reference §1.1). With the forward
// process x = α x₀ + σ ε at time t (native coordinates, not x̃), every prediction is an affine
// function of x and the denoised estimate D = x̂₀, and back:
//
//   prediction   from D                                 to D
//   x0           D                                      output
//   epsilon      ε̂ = (x − α D)/σ                        (x − σ ε̂)/α
//   score        s = (α D − x)/σ²                       (x + σ² s)/α            (Tweedie)
//   v            v = α ε̂ − σ D                          (α x − σ v)/(α² + σ²)
//   velocity     u = α̇ D + σ̇ ε̂                          (σ̇ x − σ u)/(α σ̇ − σ α̇)
//
// 'v' is Salimans & Ho's v (diffusers "v_prediction"). It is defined for VP (α² + σ² = 1), where
// the inverse is α x − σ v; the α² + σ² denominator makes it the exact inverse of v = α ε̂ − σ D on
// any schedule, so the pair stays consistent everywhere. 'velocity' is the flow-matching /
// PF-ODE velocity dx/dt (diffusers "flow_prediction" on rectified flow: D = x − t u).
//
// Coefficients are formed in float64 and each conversion is one a·x + b·output tensor expression,
// so float32 rounding happens once.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser, Schedule } from '../core/values';

export const PREDICTIONS = ['x0', 'epsilon', 'score', 'v', 'velocity'] as const;
export type Prediction = (typeof PREDICTIONS)[number];

/** The schedule at one time t: x = α x₀ + σ ε and its time derivatives. */
export interface Coefficients {
  readonly alpha: number;
  readonly sigma: number;
  readonly alphaDot: number;
  readonly sigmaDot: number;
}

export function coefficientsAt(schedule: Schedule, t: number): Coefficients {
  return {
    alpha: schedule.alpha(t),
    sigma: schedule.sigma(t),
    alphaDot: schedule.alphaDot(t),
    sigmaDot: schedule.sigmaDot(t),
  };
}

/** result = fromX·x + fromOutput·output. */
interface Affine {
  readonly fromX: number;
  readonly fromOutput: number;
}

/** D = fromX·x + fromOutput·(the model's output). */
function denoisedFrom(prediction: Prediction, c: Coefficients): Affine {
  const { alpha, sigma, alphaDot, sigmaDot } = c;
  switch (prediction) {
    case 'x0':
      return { fromX: 0, fromOutput: 1 };
    case 'epsilon':
      return { fromX: 1 / alpha, fromOutput: -sigma / alpha };
    case 'score':
      return { fromX: 1 / alpha, fromOutput: (sigma * sigma) / alpha };
    case 'v': {
      const norm = alpha * alpha + sigma * sigma;
      return { fromX: alpha / norm, fromOutput: -sigma / norm };
    }
    case 'velocity': {
      // Δ = α σ̇ − σ α̇ is the Wronskian of (α, σ); > 0 whenever the noise fraction grows with t.
      const wronskian = alpha * sigmaDot - sigma * alphaDot;
      return { fromX: sigmaDot / wronskian, fromOutput: -sigma / wronskian };
    }
  }
}

/** The model's output = fromX·x + fromOutput·D. */
function predictionFrom(prediction: Prediction, c: Coefficients): Affine {
  const { alpha, sigma, alphaDot, sigmaDot } = c;
  switch (prediction) {
    case 'x0':
      return { fromX: 0, fromOutput: 1 };
    case 'epsilon':
      return { fromX: 1 / sigma, fromOutput: -alpha / sigma };
    case 'score':
      return { fromX: -1 / (sigma * sigma), fromOutput: alpha / (sigma * sigma) };
    case 'v':
      // α(x − α D)/σ − σ D
      return { fromX: alpha / sigma, fromOutput: -(alpha * alpha + sigma * sigma) / sigma };
    case 'velocity':
      // α̇ D + σ̇ (x − α D)/σ
      return { fromX: sigmaDot / sigma, fromOutput: alphaDot - (sigmaDot * alpha) / sigma };
  }
}

function checkedAffine(affine: Affine, what: string, c: Coefficients): Affine {
  if (!Number.isFinite(affine.fromX) || !Number.isFinite(affine.fromOutput)) {
    throw new Error(
      `${what} is undefined at α = ${c.alpha}, σ = ${c.sigma}, α̇ = ${c.alphaDot}, σ̇ = ${c.sigmaDot} ` +
        '(a division by zero); use a time strictly inside the schedule, or another prediction type',
    );
  }
  return affine;
}

function applyAffine(affine: Affine, x: Tensor2D, output: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    if (affine.fromX === 0) return tf.mul(output, affine.fromOutput);
    return tf.add(tf.mul(x, affine.fromX), tf.mul(output, affine.fromOutput));
  });
}

/** x̂₀ from a model's `output` of type `prediction` at native x. Returns a new tensor. */
export function toDenoised(
  prediction: Prediction,
  output: Tensor2D,
  x: Tensor2D,
  c: Coefficients,
): Tensor2D {
  const affine = checkedAffine(
    denoisedFrom(prediction, c),
    `x̂₀ from a ${prediction} prediction`,
    c,
  );
  return applyAffine(affine, x, output);
}

/** The `prediction` that corresponds to the denoised estimate D at native x. Returns a new tensor. */
export function fromDenoised(
  prediction: Prediction,
  denoised: Tensor2D,
  x: Tensor2D,
  c: Coefficients,
): Tensor2D {
  const affine = checkedAffine(predictionFrom(prediction, c), `a ${prediction} prediction`, c);
  return applyAffine(affine, x, denoised);
}

/** Re-expresses a prediction of one type as another, through D. */
export function convertPrediction(
  from: Prediction,
  to: Prediction,
  output: Tensor2D,
  x: Tensor2D,
  c: Coefficients,
): Tensor2D {
  if (from === to) return output.clone();
  return tf.tidy(() => fromDenoised(to, toDenoised(from, output, x, c), x, c));
}

export interface ModelDenoiserOptions {
  /** The model in its own coordinates: native x = α x̃ at time t. Returns a new tensor. */
  readonly predict: (x: Tensor2D, t: number) => Tensor2D;
  readonly prediction: Prediction;
  readonly schedule: Schedule;
  readonly dim: number;
  /** The layout the model's points have, when it has one (Denoiser.shape). */
  readonly shape?: readonly number[];
  /** Frees the model, if the denoiser owns it. */
  readonly dispose?: () => void;
}

/**
 * Adapts a model that works in native (x, t) to the scaled D(x̃; σ̃) the solvers call:
 * t = t(σ̃), x = α(t) x̃, and its output converted to x̂₀ (which is the same in both coordinates).
 */
export function denoiserFromModel(options: ModelDenoiserOptions): Denoiser {
  const { predict, prediction, schedule, dim } = options;
  return {
    dim,
    ...(options.shape ? { shape: options.shape } : {}),
    denoise(xTilde: Tensor2D, sigmaTilde: number): Tensor2D {
      const t = schedule.tOfSigmaTilde(sigmaTilde);
      if (!Number.isFinite(t)) {
        throw new Error(
          `the ${schedule.name} schedule has no time for σ̃ = ${sigmaTilde}; ` +
            'use timesteps inside the schedule the model was trained with',
        );
      }
      const c = coefficientsAt(schedule, t);
      // Checked before the model runs, so an impossible conversion costs no evaluation.
      const affine = checkedAffine(
        denoisedFrom(prediction, c),
        `x̂₀ from a ${prediction} prediction at σ̃ = ${sigmaTilde} (t = ${t})`,
        c,
      );
      return tf.tidy(() => {
        const x = tf.mul(xTilde, c.alpha) as Tensor2D;
        return applyAffine(affine, x, predict(x, t));
      });
    },
    dispose() {
      options.dispose?.();
    },
  };
}
