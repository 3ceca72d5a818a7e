// The one training loop every learned model here uses: Adam on a weighted squared error between
// the network's output and a stop-gradient target, with an exponential moving average of the
// weights (the EMA is what gets saved; it samples better than the last iterate). Pure tfjs-core,
// so it runs the same in Node and in a Web Worker; it streams (step, loss) and honours an
// AbortSignal between steps.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '../core/yield';
import {
  layerShapes,
  mlpBackward,
  mlpForward,
  mlpForwardTrace,
  toLayers,
  type DenseLayer,
  type MlpArchitecture,
} from './mlp';
import { previewSchedule, type DrawnSamples, type TrainingSamples } from './training-samples';

/** One minibatch: the network input rows, the target of its output and a weight per row. */
export interface TrainingBatch {
  readonly input: Tensor2D;
  readonly target: Tensor2D;
  readonly weight: Tensor1D;
}

/** The network as the batch maker may evaluate it (no gradient flows through these calls). */
export interface NetworkViews {
  /** The weights being optimised. */
  current(input: Tensor2D): Tensor2D;
  /** The moving average of the weights (a consistency model's target network). */
  average(input: Tensor2D): Tensor2D;
}

export interface TrainingProgress {
  readonly step: number;
  readonly steps: number;
  /** Mean weighted loss over the steps since the previous report. */
  readonly loss: number;
}

export interface TrainingSettings {
  readonly steps: number;
  readonly learningRate: number;
  readonly emaDecay: number;
  /** Report progress every this many steps (and after the last). */
  readonly reportEvery?: number;
}

export interface TrainingHooks {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainingProgress) => void;
  /**
   * Samples of the model as it learns (training-samples.ts), each just before the progress of
   * its step. Only asked for where someone watches: drawing them costs time.
   */
  readonly onSamples?: (samples: TrainingSamples) => void;
}

/** How a trainer samples a snapshot of its EMA weights (flat, in parameter order). */
export type SnapshotSampler = (parameters: readonly Float32Array[]) => Promise<DrawnSamples>;

export interface TrainingResult {
  /** The EMA weights, flat in parameter order (weight, bias, weight, bias, …). */
  readonly parameters: Float32Array[];
  /** Every progress report, in order. */
  readonly history: readonly TrainingProgress[];
}

export class TrainingCancelledError extends Error {
  constructor(step: number) {
    super(`training cancelled at step ${step}`);
    this.name = 'TrainingCancelledError';
  }
}

let trainingRuns = 0;

/**
 * Trains from `initial` weights. `makeBatch(step, views)` runs inside tf.tidy and builds the
 * batch; it may evaluate the network (e.g. a MeanFlow target or a consistency target). With
 * `hooks.onSamples`, `sampler` draws the previews.
 */
export async function trainNetwork(
  arch: MlpArchitecture,
  initial: readonly Float32Array[],
  makeBatch: (step: number, views: NetworkViews) => TrainingBatch,
  settings: TrainingSettings,
  hooks: TrainingHooks = {},
  sampler?: SnapshotSampler,
): Promise<TrainingResult> {
  const { steps, learningRate, emaDecay } = settings;
  const reportEvery = settings.reportEvery ?? 25;
  const shapes = layerShapes(arch).flatMap(([fanIn, fanOut]) => [[fanIn, fanOut], [fanOut]]);
  // Variable names are global to the tfjs engine, so each run gets its own prefix.
  const prefix = `principia-train-${++trainingRuns}`;
  const variables: Variable[] = initial.map((values, k) =>
    tf.tidy(() => tf.variable(tf.tensor(values, shapes[k]), true, `${prefix}/${k}`)),
  );
  const averages: Variable[] = initial.map((values, k) =>
    tf.tidy(() => tf.variable(tf.tensor(values, shapes[k]), false, `${prefix}/ema/${k}`)),
  );
  const optimizer = tf.train.adam(learningRate);
  const layersOf = (list: Variable[]) => toLayers(list as unknown as (Tensor2D | Tensor1D)[]);
  const currentLayers: DenseLayer[] = layersOf(variables);
  const averageLayers: DenseLayer[] = layersOf(averages);
  const views: NetworkViews = {
    current: (input) => mlpForward(currentLayers, input),
    average: (input) => mlpForward(averageLayers, input),
  };

  const history: TrainingProgress[] = [];
  const previews =
    hooks.onSamples && sampler ? previewSchedule(steps, performance.now()) : undefined;
  let lossSum: tf.Scalar = tf.scalar(0);
  let lossCount = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      if (hooks.signal?.aborted) throw new TrainingCancelledError(step - 1);
      const loss = tf.tidy(() => {
        const batch = makeBatch(step, views);
        const trace = mlpForwardTrace(currentLayers, batch.input);
        const n = batch.input.shape[0];
        const error = tf.sub(trace.output, batch.target);
        const rowWeight = tf.reshape(batch.weight, [n, 1]);
        // L = (1/n) Σ_i w_i ‖F_i − target_i‖², so ∂L/∂F = 2 w_i (F_i − target_i)/n.
        const batchLoss = tf.div(tf.sum(tf.mul(rowWeight, tf.square(error))), n);
        const outputGradient = tf.mul(error, tf.mul(rowWeight, 2 / n)) as Tensor2D;
        const gradients = mlpBackward(currentLayers, trace, outputGradient);
        optimizer.applyGradients(
          variables.map((v, k) => ({ name: v.name, tensor: gradients[k]! })),
        );
        averages.forEach((average, k) =>
          average.assign(tf.add(tf.mul(average, emaDecay), tf.mul(variables[k]!, 1 - emaDecay))),
        );
        return batchLoss as tf.Scalar;
      });
      const summed = tf.add(lossSum, loss) as tf.Scalar;
      tf.dispose([lossSum, loss]);
      lossSum = summed;
      lossCount++;
      if (step % reportEvery === 0 || step === steps) {
        const progress = { step, steps, loss: (await lossSum.data())[0]! / lossCount };
        if (!Number.isFinite(progress.loss)) {
          throw new Error(
            `training diverged by step ${step} (loss ${progress.loss}); lower the learning rate`,
          );
        }
        lossSum.dispose();
        lossSum = tf.scalar(0);
        lossCount = 0;
        history.push(progress);
        const now = performance.now();
        if (previews?.due(step, now)) {
          const drawn = await drawPreview(sampler!, averages);
          previews.spent(performance.now() - now);
          if (drawn) hooks.onSamples!({ step, steps, ...drawn });
        }
        hooks.onProgress?.(progress);
        await yieldToEventLoop();
      }
    }
    const parameters = await Promise.all(
      averages.map(async (v) => new Float32Array(await v.data<'float32'>())),
    );
    return { parameters, history };
  } finally {
    lossSum.dispose();
    optimizer.dispose();
    tf.dispose([...variables, ...averages]);
  }
}

/**
 * A preview of the EMA weights, or nothing when sampling fails: an early, still wild model may
 * step to non-finite values, and a preview must never stop the training it watches.
 */
async function drawPreview(
  sampler: SnapshotSampler,
  averages: readonly Variable[],
): Promise<DrawnSamples | undefined> {
  const parameters = await Promise.all(
    averages.map(async (v) => new Float32Array(await v.data<'float32'>())),
  );
  try {
    return await sampler(parameters);
  } catch {
    return undefined;
  }
}
