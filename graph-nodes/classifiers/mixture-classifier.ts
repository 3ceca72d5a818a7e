// The exact noisy classifier of a labelled mixture (reference §7, "Class-conditional"). With
// responsibilities r_k(x̃) = softmax_k(ℓ_k) of the noised components,
//   p(c | x̃; σ̃) = Σ_{k : c_k = c} r_k   ⇒   log p(c | x̃) = logsumexp_{k : c_k = c} ℓ_k − logsumexp_k ℓ_k,
//   ℓ_k = log π_k − ‖x̃ − μ_k‖²/(2 v_k) − (d/2) log v_k,   v_k = s_k² + σ̃².
// A data set is the same mixture with s_k = 0 and equal weights. Everything is built from tf ops,
// so tf.grad gives ∇_x̃ log p(c | x̃), which classifier guidance needs (see gradients.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Classifier } from '../core/values';
import { formatMixtureProblem } from '../denoisers/gmm';
import {
  ALL_CLASSES,
  checkLabels,
  labelledGmmProblems,
  type LabelledGmmParams,
} from '../denoisers/labelled';

interface LabelledMixture {
  /** [K, d]; freed by the classifier only when `ownsMeans`. */
  readonly means: Tensor2D;
  readonly ownsMeans: boolean;
  /** log π_k (any constant offset cancels in p(c | x̃)). */
  readonly logWeights: Float64Array;
  /** s_k². */
  readonly variances: Float64Array;
  readonly labels: ArrayLike<number>;
  /** Name the classifier and what its labels are attached to, in its errors. */
  readonly name: string;
  readonly item: 'component' | 'data point';
}

function createMixtureClassifier(mixture: LabelledMixture): Classifier {
  const { means, labels, name } = mixture;
  const [count, dim] = means.shape;
  const classes = checkLabels(labels, count, mixture.item);
  // log 1{c_k = c}: adding it to the logits restricts the logsumexp to class c. A mask rather
  // than tf.gather, whose gradient needs UnsortedSegmentSum, which the wasm backend lacks.
  const logMaskByClass = new Map<number, Tensor1D>(
    classes.map((label) => [
      label,
      tf.tensor1d(Float32Array.from(labels, (l) => (l === label ? 0 : -Infinity))),
    ]),
  );
  let disposed = false;

  return {
    dim,
    classes,
    logProbability(xTilde: Tensor2D, sigmaTilde: number, label: number): Tensor1D {
      if (disposed) throw new Error(`${name}: used after dispose()`);
      if (xTilde.rank !== 2 || xTilde.shape[1] !== dim) {
        throw new Error(
          `${name}: expected points of shape [n, ${dim}], got [${xTilde.shape.join(', ')}]`,
        );
      }
      if (!(sigmaTilde > 0) || !Number.isFinite(sigmaTilde)) {
        throw new Error(`${name}: sigmaTilde must be a finite number > 0 (got ${sigmaTilde})`);
      }
      const logMask = logMaskByClass.get(label);
      if (!logMask) {
        throw new Error(
          `${name}: unknown class ${label}` +
            (label === ALL_CLASSES ? ' (p(all | x̃) = 1 guides nowhere)' : '') +
            `; the classes are ${classes.join(', ')}`,
        );
      }
      const variances = mixture.variances.map((v) => v + sigmaTilde * sigmaTilde);
      const logitBias = variances.map((v, k) => mixture.logWeights[k]! - 0.5 * dim * Math.log(v));
      return tf.tidy(() => {
        // Only kernels with a gradient in gradients.ts, so tf.grad works on every host.
        const squaredDistance = tf.sum(
          tf.square(tf.sub(tf.expandDims(xTilde, 1), tf.expandDims(means, 0))),
          2,
        ); // [n, K]
        const inverseTwoVariance = tf.tensor1d(Float32Array.from(variances, (v) => 1 / (2 * v)));
        const logits = tf.sub(
          tf.tensor1d(Float32Array.from(logitBias)),
          tf.mul(squaredDistance, inverseTwoVariance),
        );
        const classLogits = tf.add(logits, logMask);
        return tf.sub(tf.logSumExp(classLogits, 1), tf.logSumExp(logits, 1)) as Tensor1D;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...logMaskByClass.values()]);
      if (mixture.ownsMeans) means.dispose();
    },
  };
}

export function createGmmClassifier(p: LabelledGmmParams): Classifier {
  // Everything checked before the means tensor exists, so a refusal leaves nothing behind.
  const [problem] = labelledGmmProblems(p);
  if (problem) throw new Error(formatMixtureProblem(problem, p));
  const count = p.weights.length;
  const dim = p.means[0]!.length;
  return createMixtureClassifier({
    means: tf.tensor2d(
      p.means.map((mean) => [...mean]),
      [count, dim],
    ),
    ownsMeans: true,
    logWeights: Float64Array.from(p.weights, Math.log),
    variances: Float64Array.from(p.stds, (s) => s * s),
    labels: p.labels,
    name: 'GMM classifier',
    item: 'component',
  });
}

/** The classifier of a labelled data set taken as its own distribution; `points` stay the caller's. */
export function createEmpiricalClassifier(points: Tensor2D, labels: Int32Array): Classifier {
  const count = points.shape[0];
  return createMixtureClassifier({
    means: points,
    ownsMeans: false,
    logWeights: new Float64Array(count),
    variances: new Float64Array(count),
    labels,
    name: 'empirical classifier',
    item: 'data point',
  });
}
