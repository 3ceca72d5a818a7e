// Gradients for the kernels a classifier's log-probability uses, so tf.grad works on every host.
// tfjs-core registers no gradients itself; its own set is reachable only through a deep import
// ('@tensorflow/tfjs-core/dist/register_all_gradients') that bundlers resolve but Node's ESM
// loader (the CLI, under tsx) does not. A kernel that already has a gradient keeps it.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** Sums dy over the axes that broadcasting added or stretched, back to `shape`. */
function unbroadcast(dy: Tensor, shape: number[]): Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

/** dy of a reduction, reshaped to keep the reduced axes as 1 so it broadcasts against x. */
function keepReducedAxes(reduced: Tensor, x: Tensor, axis: unknown): Tensor {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const shape = x.shape.slice();
  axes.forEach((a) => (shape[a] = 1));
  return tf.reshape(reduced, shape);
}

const GRADIENTS: GradConfig[] = [
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(dy as Tensor, a!.shape),
      b: () => unbroadcast(dy as Tensor, b!.shape),
    }),
  },
  {
    kernelName: 'Sub',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(dy as Tensor, a!.shape),
      b: () => tf.neg(unbroadcast(dy as Tensor, b!.shape)),
    }),
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(dy as Tensor, b!), a!.shape),
      b: () => unbroadcast(tf.mul(dy as Tensor, a!), b!.shape),
    }),
  },
  {
    kernelName: 'Square',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as Tensor, tf.mul(x!, 2)) }),
  },
  {
    kernelName: 'Exp',
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as Tensor, y!) }),
  },
  {
    kernelName: 'Log',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as Tensor, x!) }),
  },
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as Tensor, x!.shape) }),
  },
  {
    kernelName: 'ExpandDims',
    inputsToSave: ['input'],
    gradFunc: (dy, [input]) => ({ input: () => tf.reshape(dy as Tensor, input!.shape) }),
  },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs: NamedAttrMap) => ({
      x: () => tf.mul(keepReducedAxes(dy as Tensor, x!, attrs.axis), tf.onesLike(x!)),
    }),
  },
  {
    // The whole dy goes to the entries equal to the maximum.
    kernelName: 'Max',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs: NamedAttrMap) => ({
      x: () => {
        const maximum = keepReducedAxes(y!, x!, attrs.reductionIndices);
        const atMaximum = tf.cast(tf.equal(x!, maximum), 'float32');
        return tf.mul(keepReducedAxes(dy as Tensor, x!, attrs.reductionIndices), atMaximum);
      },
    }),
  },
];

let registered = false;

/** Registers the gradients above for kernels that have none yet; safe to call repeatedly. */
export function registerClassifierGradients(): void {
  if (registered) return;
  registered = true;
  for (const config of GRADIENTS) {
    if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
  }
}
