// Loading a trainable node's weights when its graph runs, with the messages a person needs when
// they are missing (train first) or belong to another kind of model.
import { asFileNotFound } from '../core/file-not-found';
import type { FileHost } from '../core/node-definition';
import { readWeights, type LearnedModel, type LearnedModelKind } from './weights-file';

export async function loadTrainedWeights(
  files: FileHost,
  path: string,
  kind: LearnedModelKind,
  nodeId: string,
): Promise<LearnedModel> {
  if (path.trim() === '') {
    throw new Error('set the weights param to a weights manifest (.json), then train or run');
  }
  let model: LearnedModel;
  try {
    model = await readWeights(files, path);
  } catch (error) {
    const hint =
      'If this node has not been trained yet, train it (the Train action, or ' +
      `npx principia train GRAPH.json --node ${nodeId})`;
    // Still a FileNotFoundError ("file not found: PATH (resolved from FOLDER). If …").
    const missing = asFileNotFound(error);
    if (missing) throw missing.withHint(hint);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}. ${hint}`, { cause: error });
  }
  if (model.model !== kind) {
    throw new Error(`"${path}" holds ${model.model} weights, but this node is a ${kind}`);
  }
  return model;
}
