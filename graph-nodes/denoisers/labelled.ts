// Class-conditional exact denoisers (reference §7, "Class-conditional"). When component (or data
// point) k carries the label c_k, the data conditioned on class c is the mixture of the components
// with c_k = c, re-weighted to sum to one; its exact denoiser D_c is the ordinary one over just
// those components, i.e. the softmax restricted to {k : c_k = c}.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { createEmpiricalDenoiser } from './empirical';
import {
  createGmmDenoiser,
  formatMixtureProblem,
  gmmProblems,
  type GmmParams,
  type MixtureProblem,
} from './gmm';

/** The class value that means "no condition": every component, the unconditional D_u. */
export const ALL_CLASSES = -1;

export interface LabelledGmmParams extends GmmParams {
  /** One integer class label per component. */
  readonly labels: readonly number[];
}

/** What is wrong with the labels of `count` components (or data points), or []. */
export function labelProblems(
  labels: ArrayLike<number>,
  count: number,
  what: string,
): MixtureProblem[] {
  if (labels.length !== count) {
    return [
      {
        path: ['labels'],
        message: `expected one label per ${what} (${count}), got ${labels.length}`,
      },
    ];
  }
  const problems: MixtureProblem[] = [];
  for (let k = 0; k < labels.length; k++) {
    const label = labels[k]!;
    if (!Number.isInteger(label) || label < 0) {
      problems.push({ path: ['labels', k], message: 'labels must be integers ≥ 0' });
    }
  }
  return problems;
}

/** Checks labels against the number of components; returns the distinct labels, ascending. */
export function checkLabels(labels: ArrayLike<number>, count: number, what: string): number[] {
  const [problem] = labelProblems(labels, count, what);
  if (problem) throw new Error(formatMixtureProblem(problem, { labels: Array.from(labels) }));
  return [...new Set(Array.from(labels))].sort((a, b) => a - b);
}

/** Everything wrong with a labelled mixture's parameters (gmmProblems, then the labels'). */
export function labelledGmmProblems(p: LabelledGmmParams): MixtureProblem[] {
  return [...gmmProblems(p), ...labelProblems(p.labels, p.weights.length, 'component')];
}

/** Why no class `label` can be taken from these labels, or undefined when it can. */
export function missingClassProblem(
  labels: ArrayLike<number>,
  label: number,
  what: string,
): string | undefined {
  if (label === ALL_CLASSES) return undefined;
  for (let k = 0; k < labels.length; k++) if (labels[k] === label) return undefined;
  const known = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  return (
    `no ${what} has label ${label}; the labels are ${known.join(', ')} ` +
    `(or ${ALL_CLASSES} for all of them)`
  );
}

/** Indices k with labels[k] = label; throws, listing the known labels, when there are none. */
export function indicesOfClass(labels: ArrayLike<number>, label: number, what: string): number[] {
  const problem = missingClassProblem(labels, label, what);
  if (problem) throw new Error(`class: ${problem}`);
  const indices: number[] = [];
  for (let k = 0; k < labels.length; k++) if (labels[k] === label) indices.push(k);
  return indices;
}

/** The mixture of the components labelled `label` (all of them for ALL_CLASSES). */
export function gmmOfClass(p: LabelledGmmParams, label: number): GmmParams {
  // The whole mixture first: a class of a malformed mixture would hide what is wrong with it.
  const [problem] = labelledGmmProblems(p);
  if (problem) throw new Error(formatMixtureProblem(problem, p));
  if (label === ALL_CLASSES) return p;
  const keep = indicesOfClass(p.labels, label, 'component');
  return {
    weights: keep.map((k) => p.weights[k]!),
    means: keep.map((k) => p.means[k]!),
    stds: keep.map((k) => p.stds[k]!),
  };
}

/** D_c for the mixture restricted to class `label`, or D_u for ALL_CLASSES. */
export function createLabelledGmmDenoiser(p: LabelledGmmParams, label: number): Denoiser {
  return createGmmDenoiser(gmmOfClass(p, label));
}

/**
 * D_c for the data points labelled `label`, or D_u over all points for ALL_CLASSES. `points` stay
 * owned by the caller; the class's points are copied out and freed by dispose().
 */
export function createLabelledEmpiricalDenoiser(
  points: Tensor2D,
  labels: Int32Array,
  label: number,
): Denoiser {
  checkLabels(labels, points.shape[0], 'data point');
  if (label === ALL_CLASSES) return createEmpiricalDenoiser(points);
  const keep = indicesOfClass(labels, label, 'data point');
  const classPoints = tf.tidy(() => tf.gather(points, tf.tensor1d(keep, 'int32')));
  const inner = createEmpiricalDenoiser(classPoints);
  return {
    dim: inner.dim,
    denoise: (xTilde, sigmaTilde) => inner.denoise(xTilde, sigmaTilde),
    dispose() {
      inner.dispose();
      classPoints.dispose();
    },
  };
}
