// Training one node of a graph, as the CLI's `principia train` and the app's Train action both do
// it: check the node can be trained from what is wired to it, run only what its training inputs
// need, train, write the weights where its param says, and drop its cached output (and what
// follows) because the weights changed under an unchanged cache key.
import type { Plan, PlannedNode } from '../core/compile';
import { GraphError } from '../core/errors';
import type { Executor } from '../core/execute';
import type { FileHost } from '../core/node-definition';
import { TrainingCancelledError, type TrainingHooks } from './train';
import { trainAndSave, trainerFor, type Trainer, type TrainedNode } from './trainers';

/** The node and its trainer, or a GraphError naming what is missing (before anything runs). */
export function trainableNode(
  plan: Plan,
  nodeId: string,
  file?: string,
): { node: PlannedNode; trainer: Trainer } {
  const node = plan.nodes.get(nodeId);
  if (!node) {
    throw new GraphError([
      { code: 'unknown-node', file, nodeId, message: 'there is no such node' },
    ]);
  }
  const trainer = trainerFor(node.definition.type);
  if (!trainer) {
    throw new GraphError([
      {
        code: 'bad-param',
        file,
        nodeId,
        message: `a ${node.definition.type} node has nothing to train`,
      },
    ]);
  }
  const missing = trainer.inputs.filter((port) => !node.inputs[port]);
  if (missing.length) {
    throw new GraphError(
      missing.map((port) => ({
        code: 'missing-input' as const,
        file,
        nodeId,
        port,
        message: 'training reads this input: connect it',
      })),
    );
  }
  return { node, trainer };
}

export interface TrainNodeOptions extends TrainingHooks {
  readonly executor: Executor;
  readonly files: FileHost;
  /** Overrides the node's own step count (the CLI's --steps). */
  readonly steps?: number;
  readonly file?: string;
}

export async function trainNode(
  plan: Plan,
  nodeId: string,
  options: TrainNodeOptions,
): Promise<TrainedNode & { readonly path: string }> {
  const { node, trainer } = trainableNode(plan, nodeId, options.file);
  const { executor, signal } = options;
  const sources = trainer.inputs.map((port) => node.inputs[port]!);
  const summary = await executor.run(plan, {
    ...(signal ? { signal } : {}),
    targets: sources.map((ref) => ref.node),
  });
  if (summary.cancelled) throw new TrainingCancelledError(0);
  if (!summary.ok) {
    const where = summary.error?.nodeId ? `node "${summary.error.nodeId}": ` : '';
    throw new Error(`${where}${summary.error?.message ?? 'the training inputs did not run'}`);
  }
  const inputs = Object.fromEntries(
    trainer.inputs.map((port) => {
      const ref = node.inputs[port]!;
      return [port, executor.output(ref.node, ref.port)];
    }),
  );
  const trained = await trainAndSave(node.definition.type, inputs, node.params, options.files, {
    ...(signal ? { signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onSamples ? { onSamples: options.onSamples } : {}),
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
  });
  executor.invalidate(plan, nodeId);
  return trained;
}
