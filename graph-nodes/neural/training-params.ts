// Node params shared by every trainable node (MLP denoiser, learned flow maps): the weights file,
// the network's shape and the optimiser settings. One definition, so the app's Train action and
// the CLI's `train` read the same names everywhere.
import { z } from 'zod';

export function weightsParam(defaultPath: string) {
  return z
    .string()
    .default(defaultPath)
    .meta({
      title: 'Weights',
      widget: 'file',
      extensions: ['.json'],
      description:
        'The weights manifest (.json, with its .bin beside it), relative to the graph file. ' +
        'Training writes it; running reads it.',
    });
}

export const networkParams = {
  width: z.number().int().min(4).max(1024).default(128).meta({
    title: 'Width',
    widget: 'number',
    description: 'Units per hidden layer.',
  }),
  depth: z.number().int().min(1).max(8).default(3).meta({
    title: 'Depth',
    widget: 'number',
    description: 'Number of hidden layers (SiLU).',
  }),
  frequencies: z.number().int().min(1).max(32).default(8).meta({
    title: 'Time features',
    widget: 'number',
    description: 'Sin/cos pairs per time input (octaves from 1 to 16 rad per unit of c_noise).',
  }),
};

export const optimiserParams = {
  train_steps: z.number().int().min(1).max(1_000_000).default(3000).meta({
    title: 'Training steps',
    widget: 'number',
    description: 'Adam steps the Train action takes.',
  }),
  batch_size: z.number().int().min(1).max(65_536).default(256).meta({
    title: 'Batch size',
    widget: 'number',
  }),
  learning_rate: z.number().positive().max(1).default(0.005).meta({
    title: 'Learning rate',
    widget: 'number',
    description: 'Adam step size.',
  }),
  ema_decay: z.number().min(0).max(0.99999).default(0.998).meta({
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

export const sigmaDataParam = z.number().positive().default(1).meta({
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
