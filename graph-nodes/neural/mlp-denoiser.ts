// The learned denoiser: an MLP F inside EDM preconditioning, trained by denoising score matching
// on a data set (reference §1.2 "conditional tricks"; EDM eq. 2 and Table 1):
//   loss = E_{σ, x₀, ε} λ(σ) ‖D(x₀ + σ ε; σ) − x₀‖²,  ln σ ~ N(P_mean, P_std²),
// written on F's output: D − x₀ = c_out (F − (x₀ − c_skip x̃)/c_out), so the per-row weight on
// ‖F − target‖² is λ(σ) c_out(σ)². It works in x̃, σ̃ like every denoiser here, so one trained
// model serves every schedule.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { createRng } from '../math/rng';
import {
  edmCoefficients,
  edmLossWeight,
  sampleNoiseLevel,
  type NoiseLevelDistribution,
} from './edm-preconditioning';
import {
  disposeLayers,
  initialParameters,
  layersFromParameters,
  mlpForward,
  networkInput,
  type MlpArchitecture,
} from './mlp';
import { embeddingFrequencies } from './time-embedding';
import type { PointShape } from '../core/shapes';
import { trainNetwork, type TrainingHooks, type TrainingResult } from './train';
import { sampleDenoiserPreview } from './training-samples';
import type { LearnedModel } from './weights-file';

export interface NetworkShape {
  readonly width: number;
  readonly depth: number;
  /** Sin/cos pairs per condition. */
  readonly frequencies: number;
}

export interface MlpDenoiserSettings extends NetworkShape, NoiseLevelDistribution {
  readonly sigmaData: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly emaDecay: number;
  readonly seed: number;
}

/** Points [n, dim] as one flat row-major array. */
export interface PointArray {
  readonly values: Float32Array;
  readonly n: number;
  readonly dim: number;
  /** The points' own shape (an image's [1, 28, 28]), where known: previews draw by it. */
  readonly shape?: PointShape;
}

export async function pointArrayOf(points: Tensor2D): Promise<PointArray> {
  const [n, dim] = points.shape;
  return { values: new Float32Array(await points.data<'float32'>()), n, dim };
}

export function architectureFor(
  shape: NetworkShape,
  dim: number,
  conditions: number,
): MlpArchitecture {
  return {
    inputDim: dim,
    conditions,
    frequencies: embeddingFrequencies(shape.frequencies),
    width: shape.width,
    depth: shape.depth,
    outputDim: dim,
  };
}

export function checkTrainingData(data: PointArray, batchSize: number): void {
  if (data.n === 0) throw new Error('the training data holds no points');
  if (!(batchSize >= 1)) throw new Error(`batch_size must be ≥ 1 (got ${batchSize})`);
}

/** The network input for x̃ at per-row noise levels: [c_in x̃, features of c_noise]. */
function denoiserInput(
  arch: MlpArchitecture,
  xTilde: Float32Array,
  sigmas: Float64Array,
  sigmaData: number,
): Tensor2D {
  const n = sigmas.length;
  const dim = arch.inputDim;
  const scaled = new Float32Array(n * dim);
  const noise = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = edmCoefficients(sigmas[i]!, sigmaData);
    for (let k = 0; k < dim; k++) scaled[i * dim + k] = c.cIn * xTilde[i * dim + k]!;
    noise[i] = c.cNoise;
  }
  return networkInput(arch, tf.tensor2d(scaled, [n, dim]), [tf.tensor2d(noise, [n, 1])]);
}

export async function trainMlpDenoiser(
  data: PointArray,
  settings: MlpDenoiserSettings,
  hooks: TrainingHooks = {},
): Promise<LearnedModel & { readonly history: TrainingResult['history'] }> {
  checkTrainingData(data, settings.batchSize);
  const { dim } = data;
  const arch = architectureFor(settings, dim, 1);
  const { sigmaData, batchSize } = settings;
  const rng = createRng(settings.seed);
  const modelOf = (
    parameters: readonly Float32Array[],
    finalLoss: number | null,
  ): LearnedModel => ({
    model: 'mlp-denoiser',
    architecture: arch,
    sigmaData,
    training: { ...settings, finalLoss },
    parameters,
  });
  const result = await trainNetwork(
    arch,
    initialParameters(arch, settings.seed),
    () => {
      const x = new Float32Array(batchSize * dim);
      const target = new Float32Array(batchSize * dim);
      const sigmas = new Float64Array(batchSize);
      const weight = new Float32Array(batchSize);
      for (let i = 0; i < batchSize; i++) {
        const row = Math.floor(rng.uniform() * data.n);
        const sigma = sampleNoiseLevel(rng.normal(), settings);
        const c = edmCoefficients(sigma, sigmaData);
        sigmas[i] = sigma;
        weight[i] = edmLossWeight(sigma, sigmaData) * c.cOut * c.cOut;
        for (let k = 0; k < dim; k++) {
          const x0 = data.values[row * dim + k]!;
          const noisy = x0 + sigma * rng.normal();
          x[i * dim + k] = noisy;
          target[i * dim + k] = (x0 - c.cSkip * noisy) / c.cOut;
        }
      }
      return {
        input: denoiserInput(arch, x, sigmas, sigmaData),
        target: tf.tensor2d(target, [batchSize, dim]),
        weight: tf.tensor1d(weight),
      };
    },
    settings,
    hooks,
    async (parameters) => {
      const denoiser = createMlpDenoiser(modelOf(parameters, null));
      try {
        return await sampleDenoiserPreview(denoiser, data.shape ?? [dim]);
      } finally {
        denoiser.dispose();
      }
    },
  );
  const last = result.history[result.history.length - 1];
  return { ...modelOf(result.parameters, last?.loss ?? null), history: result.history };
}

/** D(x̃; σ̃) = c_skip x̃ + c_out F(c_in x̃, c_noise) with the model's weights. */
export function createMlpDenoiser(model: LearnedModel): Denoiser {
  if (model.model !== 'mlp-denoiser') {
    throw new Error(`these weights are a ${model.model}, not an mlp-denoiser`);
  }
  const arch = model.architecture;
  const layers = layersFromParameters(model.parameters);
  return {
    dim: arch.inputDim,
    denoise(xTilde, sigmaTilde) {
      const c = edmCoefficients(sigmaTilde, model.sigmaData);
      return tf.tidy(() => {
        const n = xTilde.shape[0];
        const input = networkInput(arch, tf.mul(xTilde, c.cIn) as Tensor2D, [
          tf.fill([n, 1], c.cNoise) as Tensor2D,
        ]);
        return tf.add(tf.mul(xTilde, c.cSkip), tf.mul(mlpForward(layers, input), c.cOut));
      });
    },
    dispose() {
      disposeLayers(layers);
    },
  };
}
