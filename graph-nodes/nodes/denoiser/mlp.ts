// A learned denoiser: an MLP inside EDM preconditioning, trained in the app (or by
// `principia train`) on a data set, and loaded from its weights file when the graph runs.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { createMlpDenoiser, type MlpDenoiserSettings } from '../../neural/mlp-denoiser';
import {
  checkNetworkMatches,
  networkParams,
  optimiserParams,
  sigmaDataParam,
  weightsParam,
} from '../../neural/training-params';
import { loadTrainedWeights } from '../../neural/load-trained';
import { numberIn } from '../param-rules';

// Training draws ln σ ~ N(P_mean, P_std²): beyond ±10 (σ ≈ 4.5e-5 … 2.2e4) it would train on noise
// levels no graph samples at, and σ = e^(P_mean + P_std·z) must stay finite.
const MAX_LOG_SIGMA = 10;

const params = z.object({
  weights: weightsParam('weights/denoiser.json'),
  ...networkParams,
  sigma_data: sigmaDataParam,
  p_mean: numberIn(-MAX_LOG_SIGMA, MAX_LOG_SIGMA).default(-1.2).meta({
    title: 'P_mean',
    widget: 'number',
    description: 'Training noise levels: ln σ ~ N(P_mean, P_std²).',
  }),
  p_std: numberIn(0, MAX_LOG_SIGMA, { aboveMin: true }).default(1.2).meta({
    title: 'P_std',
    widget: 'number',
    description: 'Training noise levels: ln σ ~ N(P_mean, P_std²).',
  }),
  ...optimiserParams,
});
export type MlpDenoiserParams = z.output<typeof params>;

export function mlpDenoiserSettings(p: MlpDenoiserParams): MlpDenoiserSettings {
  return {
    width: p.width,
    depth: p.depth,
    frequencies: p.frequencies,
    sigmaData: p.sigma_data,
    pMean: p.p_mean,
    pStd: p.p_std,
    steps: p.train_steps,
    batchSize: p.batch_size,
    learningRate: p.learning_rate,
    emaDecay: p.ema_decay,
    seed: p.seed,
  };
}

export default defineNode({
  type: 'mlp-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'MLP denoiser (learned)',
  description:
    'A small neural denoiser: an MLP with sinusoidal noise-level features inside EDM ' +
    'preconditioning, trained by denoising score matching on the data input (Train), saved ' +
    'beside the graph and loaded from there when the graph runs.',
  section: 'book §3.3 (DSM), App. D.6 (EDM preconditioning)',
  formula:
    'D(x̃; σ) = c_skip x̃ + c_out F(c_in x̃, ln σ / 4);  loss E λ(σ)‖D(x₀ + σε; σ) − x₀‖², ' +
    'ln σ ~ N(P_mean, P_std²)',
  inputs: {
    data: {
      accepts: ['dataset', 'samples'],
      required: false,
      description: 'The training data (read by Train only; running needs the weights file).',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'D(x̃; σ̃) of the trained network.' },
  },
  params,
  async run(_inputs, ctx) {
    const p = ctx.params;
    const model = await loadTrainedWeights(ctx.files, p.weights, 'mlp-denoiser', ctx.nodeId);
    checkNetworkMatches(p, model.architecture, p.weights);
    return { denoiser: createMlpDenoiser(model) };
  },
});
