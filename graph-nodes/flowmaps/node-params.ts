// Params shared by the learned flow-map nodes (consistency, CTM, MeanFlow): the weights file, the
// network, the optimiser, and the teacher trajectories they are distilled from.
import { z } from 'zod';
import {
  networkParams,
  optimiserParams,
  sigmaDataParam,
  weightsParam,
} from '../neural/training-params';
import {
  noiseLevel,
  numberIn,
  PARAM_LIMITS,
  requireAbove,
  withParamRules,
} from '../nodes/param-rules';
import type { FlowMapTrainingSettings } from './train-flowmap';

export function learnedFlowMapParams(defaultWeights: string) {
  return withParamRules(
    z.object({
      weights: weightsParam(defaultWeights),
      ...networkParams,
      sigma_data: sigmaDataParam,
      sigma_min: noiseLevel().default(0.002).meta({
        title: 'σ_min (ε)',
        widget: 'number',
        description: 'The lowest noise level the teacher trajectories reach: the data end ε.',
      }),
      sigma_max: noiseLevel().default(80).meta({
        title: 'σ_max',
        widget: 'number',
        description: 'The highest noise level the teacher trajectories start from; above σ_min.',
      }),
      trajectories: numberIn(16, 100_000, { integer: true }).default(4096).meta({
        title: 'Teacher trajectories',
        widget: 'number',
        description:
          'Teacher PF-ODE trajectories (Heun on a Karras grid) the flow map learns from.',
      }),
      levels: numberIn(2, PARAM_LIMITS.steps, { integer: true }).default(40).meta({
        title: 'Teacher levels',
        widget: 'number',
        description: 'Noise levels on each teacher trajectory (Karras ρ = 7 from σ_max to σ_min).',
      }),
      ...optimiserParams,
    }),
    (p, report) => requireAbove(p, 'sigma_max', 'sigma_min', report),
  );
}

export type LearnedFlowMapParams = z.output<ReturnType<typeof learnedFlowMapParams>>;

export function flowMapTrainingSettings(p: LearnedFlowMapParams): FlowMapTrainingSettings {
  return {
    width: p.width,
    depth: p.depth,
    frequencies: p.frequencies,
    sigmaData: p.sigma_data,
    epsilon: p.sigma_min,
    sigmaMax: p.sigma_max,
    trajectories: p.trajectories,
    levels: p.levels,
    steps: p.train_steps,
    batchSize: p.batch_size,
    learningRate: p.learning_rate,
    emaDecay: p.ema_decay,
    seed: p.seed,
  };
}

export const teacherInput = {
  teacher: {
    accepts: ['denoiser'],
    required: false,
    description: 'The denoiser whose PF-ODE is distilled (read by Train only).',
  },
} as const;
