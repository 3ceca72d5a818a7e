// Node params shared by every trainable node (MLP denoiser, learned flow maps): the weights file,
// the network's shape and the optimiser settings. One definition, so the app's Train action and
// the CLI's `train` read the same names everywhere.
import { z } from 'zod';
import { numberIn, PARAM_LIMITS } from '../nodes/param-rules';

export function weightsParam(defaultPath: string) {
  return z
    .string()
    .default(defaultPath)
    .meta({
      title: 'Weights',
      widget: 'file',
      access: 'read-write',
      extensions: ['.json'],
      description:
        'The weights manifest (.json, with its .bin beside it), relative to the graph file. ' +
        'Training writes it; running reads it.',
    });
}

export const networkParams = {
  width: numberIn(4, 1024, { integer: true }).default(128).meta({
    title: 'Width',
    widget: 'number',
    description: 'Units per hidden layer.',
  }),
  depth: numberIn(1, 8, { integer: true }).default(3).meta({
    title: 'Depth',
    widget: 'number',
    description: 'Number of hidden layers (SiLU).',
  }),
  frequencies: numberIn(1, 32, { integer: true }).default(8).meta({
    title: 'Time features',
    widget: 'number',
    description: 'Sin/cos pairs per time input (octaves from 1 to 16 rad per unit of c_noise).',
  }),
};

export const optimiserParams = {
  train_steps: numberIn(1, 1_000_000, { integer: true }).default(3000).meta({
    title: 'Training steps',
    widget: 'number',
    description: 'Adam steps the Train action takes.',
  }),
  batch_size: numberIn(1, PARAM_LIMITS.batchSize, { integer: true }).default(256).meta({
    title: 'Batch size',
    widget: 'number',
  }),
  learning_rate: numberIn(0, 1, { aboveMin: true }).default(0.005).meta({
    title: 'Learning rate',
    widget: 'number',
    description: 'Adam step size.',
  }),
  ema_decay: numberIn(0, 0.99999).default(0.998).meta({
    title: 'EMA decay',
    widget: 'number',
    description: 'The saved weights are this exponential moving average of the iterates.',
  }),
  seed: z.number().int().default(0).meta({
    title: 'Seed',
    widget: 'seed',
    description: 'Seeds the initial weights and every training draw: same seed, same weights.',
  }),
};

export const sigmaDataParam = numberIn(0, PARAM_LIMITS.coordinate, {
  aboveMin: true,
  what: 'a standard deviation',
})
  .default(1)
  .meta({
    title: 'σ_data',
    widget: 'number',
    description:
      'Data standard deviation assumed by the EDM preconditioning (the 2-D toy sets have about 1).',
  });

export interface NetworkParamValues {
  readonly width: number;
  readonly depth: number;
  readonly frequencies: number;
}

/** Checks that loaded weights have the shape the node's params ask for, naming what differs. */
export function checkNetworkMatches(
  params: NetworkParamValues,
  found: {
    readonly width: number;
    readonly depth: number;
    readonly frequencies: readonly number[];
  },
  path: string,
): void {
  const differences: string[] = [];
  if (found.width !== params.width)
    differences.push(`width ${found.width} (param ${params.width})`);
  if (found.depth !== params.depth)
    differences.push(`depth ${found.depth} (param ${params.depth})`);
  if (found.frequencies.length !== params.frequencies) {
    differences.push(`${found.frequencies.length} time features (param ${params.frequencies})`);
  }
  if (differences.length) {
    throw new Error(
      `the weights in "${path}" were trained with ${differences.join(', ')}; ` +
        'set the params to match or train again',
    );
  }
}
