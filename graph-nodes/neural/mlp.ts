// A plain multilayer perceptron on tfjs-core ops: the network inside every learned denoiser and
// flow map. Input = [x (already scaled), sinusoidal features of each scalar condition]; SiLU
// hidden layers; a linear output layer.
//
// Gradients are written out by hand (mlpBackward) rather than taken with tf.grad: tfjs-core
// registers kernel gradients only through a deep import that Node's ESM loader cannot resolve,
// and every loss trained here is a weighted squared error against a stop-gradient target, whose
// backward pass through an MLP is three lines per layer.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createRng } from '../math/rng';
import { embedCondition } from './time-embedding';

export const mlpArchitectureSchema = z.object({
  /** Dimension of x. */
  inputDim: z.number().int().positive(),
  /** Number of scalar conditions (1 for a denoiser's noise level, 2 for a flow map's two times). */
  conditions: z.number().int().min(0),
  /** Angular frequencies of each condition's sin/cos features. */
  frequencies: z.array(z.number()).min(1),
  width: z.number().int().positive(),
  /** Number of hidden layers. */
  depth: z.number().int().positive(),
  outputDim: z.number().int().positive(),
});
export type MlpArchitecture = z.infer<typeof mlpArchitectureSchema>;

/** One affine layer: y = x·weight + bias, weight [in, out]. */
export interface DenseLayer<T extends Tensor2D = Tensor2D, B extends Tensor1D = Tensor1D> {
  readonly weight: T;
  readonly bias: B;
}

/** Layer sizes [in, out] from the first hidden layer to the output layer. */
export function layerShapes(arch: MlpArchitecture): [number, number][] {
  const features = arch.inputDim + arch.conditions * 2 * arch.frequencies.length;
  const shapes: [number, number][] = [[features, arch.width]];
  for (let k = 1; k < arch.depth; k++) shapes.push([arch.width, arch.width]);
  shapes.push([arch.width, arch.outputDim]);
  return shapes;
}

/** Parameter names in storage order: layer0.weight, layer0.bias, layer1.weight, … */
export function parameterNames(arch: MlpArchitecture): string[] {
  return layerShapes(arch).flatMap((_, k) => [`layer${k}.weight`, `layer${k}.bias`]);
}

/** Seeded LeCun-normal weights (std 1/√fan_in) and zero biases, as plain arrays. */
export function initialParameters(arch: MlpArchitecture, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return layerShapes(arch).flatMap(([fanIn, fanOut]) => {
    const weight = rng.fillNormal(new Float32Array(fanIn * fanOut));
    const scale = 1 / Math.sqrt(fanIn);
    for (let k = 0; k < weight.length; k++) weight[k] = weight[k]! * scale;
    return [weight, new Float32Array(fanOut)];
  });
}

/** Pairs a flat parameter list (weight, bias, weight, bias, …) into layers. */
export function toLayers<T extends Tensor2D, B extends Tensor1D>(
  parameters: readonly (T | B)[],
): DenseLayer<T, B>[] {
  const layers: DenseLayer<T, B>[] = [];
  for (let k = 0; k < parameters.length; k += 2) {
    layers.push({ weight: parameters[k] as T, bias: parameters[k + 1] as B });
  }
  return layers;
}

/** Tensors for stored parameters (weight [in, out] then bias [out], per layer); owned by the caller. */
export function layersFromParameters(parameters: readonly Float32Array[]): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let k = 0; k < parameters.length; k += 2) {
    const weight = parameters[k]!;
    const bias = parameters[k + 1]!;
    layers.push({
      weight: tf.tensor2d(weight, [weight.length / bias.length, bias.length]),
      bias: tf.tensor1d(bias),
    });
  }
  return layers;
}

export function disposeLayers(layers: readonly DenseLayer[]): void {
  layers.forEach((layer) => tf.dispose([layer.weight, layer.bias]));
}

/** The network's input row: [x, sin/cos features of each condition column]. */
export function networkInput(
  arch: MlpArchitecture,
  x: Tensor2D,
  conditions: readonly Tensor2D[],
): Tensor2D {
  if (conditions.length !== arch.conditions) {
    throw new Error(`the network takes ${arch.conditions} conditions, got ${conditions.length}`);
  }
  return tf.tidy(() =>
    tf.concat([x, ...conditions.map((c) => embedCondition(c, arch.frequencies))], 1),
  );
}

/** What the backward pass needs from the forward pass: each layer's input and pre-activation. */
export interface ForwardTrace {
  readonly output: Tensor2D;
  readonly inputs: readonly Tensor2D[];
  readonly preActivations: readonly Tensor2D[];
}

/** Runs the network, keeping the intermediate values for mlpBackward. Call inside tf.tidy. */
export function mlpForwardTrace(layers: readonly DenseLayer[], input: Tensor2D): ForwardTrace {
  const inputs: Tensor2D[] = [];
  const preActivations: Tensor2D[] = [];
  let h = input;
  layers.forEach((layer, k) => {
    inputs.push(h);
    const z = tf.add(tf.matMul(h, layer.weight), layer.bias) as Tensor2D;
    preActivations.push(z);
    h = k === layers.length - 1 ? z : (tf.mul(z, tf.sigmoid(z)) as Tensor2D);
  });
  return { output: h, inputs, preActivations };
}

export function mlpForward(layers: readonly DenseLayer[], input: Tensor2D): Tensor2D {
  return tf.tidy(() => mlpForwardTrace(layers, input).output);
}

/**
 * ∂L/∂(weight, bias) of every layer, in parameter order, given ∂L/∂output. Backpropagation:
 * δ_last = ∂L/∂out; ∂W_k = h_kᵀ δ_k, ∂b_k = Σ_rows δ_k; δ_{k−1} = (δ_k W_kᵀ) ⊙ silu′(z_{k−1}),
 * silu′(z) = σ(z)(1 + z(1 − σ(z))). Call inside tf.tidy.
 */
export function mlpBackward(
  layers: readonly DenseLayer[],
  trace: ForwardTrace,
  outputGradient: Tensor2D,
): Tensor2D[] {
  const gradients: Tensor2D[] = new Array<Tensor2D>(layers.length * 2);
  let delta = outputGradient;
  for (let k = layers.length - 1; k >= 0; k--) {
    gradients[2 * k] = tf.matMul(trace.inputs[k]!, delta, true, false);
    gradients[2 * k + 1] = tf.sum(delta, 0) as unknown as Tensor2D;
    if (k === 0) break;
    const z = trace.preActivations[k - 1]!;
    const s = tf.sigmoid(z);
    const siluSlope = tf.mul(s, tf.add(1, tf.mul(z, tf.sub(1, s))));
    delta = tf.mul(tf.matMul(delta, layers[k]!.weight, false, true), siluSlope) as Tensor2D;
  }
  return gradients;
}
