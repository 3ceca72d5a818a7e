import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGmmClassifier } from '../../graph-nodes/classifiers/mixture-classifier';
import type { AnyNodeDefinition } from '../../graph-nodes/core/node-definition';
import type {
  Classifier,
  Dataset,
  Denoiser,
  Disposable,
  Timesteps,
} from '../../graph-nodes/core/values';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import { createGmmDenoiser, gmmLogDensity, type GmmParams } from '../../graph-nodes/denoisers/gmm';
import {
  createLabelledEmpiricalDenoiser,
  type LabelledGmmParams,
} from '../../graph-nodes/denoisers/labelled';
import {
  catalogue,
  compileGraph,
  Executor,
  GraphDocumentSchema,
  type GraphDocument,
  type Samples,
} from '../../graph-nodes';
import { createRng } from '../../graph-nodes/math/rng';
import empiricalClassifierNode from '../../graph-nodes/nodes/classifier/empirical-classifier';
import exactClassifierNode from '../../graph-nodes/nodes/classifier/exact-classifier';
import labelledEmpiricalNode from '../../graph-nodes/nodes/denoiser/labelled-empirical';
import labelledGmmNode from '../../graph-nodes/nodes/denoiser/labelled-gmm';
import autoguidanceNode from '../../graph-nodes/nodes/guidance/autoguidance';
import cfgNode, { createCfgDenoiser } from '../../graph-nodes/nodes/guidance/cfg';
import cfgPpNode from '../../graph-nodes/nodes/guidance/cfg-pp';
import cfgRescaleNode from '../../graph-nodes/nodes/guidance/cfg-rescale';
import classifierGuidanceNode, {
  createClassifierGuidedDenoiser,
} from '../../graph-nodes/nodes/guidance/classifier-guidance';
import guidanceIntervalNode from '../../graph-nodes/nodes/guidance/guidance-interval';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { getSolverAlgorithm } from '../../graph-nodes/solvers/algorithms';
import { dpmpp2m } from '../../graph-nodes/solvers/dpmpp-2m';
import { dpmpp2mCfgPp } from '../../graph-nodes/solvers/dpmpp-2m-cfg-pp';
import { euler } from '../../graph-nodes/solvers/euler';
import { eulerCfgPp } from '../../graph-nodes/solvers/euler-cfg-pp';
import {
  gaussianNoise,
  solve,
  type PastDenoised,
  type SolverAlgorithm,
  type StepState,
} from '../../graph-nodes/solvers/loop';
import { resolveSettings } from '../../graph-nodes/solvers/settings';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext, memoryFiles } from './helpers/run-context';

// Taken before the describe blocks below create their shared denoisers.
const tensorsAtStart = tf.memory().numTensors;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  expect(tf.memory().numTensors).toBe(tensorsAtStart);
});

// Three classes: 0 and 1 overlap near the origin, so p(c | x̃) varies smoothly there.
const mixture: LabelledGmmParams = {
  weights: [3, 2, 2, 1.5, 1.5, 1],
  means: [
    [-3, 0],
    [3, 1],
    [0, 3.5],
    [0.5, -3],
    [-2, -2.5],
    [1, 0.5],
  ],
  stds: [0.5, 0.3, 0.8, 0.2, 0.4, 1],
  labels: [0, 1, 0, 1, 2, 2],
};

function componentsOf(label: number): GmmParams {
  const keep = mixture.labels.flatMap((l, k) => (l === label ? [k] : []));
  return {
    weights: keep.map((k) => mixture.weights[k]!),
    means: keep.map((k) => mixture.means[k]!),
    stds: keep.map((k) => mixture.stds[k]!),
  };
}

/** Runs a node the way the executor does: params through its schema, fresh context. */
async function runNode<T>(
  node: unknown,
  inputs: Record<string, unknown>,
  params: object = {},
): Promise<T> {
  const definition = node as AnyNodeDefinition;
  const outputs = await definition.run(
    inputs as never,
    makeTestContext(definition.params.parse(params)),
  );
  return Object.values(outputs)[0] as T;
}

function points(n: number, seed: number, spread = 3): tf.Tensor2D {
  return tf.tensor2d(
    createRng(seed)
      .fillNormal(new Float32Array(2 * n))
      .map((v) => spread * v),
    [n, 2],
  );
}

function valuesOf(tensor: tf.Tensor): Float64Array {
  const values = Float64Array.from(tensor.dataSync());
  tensor.dispose();
  return values;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}

/** Frees tensors and the values that hold them (tf.dispose alone skips their dispose()). */
function release(...items: (tf.Tensor | Disposable)[]): void {
  for (const item of items) item.dispose();
}

/** D(x̃; σ̃) as float64 values. */
function denoiseValues(denoiser: Denoiser, x: tf.Tensor2D, sigmaTilde: number): Float64Array {
  return valuesOf(denoiser.denoise(x, sigmaTilde));
}

/** A labelled data set that owns `data`. */
function labelledDataset(data: tf.Tensor2D, labels: Int32Array): Dataset {
  return {
    name: 'test',
    points: data,
    shape: [data.shape[1]],
    labels,
    dispose: () => data.dispose(),
  };
}

describe('labelled exact denoisers', () => {
  it('condition a Gaussian mixture on a class by keeping that class’s components', async () => {
    const x = points(40, 1);
    for (const label of [0, 1, 2]) {
      const conditional = await runNode<Denoiser>(
        labelledGmmNode,
        {},
        { ...mixture, class: label },
      );
      const byHand = createGmmDenoiser(componentsOf(label));
      for (const sigmaTilde of [0.1, 1, 10]) {
        expect(
          maxAbsDifference(
            denoiseValues(conditional, x, sigmaTilde),
            denoiseValues(byHand, x, sigmaTilde),
          ),
        ).toBe(0);
      }
      release(conditional, byHand);
    }
    const unconditional = await runNode<Denoiser>(labelledGmmNode, {}, { ...mixture, class: -1 });
    const whole = createGmmDenoiser(mixture);
    expect(maxAbsDifference(denoiseValues(unconditional, x, 1), denoiseValues(whole, x, 1))).toBe(
      0,
    );
    // The classes really differ from the whole mixture (or the checks above prove nothing).
    const classZero = await runNode<Denoiser>(labelledGmmNode, {}, { ...mixture, class: 0 });
    expect(
      maxAbsDifference(denoiseValues(classZero, x, 1), denoiseValues(whole, x, 1)),
    ).toBeGreaterThan(0.5);
    release(unconditional, whole, classZero, x);
  });

  it('refuses at compile time a class without components and labels that do not fit', () => {
    expect(paramIssues('labelled-gmm-denoiser', { ...mixture, class: 3 })).toEqual([
      badParam('class', 'no component has label 3; the labels are 0, 1, 2 (or -1 for all of them)'),
    ]);
    expect(paramIssues('labelled-gmm-denoiser', { ...mixture, labels: [0, 1], class: 0 })).toEqual([
      badParam('labels', 'expected one label per component (6), got 2'),
    ]);
    expect(paramIssues('exact-classifier', { ...mixture, labels: [0, 1, 2, 0, 1, -2] })).toEqual([
      badParam('labels[5]', 'expected a class label (an integer) in [0, 2147483647]'),
    ]);
    // The report that started it: no means at all used to crash the run with a TypeError.
    expect(paramIssues('labelled-gmm-denoiser', { means: [] })).toEqual([
      badParam('means', 'the mixture needs at least one component'),
    ]);
    expect(paramIssues('labelled-gmm-denoiser', { means: [[2.5, 0]] })).toEqual([
      badParam('means', 'expected one mean per weight (8), got 1'),
    ]);
    expect(paramIssues('labelled-gmm-denoiser', { means: [[2.5, 0]] })).toEqual([
      badParam('means', 'expected one mean per weight (8), got 1'),
    ]);
  });

  it('say which class is missing from a labelled data set when it arrives', async () => {
    const data = points(6, 2);
    const dataset = labelledDataset(data, Int32Array.from([0, 1, 0, 1, 0, 1]));
    await expect(runNode(labelledEmpiricalNode, { data: dataset }, { class: 4 })).rejects.toThrow(
      'param "class": in input "data", no data point has label 4; the labels are 0, 1 ' +
        '(or -1 for all of them)',
    );
    release(dataset);
  });

  it('condition a labelled data set on a class by keeping that class’s points', async () => {
    const data = points(30, 2);
    const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const dataset = labelledDataset(data, labels);
    const x = points(20, 3);
    const tensorsBefore = tf.memory().numTensors;
    const conditional = await runNode<Denoiser>(
      labelledEmpiricalNode,
      { data: dataset },
      { class: 1 },
    );
    const classPoints = tf.tensor2d(
      Array.from({ length: 10 }, (_, j) => Array.from(data.dataSync().slice(6 * j + 2, 6 * j + 4))),
    );
    const byHand = createEmpiricalDenoiser(classPoints);
    expect(
      maxAbsDifference(denoiseValues(conditional, x, 0.7), denoiseValues(byHand, x, 0.7)),
    ).toBe(0);
    const all = createLabelledEmpiricalDenoiser(data, labels, -1);
    const plain = createEmpiricalDenoiser(data);
    expect(maxAbsDifference(denoiseValues(all, x, 0.7), denoiseValues(plain, x, 0.7))).toBe(0);
    release(conditional, byHand, classPoints, all, plain);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const unlabelled = { points: data, dispose: () => {} };
    await expect(runNode(labelledEmpiricalNode, { data: unlabelled })).rejects.toThrow(
      'input "data" carries no labels',
    );
    release(x, dataset);
  });
});

describe('exact classifier', () => {
  it('gives p(c | x̃) of the noised mixture (float64 check through its densities)', async () => {
    const classifier = await runNode<Classifier>(exactClassifierNode, {}, mixture);
    expect(classifier.classes).toEqual([0, 1, 2]);
    const x = points(50, 4);
    const xValues = Float64Array.from(x.dataSync());
    const totalWeight = mixture.weights.reduce((a, b) => a + b, 0);
    for (const sigmaTilde of [0.2, 1.5, 8]) {
      const logAll = gmmLogDensity(mixture, xValues, sigmaTilde);
      const probabilitySum = new Float64Array(50);
      for (const label of [0, 1, 2]) {
        const ofClass = componentsOf(label);
        const classWeight = ofClass.weights.reduce((a, b) => a + b, 0) / totalWeight;
        const logClass = gmmLogDensity(ofClass, xValues, sigmaTilde);
        const expected = logAll.map((l, i) => Math.log(classWeight) + logClass[i]! - l);
        const actual = valuesOf(classifier.logProbability(x, sigmaTilde, label));
        expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4);
        actual.forEach((l, i) => (probabilitySum[i]! += Math.exp(l)));
      }
      expect(maxAbsDifference(probabilitySum, new Float64Array(50).fill(1))).toBeLessThan(1e-5);
    }
    expect(() => classifier.logProbability(x, 1, -1)).toThrow(/unknown class -1/);
    release(classifier, x);
  });
});

describe('guidance nodes', () => {
  const conditional = createGmmDenoiser(componentsOf(0));
  const unconditional = createGmmDenoiser(mixture);
  afterAll(() => release(conditional, unconditional));
  const pair = { conditional, unconditional };

  it('exact classifier guidance at scale w equals CFG at scale w', async () => {
    const classifier = createGmmClassifier(mixture);
    const x = points(64, 5, 2.5);
    let worst = 0;
    let largest = 0;
    for (const label of [0, 1, 2]) {
      const conditionalOfClass = createGmmDenoiser(componentsOf(label));
      for (const scale of [0.5, 2, 5]) {
        const classifierGuided = await runNode<Denoiser>(
          classifierGuidanceNode,
          { denoiser: unconditional, classifier },
          { class: label, scale },
        );
        const classifierFree = await runNode<Denoiser>(
          cfgNode,
          { conditional: conditionalOfClass, unconditional },
          { scale },
        );
        expect(classifierGuided.unconditional).toBe(unconditional);
        for (const sigmaTilde of [0.1, 0.5, 2, 10]) {
          const expected = denoiseValues(classifierFree, x, sigmaTilde);
          const difference = maxAbsDifference(
            denoiseValues(classifierGuided, x, sigmaTilde),
            expected,
          );
          worst = Math.max(worst, difference);
          largest = Math.max(largest, ...expected.map(Math.abs));
        }
      }
      conditionalOfClass.dispose();
    }
    console.log(
      `classifier guidance vs CFG: max |diff| ${worst.toExponential(2)} (outputs up to ${largest.toFixed(1)})`,
    );
    expect(worst).toBeLessThan(1e-4);
    release(classifier, x);
  });

  it('on a labelled data set, exact classifier guidance equals CFG too', async () => {
    const data = points(60, 14, 2);
    const labels = Int32Array.from({ length: 60 }, (_, i) => (i < 25 ? 0 : 1));
    const dataset = labelledDataset(data, labels);
    const classifier = await runNode<Classifier>(empiricalClassifierNode, { data: dataset });
    const all = await runNode<Denoiser>(labelledEmpiricalNode, { data: dataset }, { class: -1 });
    const ofClass = await runNode<Denoiser>(labelledEmpiricalNode, { data: dataset }, { class: 1 });
    const x = points(32, 15, 2.5);
    let worst = 0;
    for (const sigmaTilde of [0.3, 1, 4]) {
      const viaClassifier = createClassifierGuidedDenoiser(all, classifier, 1, 2.5);
      const viaCfg = createCfgDenoiser(ofClass, all, 2.5);
      worst = Math.max(
        worst,
        maxAbsDifference(
          denoiseValues(viaClassifier, x, sigmaTilde),
          denoiseValues(viaCfg, x, sigmaTilde),
        ),
      );
    }
    console.log(`empirical classifier guidance vs CFG: max |diff| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    release(classifier, all, ofClass, x, dataset);
  });

  it('refuses a class the classifier does not know', async () => {
    const classifier = createGmmClassifier(mixture);
    await expect(
      runNode(classifierGuidanceNode, { denoiser: unconditional, classifier }, { class: 7 }),
    ).rejects.toThrow(
      'param "class" = 7 is not a class of the classifier; its classes are 0, 1, 2',
    );
    classifier.dispose();
  });

  it('cfg and cfg-pp give D_u + w (D_c − D_u) and carry D_u', async () => {
    const x = points(32, 6);
    const denoisedConditional = denoiseValues(conditional, x, 0.8);
    const denoisedUnconditional = denoiseValues(unconditional, x, 0.8);
    for (const [node, scale] of [
      [cfgNode, 4],
      [cfgPpNode, 0.4],
    ] as const) {
      const guided = await runNode<Denoiser>(node, pair, { scale });
      const expected = denoisedUnconditional.map(
        (u, i) => u + scale * (denoisedConditional[i]! - u),
      );
      expect(maxAbsDifference(denoiseValues(guided, x, 0.8), expected)).toBeLessThan(1e-5);
      expect(guided.unconditional).toBe(unconditional);
    }
    await expect(runNode(cfgPpNode, pair, { scale: 1.5 })).rejects.toThrow();
    for (const type of ['cfg', 'cfg-rescale', 'autoguidance', 'classifier-guidance']) {
      expect(paramIssues(type, { scale: 1e38 })).toEqual([
        badParam('scale', 'expected a guidance scale in [-1000, 1000]'),
      ]);
    }
    x.dispose();
  });

  it('guidance-interval guides only for σ̃ in (σ_lo, σ_hi]', async () => {
    const x = points(16, 7);
    const params = { scale: 3, sigma_lo: 0.5, sigma_hi: 2 };
    const interval = await runNode<Denoiser>(guidanceIntervalNode, pair, params);
    const guided = createCfgDenoiser(conditional, unconditional, 3);
    for (const [sigmaTilde, inside] of [
      [0.3, false],
      [0.5, false],
      [1, true],
      [2, true],
      [2.5, false],
    ] as const) {
      const expected = denoiseValues(inside ? guided : conditional, x, sigmaTilde);
      expect(maxAbsDifference(denoiseValues(interval, x, sigmaTilde), expected)).toBe(0);
    }
    expect(paramIssues('guidance-interval', { sigma_lo: 2, sigma_hi: 1 })).toEqual([
      badParam('sigma_hi', 'must be greater than sigma_lo = 2 (got 1)'),
    ]);
    x.dispose();
  });

  it('cfg-rescale rescales each row of x̂₀ to the conditional std, blended by φ', async () => {
    const x = points(24, 8);
    const scale = 5;
    const phi = 0.7;
    const c = denoiseValues(conditional, x, 1.2);
    const u = denoiseValues(unconditional, x, 1.2);
    const rowStd = (a: number, b: number) => Math.abs(a - b) / 2; // population std of two numbers
    const expected = new Float64Array(c.length);
    for (let row = 0; row < 24; row++) {
      const guided = [0, 1].map(
        (j) => u[2 * row + j]! + scale * (c[2 * row + j]! - u[2 * row + j]!),
      );
      const ratio = rowStd(c[2 * row]!, c[2 * row + 1]!) / rowStd(guided[0]!, guided[1]!);
      guided.forEach((g, j) => (expected[2 * row + j] = phi * ratio * g + (1 - phi) * g));
    }
    const rescaled = await runNode<Denoiser>(cfgRescaleNode, pair, { scale, phi });
    expect(maxAbsDifference(denoiseValues(rescaled, x, 1.2), expected)).toBeLessThan(1e-4);

    const plain = await runNode<Denoiser>(cfgRescaleNode, pair, { scale, phi: 0 });
    const cfg = createCfgDenoiser(conditional, unconditional, scale);
    expect(maxAbsDifference(denoiseValues(plain, x, 1.2), denoiseValues(cfg, x, 1.2))).toBeLessThan(
      1e-5,
    );
    x.dispose();
  });

  it('cfg-rescale leaves rows with zero spread alone instead of dividing by zero', async () => {
    // 1-D data: every row's std over its single coordinate is 0.
    const line = (means: number[][]) =>
      createGmmDenoiser({ weights: [1, 1], means, stds: [0.3, 0.3] });
    const c1 = line([[-1], [2]]);
    const u1 = line([[-3], [3]]);
    const x = tf.tensor2d([[-2], [0], [0.5], [4]]);
    const rescaled = await runNode<Denoiser>(
      cfgRescaleNode,
      { conditional: c1, unconditional: u1 },
      { scale: 3, phi: 0.7 },
    );
    const cfg = createCfgDenoiser(c1, u1, 3);
    const actual = denoiseValues(rescaled, x, 0.5);
    expect(actual.every(Number.isFinite)).toBe(true);
    expect(maxAbsDifference(actual, denoiseValues(cfg, x, 0.5))).toBeLessThan(1e-6);
    release(c1, u1, x);
  });

  it('autoguidance gives w D₁ + (1 − w) D₀', async () => {
    const x = points(16, 9);
    const good = conditional;
    const weak = unconditional;
    const d1 = denoiseValues(good, x, 0.6);
    const d0 = denoiseValues(weak, x, 0.6);
    const guided = await runNode<Denoiser>(autoguidanceNode, { good, weak }, { scale: 2.5 });
    const expected = d1.map((v, i) => 2.5 * v + (1 - 2.5) * d0[i]!);
    expect(maxAbsDifference(denoiseValues(guided, x, 0.6), expected)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('refuses to combine denoisers of different dimensions, naming the inputs', async () => {
    const oneDimensional = createGmmDenoiser({ weights: [1], means: [[0]], stds: [1] });
    await expect(runNode(cfgNode, { conditional, unconditional: oneDimensional })).rejects.toThrow(
      'input "conditional" has per-point shape [2] but input "unconditional" has [1]',
    );
    oneDimensional.dispose();
  });
});

describe('CFG++ solvers', () => {
  const conditional = createGmmDenoiser(componentsOf(1));
  const unconditional = createGmmDenoiser(mixture);
  afterAll(() => release(conditional, unconditional));
  const sigmas = Float64Array.from([12, 6, 3, 1.5, 0.7, 0.3, 0.1, 0]);
  const timesteps: Timesteps = {
    schedule: edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
    sigmaTilde: sigmas,
    t: sigmas,
  };

  /**
   * The shared loop's stepping, keeping every x̃ and every step's D for the hand checks below.
   * Checked against solve() first.
   */
  function runSteps(algorithm: SolverAlgorithm, denoiser: Denoiser, start: tf.Tensor2D) {
    const xs: Float64Array[] = [Float64Array.from(start.dataSync())];
    const denoisedPerStep: Float64Array[] = [];
    let x = start.clone();
    let history: PastDenoised[] = [];
    try {
      for (let i = 0; i < sigmas.length - 1; i++) {
        const state: StepState = {
          i,
          steps: sigmas.length - 1,
          sigmas,
          alphas: new Float64Array(sigmas.length).fill(1),
          sigma: sigmas[i]!,
          sigmaNext: sigmas[i + 1]!,
          x,
          denoise: (input, sigma) => denoiser.denoise(input, sigma),
          history,
          noise: gaussianNoise(0),
          settings: resolveSettings(algorithm),
          denoiser,
        };
        const [next, denoised] = tf.tidy((): [tf.Tensor2D, tf.Tensor2D] => {
          const result = algorithm.step(state);
          return [result.x === result.denoised ? result.x.clone() : result.x, result.denoised];
        });
        denoisedPerStep.push(Float64Array.from(denoised.dataSync()));
        history.forEach((entry) => tf.dispose([entry.x, entry.denoised]));
        history = [{ step: i, sigma: sigmas[i]!, x: x.clone(), denoised }];
        x.dispose();
        x = next;
        xs.push(Float64Array.from(x.dataSync()));
      }
    } finally {
      history.forEach((entry) => tf.dispose([entry.x, entry.denoised]));
      x.dispose();
    }
    return { xs, denoisedPerStep };
  }

  async function solved(algorithm: SolverAlgorithm, denoiser: Denoiser, start: tf.Tensor2D) {
    const { samples } = await solve({
      algorithm,
      denoiser,
      timesteps,
      x: start,
      hooks: makeTestContext({}),
    });
    return valuesOf(samples);
  }

  it('are registered under their ComfyUI names', () => {
    expect(getSolverAlgorithm('euler_cfg_pp')).toBe(eulerCfgPp);
    expect(getSolverAlgorithm('dpmpp_2m_cfg_pp')).toBe(dpmpp2mCfgPp);
  });

  it('the test stepping reproduces solve() (so the comparisons below mean something)', async () => {
    const start = points(32, 10, 12);
    const stepped = runSteps(euler, unconditional, start).xs.at(-1)!;
    expect(maxAbsDifference(stepped, await solved(euler, unconditional, start))).toBe(0);
    const guided = createCfgDenoiser(conditional, unconditional, 0.6);
    for (const algorithm of [dpmpp2m, eulerCfgPp, dpmpp2mCfgPp]) {
      const stepped = runSteps(algorithm, guided, start).xs.at(-1)!;
      expect(maxAbsDifference(stepped, await solved(algorithm, guided, start))).toBe(0);
    }
    start.dispose();
  });

  it('without guidance equal euler and dpmpp_2m', async () => {
    const start = points(32, 11, 12);
    // λ = 0: the guided prediction is D_u itself, so CFG++ is the plain solver on D_u.
    const lambdaZero = createCfgDenoiser(conditional, unconditional, 0);
    // One model as both inputs: D_c = D_u at every λ.
    const sameModel = createCfgDenoiser(unconditional, unconditional, 0.7);
    const eulerOnUnconditional = await solved(euler, unconditional, start);
    const dpmpp2mOnUnconditional = await solved(dpmpp2m, unconditional, start);
    for (const guided of [lambdaZero, sameModel]) {
      // Same maths, arranged differently: float32 rounding of |x̃| up to ~40.
      const eulerPp = await solved(eulerCfgPp, guided, start);
      expect(maxAbsDifference(eulerPp, eulerOnUnconditional)).toBeLessThan(5e-5);
      const dpmppPp = await solved(dpmpp2mCfgPp, guided, start);
      expect(maxAbsDifference(dpmppPp, dpmpp2mOnUnconditional)).toBeLessThan(5e-5);
    }
    start.dispose();
  });

  it('with λ take x̂₀ from D_λ and re-noise along D_u (updates checked by hand)', () => {
    const lambda = 0.6;
    const guided = createCfgDenoiser(conditional, unconditional, lambda);
    const start = points(32, 12, 12);
    const evaluate = (denoiser: Denoiser, x: Float64Array, sigma: number) => {
      const input = tf.tensor2d(Float32Array.from(x), [32, 2]);
      const result = denoiseValues(denoiser, input, sigma);
      input.dispose();
      return result;
    };

    // Euler CFG++ at every step: x̃' = D_λ + σ̃'·(x̃ − D_u)/σ̃.
    const eulerRun = runSteps(eulerCfgPp, guided, start);
    let worstEuler = 0;
    for (let i = 0; i < sigmas.length - 2; i++) {
      const [sigma, sigmaNext] = [sigmas[i]!, sigmas[i + 1]!];
      const x = eulerRun.xs[i]!;
      const denoised = eulerRun.denoisedPerStep[i]!;
      const denoisedUnconditional = evaluate(unconditional, x, sigma);
      const expected = denoised.map(
        (d, k) => d + (sigmaNext * (x[k]! - denoisedUnconditional[k]!)) / sigma,
      );
      worstEuler = Math.max(worstEuler, maxAbsDifference(eulerRun.xs[i + 1]!, expected));
    }
    expect(worstEuler).toBeLessThan(1e-5);
    // ... and it differs from plain Euler on the same guided denoiser.
    const plainEuler = runSteps(euler, guided, start).xs.at(-1)!;
    expect(maxAbsDifference(eulerRun.xs.at(-1)!, plainEuler)).toBeGreaterThan(1e-2);

    // DPM-Solver++(2M) CFG++ from the second step on:
    // x̃' = D_λ + e^{−h}(x̃ − D_u) − ((e^{−h} − 1)/(2r))(D_λ − D_u,prev).
    const dpmRun = runSteps(dpmpp2mCfgPp, guided, start);
    let worstDpm = 0;
    for (let i = 1; i < sigmas.length - 2; i++) {
      const [previousSigma, sigma, sigmaNext] = [sigmas[i - 1]!, sigmas[i]!, sigmas[i + 1]!];
      const h = Math.log(sigma / sigmaNext);
      const r = Math.log(previousSigma / sigma) / h;
      const x = dpmRun.xs[i]!;
      const denoised = dpmRun.denoisedPerStep[i]!;
      const denoisedUnconditional = evaluate(unconditional, x, sigma);
      const previousUnconditional = evaluate(unconditional, dpmRun.xs[i - 1]!, previousSigma);
      const expected = denoised.map(
        (d, k) =>
          d +
          Math.exp(-h) * (x[k]! - denoisedUnconditional[k]!) -
          (Math.expm1(-h) / (2 * r)) * (d - previousUnconditional[k]!),
      );
      worstDpm = Math.max(worstDpm, maxAbsDifference(dpmRun.xs[i + 1]!, expected));
    }
    expect(worstDpm).toBeLessThan(1e-5);
    // The last step lands on D_λ.
    expect(maxAbsDifference(dpmRun.xs.at(-1)!, dpmRun.denoisedPerStep.at(-1)!)).toBe(0);
    start.dispose();
  });

  it('say which node to connect when the denoiser has no unconditional part', async () => {
    const start = points(4, 13);
    for (const algorithm of [eulerCfgPp, dpmpp2mCfgPp]) {
      await expect(solved(algorithm, unconditional, start)).rejects.toThrow(
        `${algorithm.name} steps with the unconditional prediction D_u, but its denoiser has none: ` +
          'connect the solver\'s "denoiser" input to a "cfg-pp"',
      );
    }
    start.dispose();
  });
});

describe('guidance in a graph', () => {
  type NodeSpec = [id: string, type: string, params: object];
  type EdgeSpec = [from: string, to: string];

  function graph(nodes: NodeSpec[], edges: EdgeSpec[]): GraphDocument {
    const ref = (text: string) => {
      const [node, port] = text.split('.');
      return { node: node!, port: port! };
    };
    return GraphDocumentSchema.parse({
      format: 'principia.graph',
      version: 2,
      nodes: nodes.map(([id, type, params]) => ({
        id,
        type,
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params,
      })),
      edges: edges.map(([from, to]) => ({ from: ref(from), to: ref(to) })),
    });
  }

  const common: NodeSpec[] = [
    ['schedule', 'edm-schedule', {}],
    ['timesteps', 'karras-timesteps', { steps: 8, sigma_min: 0.01, sigma_max: 20 }],
    ['prior', 'gaussian-prior', { count: 64, seed: 3 }],
    ['unconditional', 'labelled-gmm-denoiser', { ...mixture, class: -1 }],
    ['solver', 'solver', { algorithm: 'heun' }],
  ];
  const commonEdges: EdgeSpec[] = [
    ['schedule.schedule', 'timesteps.schedule'],
    ['timesteps.timesteps', 'prior.timesteps'],
    ['timesteps.timesteps', 'solver.timesteps'],
    ['prior.samples', 'solver.noise'],
    ['guided.denoiser', 'solver.denoiser'],
  ];

  async function samplesOf(doc: GraphDocument): Promise<Float64Array> {
    const executor = new Executor({ files: memoryFiles() });
    try {
      const summary = await executor.run(compileGraph(doc, catalogue));
      if (summary.error) throw new Error(`${summary.error.nodeId}: ${summary.error.message}`);
      return Float64Array.from((executor.output('solver', 'samples') as Samples).points.dataSync());
    } finally {
      executor.dispose();
    }
  }

  it('runs exact classifier guidance and CFG to the same samples', async () => {
    const viaClassifier = await samplesOf(
      graph(
        [
          ...common,
          ['classifier', 'exact-classifier', mixture],
          ['guided', 'classifier-guidance', { class: 1, scale: 3 }],
        ],
        [
          ...commonEdges,
          ['unconditional.denoiser', 'guided.denoiser'],
          ['classifier.classifier', 'guided.classifier'],
        ],
      ),
    );
    const viaCfg = await samplesOf(
      graph(
        [
          ...common,
          ['conditional', 'labelled-gmm-denoiser', { ...mixture, class: 1 }],
          ['guided', 'cfg', { scale: 3 }],
        ],
        [
          ...commonEdges,
          ['conditional.denoiser', 'guided.conditional'],
          ['unconditional.denoiser', 'guided.unconditional'],
        ],
      ),
    );
    const difference = maxAbsDifference(viaClassifier, viaCfg);
    console.log(
      `classifier guidance vs CFG, 8 Heun steps: max |diff| ${difference.toExponential(2)}`,
    );
    expect(difference).toBeLessThan(1e-3);
  });

  it('runs the CFG++ solvers from the Solver node, and names the fix when guidance is missing', async () => {
    const withSolver = (algorithm: string): NodeSpec[] =>
      common.map((node) => (node[0] === 'solver' ? ['solver', 'solver', { algorithm }] : node));
    const cfgPpGraph = (algorithm: string) =>
      graph(
        [
          ...withSolver(algorithm),
          ['conditional', 'labelled-gmm-denoiser', { ...mixture, class: 1 }],
          ['guided', 'cfg-pp', { scale: 0 }],
        ],
        [
          ...commonEdges,
          ['conditional.denoiser', 'guided.conditional'],
          ['unconditional.denoiser', 'guided.unconditional'],
        ],
      );
    // λ = 0 is the unconditional model, so euler_cfg_pp must land where euler on D_u does.
    const unguidedEdges = commonEdges.map(([from, to]): EdgeSpec =>
      from === 'guided.denoiser' ? ['unconditional.denoiser', to] : [from, to],
    );
    const plainEuler = await samplesOf(graph(withSolver('euler'), unguidedEdges));
    expect(maxAbsDifference(await samplesOf(cfgPpGraph('euler_cfg_pp')), plainEuler)).toBeLessThan(
      1e-5,
    );
    const plain2m = await samplesOf(graph(withSolver('dpmpp_2m'), unguidedEdges));
    expect(maxAbsDifference(await samplesOf(cfgPpGraph('dpmpp_2m_cfg_pp')), plain2m)).toBeLessThan(
      1e-5,
    );

    await expect(samplesOf(graph(withSolver('euler_cfg_pp'), unguidedEdges))).rejects.toThrow(
      /^solver: euler_cfg_pp steps with the unconditional prediction D_u, but its denoiser has none/,
    );
  });
});
