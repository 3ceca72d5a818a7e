// What the Train action (app) and `principia train` (CLI) call: for each trainable node type,
// how to train it from its run-time inputs and params. Training writes the node's weights file;
// the node itself only ever reads it.
import type { FileHost } from '../core/node-definition';
import type { Dataset, Denoiser, Samples } from '../core/values';
import { flowMapTrainingSettings } from '../flowmaps/node-params';
import { trainFlowMap } from '../flowmaps/train-flowmap';
import type { FlowMapKind } from '../flowmaps/learned';
import consistencyNode from '../nodes/flowmap/consistency';
import ctmNode from '../nodes/flowmap/ctm';
import meanflowNode from '../nodes/flowmap/meanflow';
import mlpDenoiserNode, { mlpDenoiserSettings } from '../nodes/denoiser/mlp';
import { pointArrayOf, trainMlpDenoiser } from './mlp-denoiser';
import type { TrainingHooks, TrainingProgress } from './train';
import { writeWeights, type LearnedModel } from './weights-file';

export interface TrainedNode {
  readonly model: LearnedModel;
  readonly history: readonly TrainingProgress[];
}

export interface Trainer {
  /** Input ports training reads (they must be connected). */
  readonly inputs: readonly string[];
  /** Overrides the params' step count (the CLI's --steps), when given. */
  train(
    inputs: Readonly<Record<string, unknown>>,
    params: Readonly<Record<string, unknown>>,
    hooks: TrainingHooks & { readonly steps?: number },
  ): Promise<TrainedNode>;
}

async function pointsInput(inputs: Readonly<Record<string, unknown>>, port: string) {
  const value = inputs[port] as Samples | Dataset | undefined;
  if (!value) throw new Error(`connect the "${port}" input: training reads it`);
  return { ...(await pointArrayOf(value.points)), shape: value.shape };
}

function flowMapTrainer(
  kind: FlowMapKind,
  node: typeof consistencyNode | typeof ctmNode | typeof meanflowNode,
): Trainer {
  return {
    inputs: ['teacher'],
    async train(inputs, params, hooks) {
      const teacher = inputs['teacher'] as Denoiser | undefined;
      if (!teacher) throw new Error('connect the "teacher" input: training distils its PF-ODE');
      const settings = flowMapTrainingSettings(node.params.parse(params));
      return trainFlowMap(
        kind,
        teacher,
        hooks.steps ? { ...settings, steps: hooks.steps } : settings,
        hooks,
      );
    },
  };
}

export const TRAINERS: Readonly<Record<string, Trainer>> = {
  [consistencyNode.type]: flowMapTrainer('consistency-flowmap', consistencyNode),
  [ctmNode.type]: flowMapTrainer('ctm-flowmap', ctmNode),
  [meanflowNode.type]: flowMapTrainer('meanflow-flowmap', meanflowNode),
  [mlpDenoiserNode.type]: {
    inputs: ['data'],
    async train(inputs, params, hooks) {
      const parsed = mlpDenoiserNode.params.parse(params);
      const settings = mlpDenoiserSettings(parsed);
      const trained = await trainMlpDenoiser(
        await pointsInput(inputs, 'data'),
        hooks.steps ? { ...settings, steps: hooks.steps } : settings,
        hooks,
      );
      return { model: trained, history: trained.history };
    },
  },
};

/** The type's trainer; own keys only, so "constructor" or "__proto__" finds none. */
export function trainerFor(type: string): Trainer | undefined {
  return Object.hasOwn(TRAINERS, type) ? TRAINERS[type] : undefined;
}

/** Trains and writes the weights where the node's `weights` param says. */
export async function trainAndSave(
  type: string,
  inputs: Readonly<Record<string, unknown>>,
  params: Readonly<Record<string, unknown>>,
  files: FileHost,
  hooks: TrainingHooks & { readonly steps?: number } = {},
): Promise<TrainedNode & { readonly path: string }> {
  const trainer = trainerFor(type);
  if (!trainer) {
    const trainable = Object.keys(TRAINERS).join(', ');
    throw new Error(`a ${type} node cannot be trained; the trainable node types are ${trainable}`);
  }
  const path = params.weights;
  if (typeof path !== 'string' || path.trim() === '') {
    throw new Error('set the weights param: training writes the weights there');
  }
  const trained = await trainer.train(inputs, params, hooks);
  await writeWeights(files, path, trained.model);
  return { ...trained, path };
}
