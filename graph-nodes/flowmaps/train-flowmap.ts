// Distils a flow map from a teacher bank (teacher-bank.ts) with the shared training loop:
//
// consistency: consistency distillation with a stop-gradient target (iCT's choice): a later level
//   k′ of the same bank trajectory is the teacher's Heun solution from level k, so the loss is
//   ‖f_θ(x̃_k, σ_k) − sg f_θ(x̃_k′, σ_k′)‖², anchored by f(x̃, ε) = x̃.
// ctm: regression of G_θ(x̃_i, σ_i, σ_j) onto the teacher's x̃_j for j > i, and of the inner
//   g_θ(x̃_i, σ_i, σ_i) onto the teacher's D (CTM's DSM term) for j = i.
// meanflow: the MeanFlow identity u = v − (t − r) d/dt u with the teacher's velocity v, the
//   total derivative d/dt u = v·∂_z u + ∂_t u taken by a central finite difference (tfjs has no
//   forward mode) on the stop-gradient network.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { createRng, type Rng } from '../math/rng';
import { initialParameters, type MlpArchitecture } from '../neural/mlp';
import { architectureFor, type NetworkShape } from '../neural/mlp-denoiser';
import {
  trainNetwork,
  type NetworkViews,
  type TrainingBatch,
  type TrainingHooks,
  type TrainingProgress,
} from '../neural/train';
import { sampleFlowMapPreview } from '../neural/training-samples';
import type { LearnedModel } from '../neural/weights-file';
import { buildTeacherBank, type TeacherBank, type TeacherBankSettings } from './teacher-bank';
import {
  column,
  consistencyWrapper,
  createLearnedFlowMap,
  ctmWrapper,
  flowTime,
  meanFlowInput,
  type FlowMapKind,
  type WrappedNetwork,
} from './learned';

export interface FlowMapTrainingSettings extends NetworkShape, TeacherBankSettings {
  readonly sigmaData: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly emaDecay: number;
}

/** Step of the finite-difference JVP in rectified-flow time (float32 keeps ~4 digits of it). */
const JVP_STEP = 2e-3;

interface Rows {
  readonly x: Float32Array;
  readonly n: number;
}

/** Gathers the rows (trajectory m, level k) of the bank into one [n, dim] array. */
function gather(
  bank: TeacherBank,
  source: readonly Float32Array[],
  picks: readonly (readonly [number, number])[],
): Rows {
  const { dim } = bank;
  const x = new Float32Array(picks.length * dim);
  picks.forEach(([m, k], row) => {
    for (let d = 0; d < dim; d++) x[row * dim + d] = source[k]![m * dim + d]!;
  });
  return { x, n: picks.length };
}

const tensorOf = (rows: Rows, dim: number): Tensor2D => tf.tensor2d(rows.x, [rows.n, dim]);
const pick = (rng: Rng, count: number): number =>
  Math.min(count - 1, Math.floor(rng.uniform() * count));

/** NN-space target and weight for a wrapped output a ⊙ x + b ⊙ F that should equal `goal`. */
function throughWrapper(
  w: WrappedNetwork,
  x: Tensor2D,
  goal: Tensor2D,
): { target: Tensor2D; weight: tf.Tensor1D } {
  return {
    target: tf.div(tf.sub(goal, tf.mul(w.a, x)), w.b) as Tensor2D,
    // ‖a x + b F − goal‖² = b² ‖F − target‖² per coordinate.
    weight: tf.reshape(tf.square(w.b), [-1]) as tf.Tensor1D,
  };
}

function batchMaker(
  kind: FlowMapKind,
  arch: MlpArchitecture,
  bank: TeacherBank,
  settings: FlowMapTrainingSettings,
  rng: Rng,
): (step: number, views: NetworkViews) => TrainingBatch {
  const { dim, sigmas } = bank;
  const N = sigmas.length - 1; // index of the final 0
  const { epsilon, sigmaData, batchSize } = settings;
  const sigmaAt = (k: number) => sigmas[k]!;
  /** The bank's rows (states or denoised) at each (trajectory, level) pair, as a tensor. */
  const rowsAt = (source: readonly Float32Array[], at: readonly (readonly [number, number])[]) =>
    tensorOf(gather(bank, source, at), dim);

  switch (kind) {
    case 'consistency-flowmap':
      return (_step, views) => {
        // Level k in 0 … N − 2 and a later level k′ in k + 1 … N − 1 (≥ ε) of the same teacher
        // trajectory: k′ = k + 1 is classic CD (one teacher step); longer teacher runs carry the
        // anchor f(x̃, ε) = x̃ up the grid in fewer rounds.
        const picks = Array.from({ length: batchSize }, () => {
          const k = pick(rng, N - 1);
          return [pick(rng, bank.count), k, k + 1 + pick(rng, N - 1 - k)] as const;
        });
        const x = rowsAt(
          bank.states,
          picks.map(([m, k]) => [m, k] as const),
        );
        const next = rowsAt(
          bank.states,
          picks.map(([m, , j]) => [m, j] as const),
        );
        const here = consistencyWrapper(
          arch,
          x,
          picks.map(([, k]) => sigmaAt(k)),
          epsilon,
          sigmaData,
        );
        const there = consistencyWrapper(
          arch,
          next,
          picks.map(([, , j]) => sigmaAt(j)),
          epsilon,
          sigmaData,
        );
        const goal = tf.add(
          tf.mul(there.a, next),
          tf.mul(there.b, views.current(there.input)),
        ) as Tensor2D;
        return { input: here.input, ...throughWrapper(here, x, goal) };
      };
    case 'ctm-flowmap':
      return () => {
        const picks = Array.from({ length: batchSize }, () => {
          const i = pick(rng, N);
          return [pick(rng, bank.count), i, i + pick(rng, N - i + 1)] as const;
        });
        const x = rowsAt(
          bank.states,
          picks.map(([m, i]) => [m, i] as const),
        );
        const jumped = rowsAt(
          bank.states,
          picks.map(([m, , j]) => [m, j] as const),
        );
        const denoised = rowsAt(
          bank.denoised,
          picks.map(([m, i]) => [m, i] as const),
        );
        // j = i rows train the inner g(x, t, t) ≈ D: the same network at s = t, EDM wrapper only.
        const same = column(picks.map(([, i, j]) => (i === j ? 1 : 0)));
        const t = picks.map(([, i]) => sigmaAt(i));
        const s = picks.map(([, i, j]) => (i === j ? sigmaAt(i) : sigmaAt(j)));
        const jump = ctmWrapper(arch, x, t, s, epsilon, sigmaData);
        const inner = ctmWrapper(
          arch,
          x,
          t,
          t.map(() => 0),
          epsilon,
          sigmaData,
        );
        // g's wrapper is G's at s = 0; its network input must still carry s = t.
        const w: WrappedNetwork = {
          input: jump.input,
          a: tf.add(tf.mul(same, inner.a), tf.mul(tf.sub(1, same), jump.a)) as Tensor2D,
          b: tf.add(tf.mul(same, inner.b), tf.mul(tf.sub(1, same), jump.b)) as Tensor2D,
        };
        const goal = tf.add(tf.mul(same, denoised), tf.mul(tf.sub(1, same), jumped)) as Tensor2D;
        return { input: w.input, ...throughWrapper(w, x, goal) };
      };
    case 'meanflow-flowmap': {
      // Times uniform in τ (the Karras grid crowds the data end), snapped to the bank's levels;
      // half the rows have r = t, where the identity reduces to flow matching u = v.
      const taus = Array.from(sigmas, flowTime);
      const levelNear = (tau: number, from: number): number => {
        let best = from;
        for (let k = from; k <= N; k++) {
          if (Math.abs(taus[k]! - tau) < Math.abs(taus[best]! - tau)) best = k;
        }
        return best;
      };
      return (_step, views) => {
        const picks = Array.from({ length: batchSize }, () => {
          const i = Math.min(levelNear(rng.uniform() * taus[0]!, 0), N - 1);
          const j = rng.uniform() < 0.5 ? i : levelNear(rng.uniform() * taus[i]!, i);
          return [pick(rng, bank.count), i, j] as const;
        });
        const x = rowsAt(
          bank.states,
          picks.map(([m, i]) => [m, i] as const),
        );
        const d = rowsAt(
          bank.denoised,
          picks.map(([m, i]) => [m, i] as const),
        );
        const t = picks.map(([, i]) => flowTime(sigmaAt(i)));
        const r = picks.map(([, , j]) => flowTime(sigmaAt(j)));
        // z = x̃/(1 + σ̃) on the rectified-flow path; the teacher's velocity v = (z − D)/τ.
        const z = tf.div(x, column(picks.map(([, i]) => 1 + sigmaAt(i)))) as Tensor2D;
        const v = tf.div(tf.sub(z, d), column(t)) as Tensor2D;
        const u = (zz: Tensor2D, tt: readonly number[]) =>
          views.current(meanFlowInput(arch, zz, r, tt));
        const ahead = u(
          tf.add(z, tf.mul(v, JVP_STEP)) as Tensor2D,
          t.map((tk) => tk + JVP_STEP),
        );
        const behind = u(
          tf.sub(z, tf.mul(v, JVP_STEP)) as Tensor2D,
          t.map((tk) => tk - JVP_STEP),
        );
        const du = tf.div(tf.sub(ahead, behind), 2 * JVP_STEP);
        const target = tf.sub(v, tf.mul(column(t.map((tk, k) => tk - r[k]!)), du)) as Tensor2D;
        return {
          input: meanFlowInput(arch, z, r, t),
          target,
          weight: tf.ones([batchSize]) as tf.Tensor1D,
        };
      };
    }
  }
}

export interface TrainedFlowMap {
  readonly model: LearnedModel;
  readonly history: readonly TrainingProgress[];
}

export async function trainFlowMap(
  kind: FlowMapKind,
  teacher: Denoiser,
  settings: FlowMapTrainingSettings,
  hooks: TrainingHooks = {},
): Promise<TrainedFlowMap> {
  if (!(settings.epsilon < settings.sigmaMax)) {
    throw new Error(
      `sigma_min (${settings.epsilon}) must be below sigma_max (${settings.sigmaMax})`,
    );
  }
  const bank = await buildTeacherBank(teacher, settings);
  const arch = architectureFor(settings, teacher.dim, kind === 'consistency-flowmap' ? 1 : 2);
  const rng = createRng(settings.seed ^ 0x5a17);
  const modelOf = (
    parameters: readonly Float32Array[],
    finalLoss: number | null,
  ): LearnedModel => ({
    model: kind,
    architecture: arch,
    sigmaData: settings.sigmaData,
    epsilon: settings.epsilon,
    training: { ...settings, finalLoss },
    parameters,
  });
  const result = await trainNetwork(
    arch,
    initialParameters(arch, settings.seed),
    batchMaker(kind, arch, bank, settings, rng),
    settings,
    hooks,
    async (parameters) => {
      const flowMap = createLearnedFlowMap(modelOf(parameters, null));
      try {
        return await sampleFlowMapPreview(flowMap, settings.sigmaMax, teacher.shape ?? [bank.dim]);
      } finally {
        flowMap.dispose();
      }
    },
  );
  const last = result.history[result.history.length - 1];
  return { model: modelOf(result.parameters, last?.loss ?? null), history: result.history };
}
