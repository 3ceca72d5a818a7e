// The three learned flow-map parameterisations, each an MLP F with sinusoidal time features:
//
// consistency (Song et al. 2023; reference §6): f(x̃, t) = c_skip(t) x̃ + c_out(t) F(c_in x̃, c_noise(t)),
//   c_skip = σ_d²/((t − ε)² + σ_d²), c_out = σ_d (t − ε)/√(σ_d² + t²), so f(x̃, ε) = x̃ exactly.
//   It only maps to the data end: Ψ_{t→0} = f(·, t).
// ctm (Kim et al. 2023): G(x̃, t, s) = (s/t) x̃ + (1 − s/t) g(x̃, t, s), with the EDM inner
//   parameterisation g = c_skip(t) x̃ + c_out(t) F(c_in x̃, c_noise(t), c_noise(s)); g(x̃, t, t) ≈ D.
// meanflow (Geng et al. 2025): the average velocity u(z, r, t) on the rectified-flow path
//   z = (1 − τ) x₀ + τ ε, where τ = σ̃/(1 + σ̃) and z = x̃/(1 + σ̃); Ψ: z_r = z_t − (t − r) u.
//
// t, s, r are noise levels σ̃ (ctm, consistency) or rectified-flow times τ (meanflow, inside).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { FlowMap } from '../core/values';
import { edmCoefficients } from '../neural/edm-preconditioning';
import {
  disposeLayers,
  layersFromParameters,
  mlpForward,
  networkInput,
  type DenseLayer,
  type MlpArchitecture,
} from '../neural/mlp';
import type { LearnedModel } from '../neural/weights-file';
import { checkLevels } from './gaussian';

export type FlowMapKind = 'consistency-flowmap' | 'ctm-flowmap' | 'meanflow-flowmap';

/** Per-row scalars as a column [n, 1]. */
export function column(values: ArrayLike<number>): Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [values.length, 1]);
}

/** Per-row coefficients of the consistency parameterisation at levels t (all ≥ ε). */
export function consistencyCoefficients(t: number, epsilon: number, sigmaData: number) {
  const sd2 = sigmaData * sigmaData;
  return {
    cSkip: sd2 / ((t - epsilon) ** 2 + sd2),
    cOut: (sigmaData * (t - epsilon)) / Math.sqrt(sd2 + t * t),
    cIn: 1 / Math.sqrt(t * t + sd2),
    cNoise: Math.log(t) / 4,
  };
}

/** The per-row affine wrapper out = a ⊙ x + b ⊙ F(input), with a, b columns. */
export interface WrappedNetwork {
  readonly input: Tensor2D;
  readonly a: Tensor2D;
  readonly b: Tensor2D;
}

/** consistency: the network input and wrapper at per-row levels t. Call inside tf.tidy. */
export function consistencyWrapper(
  arch: MlpArchitecture,
  x: Tensor2D,
  t: readonly number[],
  epsilon: number,
  sigmaData: number,
): WrappedNetwork {
  const c = t.map((level) => consistencyCoefficients(Math.max(level, epsilon), epsilon, sigmaData));
  const input = networkInput(arch, tf.mul(x, column(c.map((k) => k.cIn))) as Tensor2D, [
    column(c.map((k) => k.cNoise)),
  ]);
  return { input, a: column(c.map((k) => k.cSkip)), b: column(c.map((k) => k.cOut)) };
}

/** ctm: G(x, t, s) = (s/t) x + (1 − s/t)(c_skip x + c_out F) as a ⊙ x + b ⊙ F. Call inside tf.tidy. */
export function ctmWrapper(
  arch: MlpArchitecture,
  x: Tensor2D,
  t: readonly number[],
  s: readonly number[],
  epsilon: number,
  sigmaData: number,
): WrappedNetwork {
  const c = t.map((level) => edmCoefficients(level, sigmaData));
  const ratio = t.map((level, k) => s[k]! / level);
  const input = networkInput(arch, tf.mul(x, column(c.map((k) => k.cIn))) as Tensor2D, [
    column(c.map((k) => k.cNoise)),
    column(s.map((level) => Math.log(Math.max(level, epsilon)) / 4)),
  ]);
  return {
    input,
    a: column(ratio.map((q, k) => q + (1 - q) * c[k]!.cSkip)),
    b: column(ratio.map((q, k) => (1 - q) * c[k]!.cOut)),
  };
}

/** Rectified-flow time τ = σ̃/(1 + σ̃) of a noise level. */
export const flowTime = (sigma: number): number => sigma / (1 + sigma);

/** meanflow: u(z, r, t) = F(z, t, r), per-row times. Call inside tf.tidy. */
export function meanFlowInput(
  arch: MlpArchitecture,
  z: Tensor2D,
  r: readonly number[],
  t: readonly number[],
): Tensor2D {
  return networkInput(arch, z, [column(t), column(r)]);
}

/** a ⊙ x + b ⊙ F(input). */
export function applyWrapped(
  layers: readonly DenseLayer[],
  x: Tensor2D,
  w: WrappedNetwork,
): Tensor2D {
  return tf.tidy(
    () => tf.add(tf.mul(w.a, x), tf.mul(w.b, mlpForward(layers, w.input))) as Tensor2D,
  );
}

/** The rows' flow-map outputs Ψ_{from→to}(x̃) of a trained model (one network evaluation). */
export function learnedMap(
  kind: FlowMapKind,
  arch: MlpArchitecture,
  layers: readonly DenseLayer[],
  x: Tensor2D,
  from: readonly number[],
  to: readonly number[],
  epsilon: number,
  sigmaData: number,
): Tensor2D {
  return tf.tidy(() => {
    switch (kind) {
      case 'consistency-flowmap':
        return applyWrapped(layers, x, consistencyWrapper(arch, x, from, epsilon, sigmaData));
      case 'ctm-flowmap':
        return applyWrapped(layers, x, ctmWrapper(arch, x, from, to, epsilon, sigmaData));
      case 'meanflow-flowmap': {
        const t = from.map(flowTime);
        const r = to.map(flowTime);
        const z = tf.div(x, column(from.map((level) => 1 + level))) as Tensor2D;
        const u = mlpForward(layers, meanFlowInput(arch, z, r, t));
        const zr = tf.sub(z, tf.mul(column(t.map((tk, k) => tk - r[k]!)), u));
        return tf.mul(zr, column(to.map((level) => 1 + level))) as Tensor2D;
      }
    }
  });
}

/** A FlowMap value from trained weights. */
export function createLearnedFlowMap(model: LearnedModel): FlowMap {
  const kind = model.model;
  if (kind === 'mlp-denoiser') throw new Error('these weights are a denoiser, not a flow map');
  const epsilon = model.epsilon;
  if (epsilon === undefined) throw new Error(`the ${kind} weights do not say their ε (epsilon)`);
  const arch = model.architecture;
  const layers = layersFromParameters(model.parameters);
  return {
    dim: arch.inputDim,
    async map(xTilde, sigmaFrom, sigmaTo, countNfe) {
      checkLevels(sigmaFrom, sigmaTo);
      if (kind === 'consistency-flowmap' && sigmaTo > epsilon) {
        throw new Error(
          `a consistency model only maps to the data end (σ̃ ≤ ${epsilon}), not to σ̃ = ${sigmaTo}; ` +
            'sample it with γ = 1 (multistep consistency sampling)',
        );
      }
      const n = xTilde.shape[0];
      const result = learnedMap(
        kind,
        arch,
        layers,
        xTilde,
        new Array<number>(n).fill(sigmaFrom),
        new Array<number>(n).fill(sigmaTo),
        epsilon,
        model.sigmaData,
      );
      countNfe?.(1);
      return result;
    },
    dispose() {
      disposeLayers(layers);
    },
  };
}
