// Sinusoidal features of a scalar condition (EDM's c_noise, or a flow map's two times): a small
// MLP cannot resolve a raw scalar finely, but it can combine sin/cos at a few octaves.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/** Angular frequencies spaced geometrically from 1 to `maxFrequency` (float64 constants). */
export function embeddingFrequencies(count: number, maxFrequency = 16): number[] {
  if (count === 1) return [1];
  return Array.from({ length: count }, (_, k) => maxFrequency ** (k / (count - 1)));
}

/**
 * [n, 2·F] features: sin(ω_k c), then cos(ω_k c), for a column of conditions c [n, 1].
 * The ONNX exporter writes the same expression (one MatMul by the frequency row, Sin, Cos, Concat).
 */
export function embedCondition(condition: Tensor2D, frequencies: readonly number[]): Tensor2D {
  return tf.tidy(() => {
    const angles = tf.matMul(condition, tf.tensor2d([...frequencies], [1, frequencies.length]));
    return tf.concat([tf.sin(angles), tf.cos(angles)], 1) as Tensor2D;
  });
}
